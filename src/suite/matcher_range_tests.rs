//! Unit tests of number ranges (`{gte, lte}`, `between`) and of `all_of`/`any_of`: what
//! they match, how they read in failures, and the mistakes the loader refuses.

use crate::suite::matcher_parse::MAX_NESTING;
use proptest::prelude::*;
use serde_json::json;

use super::tests::{errors, m, parse};

#[test]
fn two_bounds_make_one_range() {
    let range = m("{gte: 0, lte: 40}");
    for (n, inside) in [
        (0.0, true),
        (40.0, true),
        (17.5, true),
        (-0.1, false),
        (40.01, false),
    ] {
        assert_eq!(range.matches(&json!(n), None), inside, "{n}");
    }
    let open = m("{gt: 0, lt: 1}");
    assert!(open.matches(&json!(0.5), None));
    assert!(!open.matches(&json!(0), None));
    assert!(!open.matches(&json!(1), None));
    let upper_first = m("{lt: 10, gte: 2}");
    assert!(upper_first.matches(&json!(2), None));
    assert!(!upper_first.matches(&json!(10), None));
}

#[test]
fn between_includes_both_ends() {
    let between = m("{between: [0, 40]}");
    assert!(between.matches(&json!(0), None));
    assert!(between.matches(&json!(40), None));
    assert!(between.matches(&json!(39.999), None));
    assert!(!between.matches(&json!(41), None));
    assert!(!between.matches(&json!(-1), None));
    assert!(m("{between: [3, 3]}").matches(&json!(3.0), None));
}

#[test]
fn ranges_match_json_numbers_only() {
    for yaml in ["{between: [0, 40]}", "{gte: 0}", "{gt: 0, lte: 40}"] {
        let range = m(yaml);
        assert!(!range.matches(&json!("25"), None), "{yaml} on a string");
        assert!(!range.matches(&json!(true), None), "{yaml} on a boolean");
        assert!(!range.matches(&json!([25]), None), "{yaml} on a list");
        assert!(!range.matches(&json!(null), None), "{yaml} on null");
    }
}

#[test]
fn all_of_needs_every_matcher_and_any_of_one() {
    let all = m("{all_of: [{gte: 0}, {ne: 13}, {type: number}]}");
    assert!(all.matches(&json!(12), None));
    assert!(!all.matches(&json!(13), None));
    assert!(!all.matches(&json!(-1), None));
    let any = m("{any_of: [vip, {regex: \"^st\"}, 3]}");
    assert!(any.matches(&json!("vip"), None));
    assert!(any.matches(&json!("standard"), None));
    assert!(any.matches(&json!(3.0), None));
    assert!(!any.matches(&json!("VIP"), None));
    let nested = m("{any_of: [{all_of: [{gt: 0}, {lt: 5}]}, {between: [10, 20]}]}");
    assert!(nested.matches(&json!(4), None));
    assert!(nested.matches(&json!(10), None));
    assert!(!nested.matches(&json!(7), None));
}

#[test]
fn nested_display_matchers_see_the_display_value() {
    let both = m("{all_of: [{eq: vip}, {display: {ieq: \"vip pass\"}}]}");
    assert!(both.matches(&json!("vip"), Some("VIP pass")));
    assert!(!both.matches(&json!("vip"), Some("Standard")));
    assert!(!both.matches(&json!("vip"), None));
    let either = m("{any_of: [{display: Yes}, true]}");
    assert!(either.matches(&json!(false), Some("Yes")));
    assert!(either.matches(&json!(true), None));
    assert!(!either.matches(&json!(false), None));
}

#[test]
fn describe_ranges_and_combinations() {
    assert_eq!(m("{gte: 0, lte: 40}").describe(), "between 0 and 40");
    assert_eq!(m("{between: [0, 2.5]}").describe(), "between 0 and 2.5");
    assert_eq!(m("{gt: 0, lte: 40}").describe(), "> 0 and <= 40");
    assert_eq!(m("{lt: 3}").describe(), "< 3");
    assert_eq!(
        m("{all_of: [{gte: 1}, {ne: 2}]}").describe(),
        "all of (>= 1; not 2)"
    );
    assert_eq!(
        m("{any_of: [vip, {regex: ^s}]}").describe(),
        "any of (\"vip\"; regex ^s)"
    );
}

