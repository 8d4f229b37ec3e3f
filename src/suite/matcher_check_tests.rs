//! Unit tests of the checks of expectations against the form, through the loader: what is
//! refused (with the message) and what must stay accepted.

use crate::suite::load_str;

const FORM: &str = r#"
form:
  id: 5d0c9e2a-1f4b-4c8e-9a51-3b2f7e6d8c10
  fields:
    - {key: name, type: string}
    - {key: guests, type: number, min: 1, max: 40}
    - {key: score, type: number}
    - {key: ticket, type: string, options: [standard, {value: vip, label: VIP pass}]}
    - {key: extras, type: array, options: [1, 2, parking]}
    - {key: agreed, type: boolean}
conversations:
  - name: c
    turns:
      - user: hi
        expect:
"#;

/// The error titles of a suite whose one turn expects `expect` (YAML at turn indentation).
fn titles(expect: &str) -> Vec<String> {
    let text = format!("{FORM}{}", indent(expect));
    match load_str("t.yaml", &text) {
        Ok(_) => Vec::new(),
        Err(diagnostics) => diagnostics.into_iter().map(|d| d.title).collect(),
    }
}

fn indent(expect: &str) -> String {
    expect.lines().map(|l| format!("          {l}\n")).collect()
}

#[test]
fn accepted_expectations() {
    for ok in [
        "fields: {guests: {between: [1, 40]}}",
        "fields: {guests: {gte: 40}}",
        "fields: {guests: {lte: 1}}",
        "fields: {guests: {one_of: [1, 2, 40]}}",
        "fields: {score: {between: [-1000, 1e9]}}",
        "fields: {score: {any_of: [{lt: 0}, {gt: 100}]}}",
        "fields: {guests: {eq: 3, display: {regex: \"^3 \"}}}",
        "fields: {name: {regex: \"^D\"}}",
        "fields: {ticket: {any_of: [vip, standard]}}",
        "fields: {ticket: {ne: gold}}",
        "fields: {extras: [1, parking]}",
        "fields: {extras: {contains: 2}}",
        "fields: {extras: {set: [parking, 1]}}",
        "prompt: {field: guests, min: 1, max: 40, multiple_of: 1}",
        "prompt: {field: guests, kind: NUMBER_INPUT, max: 40}",
        "prompt: {field: extras, options: [1, 2, parking]}",
    ] {
        assert_eq!(titles(ok), Vec::<String>::new(), "{ok}");
    }
}

#[test]
fn a_regex_on_a_field_that_is_not_text() {
    assert_eq!(
        titles("fields: {guests: {all_of: [{gte: 1}, {regex: \"^1\"}]}}"),
        ["a regex never matches a number: `guests` is a number field"]
    );
    assert_eq!(
        titles("fields: {agreed: {regex: yes}}"),
        ["a regex never matches a boolean: `agreed` is a boolean field"]
    );
}

#[test]
fn values_the_field_cannot_take() {
    assert_eq!(
        titles("fields: {ticket: Vip}"),
        ["`Vip` is not an option of `ticket`"]
    );
    assert_eq!(
        titles("fields: {extras: {set: [1, 3]}}"),
        ["`3` is not an option of `extras`"]
    );
    assert_eq!(
        titles("fields: {guests: {any_of: [0, {between: [41, 50]}]}}"),
        [
            "0 is outside the range of `guests` (1 to 40)",
            "`{between: [41, 50]}` never matches `guests`, whose range is 1 to 40"
        ]
    );
    assert_eq!(
        titles("fields: {guests: {lt: 1}}"),
        ["`{lt: 1}` never matches `guests`, whose range is 1 to 40"]
    );
}

#[test]
fn final_fields_are_checked_too() {
    let text = format!(
        "{FORM}          fields: {{name: x}}\n    final:\n      fields: {{ticket: gold}}\n"
    );
    let errors = load_str("t.yaml", &text).err().unwrap_or_default();
    let titles: Vec<&str> = errors.iter().map(|d| d.title.as_str()).collect();
    assert_eq!(titles, ["`gold` is not an option of `ticket`"]);
}

#[test]
fn prompt_ranges() {
    assert_eq!(
        titles("prompt: {field: guests, min: 10, max: 5}"),
        ["`prompt.max` (5) is less than `prompt.min` (10)"]
    );
    assert_eq!(
        titles("prompt: {field: guests, multiple_of: 0}"),
        ["`prompt.multiple_of` must be a number above 0, found 0"]
    );
    assert_eq!(
        titles("prompt: {field: guests, kind: SINGLE_SELECT_INPUT, min: 1}"),
        ["`prompt.min` describes a NUMBER_INPUT, not a SINGLE_SELECT_INPUT"]
    );
    assert_eq!(
        titles("prompt: {field: ticket, max: 3, options: [vip]}"),
        [
            "`prompt.max` and `prompt.options` describe different inputs",
            "`prompt.max` needs a number field: `ticket` is a string field"
        ]
    );
    assert_eq!(
        titles("prompt: {field: ticket, options: [gold]}"),
        ["`gold` is not an option of `ticket`"]
    );
}
