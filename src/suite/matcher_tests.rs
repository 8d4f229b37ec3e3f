//! Unit tests of matcher parsing, evaluation and description: each operator passes and fails.

use super::*;
use crate::suite::context::Ctx;
use crate::suite::matcher_parse::parse_matcher;
use crate::suite::node::Node;
use serde_json::json;

/// Parses a matcher written in YAML, or the titles of the errors it produced.
pub(super) fn parse(yaml: &str) -> Result<Matcher, Vec<String>> {
    let node: Node = serde_saphyr::from_str_with_options(yaml, crate::suite::yaml::options())
        .map_err(|e| vec![e.to_string()])?;
    let mut cx = Ctx::new("m.yaml", yaml);
    let matcher = parse_matcher(&node, &mut cx);
    match matcher {
        Some(m) if cx.diagnostics.is_empty() => Ok(m),
        _ => Err(cx.diagnostics.into_iter().map(|d| d.title).collect()),
    }
}

pub(super) fn m(yaml: &str) -> Matcher {
    match parse(yaml) {
        Ok(m) => m,
        Err(errors) => panic!("{yaml}: {errors:?}"),
    }
}

pub(super) fn errors(yaml: &str) -> Vec<String> {
    match parse(yaml) {
        Ok(_) => panic!("{yaml}: accepted"),
        Err(errors) => errors,
    }
}

#[test]
fn plain_values_are_equality() {
    assert!(m("Dana").matches(&json!("Dana"), None));
    assert!(!m("Dana").matches(&json!("dana"), None));
    assert!(m("2").matches(&json!(2.0), None));
    assert!(m("2.0").matches(&json!(2), None));
    assert!(!m("2").matches(&json!("2"), None));
    assert!(m("[rust, ai]").matches(&json!(["rust", "ai"]), None));
    assert!(!m("[rust, ai]").matches(&json!(["ai", "rust"]), None));
    assert!(
        m("yes").matches(&json!("yes"), None),
        "YAML 1.2: yes is a string"
    );
    assert!(m("true").matches(&json!(true), None));
    assert!(m("null").matches(&json!(null), None));
    assert!(!m("null").matches(&json!(""), None));
}

#[test]
fn eq_and_ne() {
    let object = m("{eq: {city: Paris, zip: 75001}}");
    assert!(object.matches(&json!({"zip": 75001.0, "city": "Paris"}), None));
    assert!(!object.matches(&json!({"city": "Paris"}), None));
    assert!(m("{ne: Dana}").matches(&json!("Dan"), None));
    assert!(!m("{ne: 3}").matches(&json!(3.0), None));
}

#[test]
fn large_integers_compare_exactly() {
    let big = m("{eq: 9007199254740993}");
    assert!(big.matches(&json!(9_007_199_254_740_993_u64), None));
    assert!(!big.matches(&json!(9_007_199_254_740_992_u64), None));
}

#[test]
fn ieq_ignores_case_on_strings_only() {
    let dana = m("{ieq: DANA}");
    assert!(dana.matches(&json!("dana"), None));
    assert!(dana.matches(&json!("Dana"), None));
    assert!(!dana.matches(&json!("Dan"), None));
    assert!(!m("{ieq: \"1\"}").matches(&json!(1), None));
}