#[test]
fn range_errors() {
    assert_eq!(
        errors("{gte: 50, lte: 40}"),
        ["no number is between 50 and 40: the range is empty"]
    );
    assert_eq!(
        errors("{gt: 5, lt: 5}"),
        ["no number is > 5 and < 5: the range is empty"]
    );
    assert!(parse("{gte: 5, lte: 5}").is_ok(), "one number is a range");
    assert_eq!(
        errors("{gt: 1, gte: 2}"),
        ["two lower bounds in one range: `gt` and `gte`"]
    );
    assert_eq!(
        errors("{lte: 1, gte: 0, lt: 2}"),
        ["two upper bounds in one range: `lte` and `lt`"]
    );
    assert_eq!(
        errors("{gte: 0, regex: a}"),
        ["two operators in one matcher: `gte` and `regex`"]
    );
    assert_eq!(
        errors("{between: [0, 4], lte: 3}"),
        ["two operators in one matcher: `between` and `lte`"]
    );
    assert_eq!(
        errors("{gte: \"0\", lte: x}"),
        [
            "`gte` takes a number, found a string",
            "`lte` takes a number, found a string"
        ]
    );
}

#[test]
fn malformed_between() {
    let two = "`between` takes two numbers `[low, high]`";
    assert_eq!(errors("{between: 4}"), [format!("{two}, found a number")]);
    assert_eq!(
        errors("{between: []}"),
        [format!("{two}, found an empty list")]
    );
    assert_eq!(
        errors("{between: [1]}"),
        [format!("{two}, found a list of 1 value")]
    );
    assert_eq!(
        errors("{between: [1, 2, 3]}"),
        [format!("{two}, found a list of 3 values")]
    );
    assert_eq!(
        errors("{between: [a, 2]}"),
        ["`between` takes numbers, found a string"]
    );
    assert_eq!(
        errors("{between: [40, 0]}"),
        ["`between: [40, 0]` is empty: 40 is above 0"]
    );
}

#[test]
fn combination_errors() {
    assert_eq!(
        errors("{all_of: []}"),
        ["`all_of` takes a non-empty list of matchers, found an empty list"]
    );
    assert_eq!(
        errors("{any_of: {gte: 1}}"),
        ["`any_of` takes a non-empty list of matchers, found a mapping"]
    );
    assert_eq!(
        errors("{all_of: [{regx: a}, {gte: 2, lte: 1}]}"),
        [
            "unknown matcher `regx`",
            "no number is between 2 and 1: the range is empty"
        ],
        "every item's problems are reported"
    );
    let deep = |levels: usize| {
        let mut yaml = "1".to_owned();
        for _ in 0..levels {
            yaml = format!("{{all_of: [{yaml}]}}");
        }
        yaml
    };
    assert!(parse(&deep(MAX_NESTING)).is_ok());
    assert_eq!(
        errors(&deep(MAX_NESTING + 1)),
        [format!(
            "`all_of`/`any_of` nested more than {MAX_NESTING} deep"
        )]
    );
}

proptest! {
    /// A two-bound range is exactly the conjunction of its bounds, and `between` is the
    /// inclusive one.
    #[test]
    fn range_is_the_conjunction_of_its_bounds(
        a in -1000i32..1000, b in -1000i32..1000, n in -1200i32..1200,
    ) {
        let (low, high) = (a.min(b), a.max(b));
        let value = json!(n);
        let all = m(&format!("{{all_of: [{{gt: {low}}}, {{lte: {high}}}]}}"));
        let inside = n > low && n <= high;
        prop_assert_eq!(all.matches(&value, None), inside);
        // `gt: x, lte: x` is empty, so refused by the loader.
        match parse(&format!("{{gt: {low}, lte: {high}}}")) {
            Ok(range) => prop_assert_eq!(range.matches(&value, None), inside),
            Err(_) => prop_assert_eq!(low, high),
        }
        let between = m(&format!("{{between: [{low}, {high}]}}"));
        prop_assert_eq!(between.matches(&value, None), n >= low && n <= high);
        let any = m(&format!("{{any_of: [{{lt: {low}}}, {{gt: {high}}}]}}"));
        prop_assert_eq!(any.matches(&value, None), !(n >= low && n <= high));
    }
}