#[test]
fn regex_searches_strings() {
    let re = m(r#"{regex: "^dana@example\\.com$"}"#);
    assert!(re.matches(&json!("dana@example.com"), None));
    assert!(!re.matches(&json!("dana@exampleXcom"), None));
    assert!(!m("{regex: '2'}").matches(&json!(2), None));
    assert!(
        m("{regex: ana}").matches(&json!("Dana"), None),
        "unanchored: a search"
    );
}

#[test]
fn contains_substring_subset_or_element() {
    assert!(m("{contains: ana}").matches(&json!("Dana"), None));
    assert!(!m("{contains: xyz}").matches(&json!("Dana"), None));
    let subset = m("{contains: [rust, ai]}");
    assert!(subset.matches(&json!(["web", "ai", "rust"]), None));
    assert!(!subset.matches(&json!(["rust"]), None));
    assert!(m("{contains: rust}").matches(&json!(["rust", "ai"]), None));
    assert!(!m("{contains: 2}").matches(&json!("2"), None));
}

#[test]
fn one_of_and_set() {
    let vip = m("{one_of: [vip, VIP]}");
    assert!(vip.matches(&json!("VIP"), None));
    assert!(!vip.matches(&json!("Vip"), None));
    let set = m("{set: [rust, ai]}");
    assert!(set.matches(&json!(["ai", "rust"]), None));
    assert!(!set.matches(&json!(["ai", "rust", "web"]), None));
    assert!(!set.matches(&json!(["ai"]), None));
    assert!(!set.matches(&json!("rust"), None));
    let dup = m("{set: [a, a, b]}");
    assert!(!dup.matches(&json!(["a", "b", "b"]), None));
    assert!(dup.matches(&json!(["b", "a", "a"]), None));
}

#[test]
fn approx_and_comparisons_need_numbers() {
    let approx = m("{approx: 2, tol: 0.1}");
    assert!(approx.matches(&json!(2.05), None));
    assert!(approx.matches(&json!(1.9), None));
    assert!(!approx.matches(&json!(2.2), None));
    assert!(!approx.matches(&json!("2"), None));
    assert!(m("{gt: 2}").matches(&json!(3), None));
    assert!(!m("{gt: 2}").matches(&json!(2), None));
    assert!(m("{gte: 2}").matches(&json!(2.0), None));
    assert!(!m("{gte: 2}").matches(&json!(1.5), None));
    assert!(m("{lt: 2}").matches(&json!(1), None));
    assert!(!m("{lt: 2}").matches(&json!(2), None));
    assert!(m("{lte: 2}").matches(&json!(2), None));
    assert!(!m("{lte: 2}").matches(&json!(3), None));
    assert!(
        !m("{gt: 2}").matches(&json!("10"), None),
        "a non-number never matches"
    );
}

#[test]
fn any_and_type() {
    assert!(m("{any: true}").matches(&json!(null), None));
    assert!(m("{any: true}").matches(&json!({"a": 1}), None));
    for (name, yes, no) in [
        ("string", json!("x"), json!(1)),
        ("number", json!(1.5), json!("1.5")),
        ("boolean", json!(false), json!("false")),
        ("list", json!([]), json!({})),
        ("object", json!({}), json!([])),
        ("null", json!(null), json!("")),
    ] {
        let t = m(&format!("{{type: {name}}}"));
        assert!(t.matches(&yes, None), "{name} should match {yes}");
        assert!(!t.matches(&no, None), "{name} should not match {no}");
    }
}

#[test]
fn display_checks_the_display_value() {
    let alone = m("{display: Yes}");
    assert!(alone.matches(&json!(true), Some("Yes")));
    assert!(!alone.matches(&json!(true), Some("No")));
    assert!(
        !alone.matches(&json!(true), None),
        "no displayValue: no match"
    );
    let both = m("{eq: 25, display: {regex: \"years\"}}");
    assert!(both.matches(&json!(25), Some("25 years old")));
    assert!(!both.matches(&json!(26), Some("25 years old")));
    assert!(!both.matches(&json!(25), Some("25")));
}

#[test]
fn describe_is_short_and_readable() {
    assert_eq!(m("Dana").describe(), "\"Dana\"");
    assert_eq!(m("2").describe(), "2");
    assert_eq!(m("{regex: ^dana@}").describe(), "regex ^dana@");
    assert_eq!(
        m("{one_of: [vip, VIP]}").describe(),
        "one of [\"vip\",\"VIP\"]"
    );
    assert_eq!(m("{approx: 2, tol: 0.1}").describe(), "approx 2 ± 0.1");
    assert_eq!(m("{gte: 1.5}").describe(), ">= 1.5");
    assert_eq!(m("{ne: x}").describe(), "not \"x\"");
    assert_eq!(m("{ieq: dana}").describe(), "\"dana\" (any case)");
    assert_eq!(m("{set: [a, b]}").describe(), "[\"a\",\"b\"] in any order");
    assert_eq!(m("{contains: ana}").describe(), "contains \"ana\"");
    assert_eq!(m("{any: true}").describe(), "any value");
    assert_eq!(m("{type: list}").describe(), "any list");
    assert_eq!(m("{display: Yes}").describe(), "displayed as \"Yes\"");
    assert_eq!(
        m("{eq: true, display: Yes}").describe(),
        "true, displayed as \"Yes\""
    );
}

#[test]
fn parse_errors() {
    assert_eq!(errors("{regx: a}"), ["unknown matcher `regx`"]);
    assert_eq!(
        errors("{eq: 1, ne: 2}"),
        ["two operators in one matcher: `eq` and `ne`"]
    );
    assert_eq!(
        errors("{eq: 1, tol: 2}"),
        ["`tol` is only allowed beside `approx`"]
    );
    assert_eq!(
        errors("{tol: 2}"),
        ["`tol` is only allowed beside `approx`"]
    );
    assert_eq!(errors("{approx: 1}"), ["`approx` needs a `tol`"]);
    assert_eq!(
        errors("{approx: 1, tol: -1}"),
        ["`tol` must be 0 or more, found -1"]
    );
    assert_eq!(
        errors("{approx: x, tol: 1}"),
        ["`approx` takes a number, found a string"]
    );
    assert_eq!(errors("{any: false}"), ["`any: false` never matches"]);
    assert_eq!(errors("{any: 1}"), ["`any` takes `true`, found a number"]);
    assert_eq!(errors("{type: text}"), ["unknown value type `text`"]);
    assert_eq!(errors("{regex: \"(\"}"), ["invalid regex: unclosed group"]);
    assert_eq!(
        errors("{regex: 1}"),
        ["`regex` takes a string, found a number"]
    );
    assert_eq!(
        errors("{one_of: []}"),
        ["`one_of` takes a non-empty list, found an empty list"]
    );
    assert_eq!(errors("{set: a}"), ["`set` takes a list, found a string"]);
    assert_eq!(
        errors("{gt: \"3\"}"),
        ["`gt` takes a number, found a string"]
    );
    assert_eq!(errors("{}"), ["empty matcher"]);
    assert_eq!(errors("{display: {regx: a}}"), ["unknown matcher `regx`"]);
    assert_eq!(
        errors("{eq: {[a]: 1}}"),
        ["a mapping key must be a plain value"]
    );
    assert_eq!(errors("{city: Paris}"), ["unknown matcher `city`"]);
    assert_eq!(
        errors("{regx: a, eq: 1, ne: 2}"),
        [
            "unknown matcher `regx`",
            "two operators in one matcher: `eq` and `ne`"
        ]
    );
}

#[test]
fn unknown_operator_help_names_the_closest() {
    let node: Node = serde_saphyr::from_str("{one_off: [a]}").unwrap_or_else(|e| panic!("{e}"));
    let mut cx = Ctx::new("m.yaml", "{one_off: [a]}");
    assert!(parse_matcher(&node, &mut cx).is_none());
    assert_eq!(cx.diagnostics[0].help, "did you mean `one_of`?");
    let node: Node = serde_saphyr::from_str("{city: x}").unwrap_or_else(|e| panic!("{e}"));
    assert!(parse_matcher(&node, &mut cx).is_none());
    assert!(cx.diagnostics[1].help.contains("`{eq: {...}}`"));
}
