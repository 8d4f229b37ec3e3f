//! Personas as the loader builds them: the example suite becomes the model it describes,
//! `vars:`/`data:` expand personas as they expand conversations, a persona and a
//! conversation share one namespace of names, and a suite may hold either or both.

use convoy::suite::matcher::NumRange;
use convoy::suite::{FieldsExpect, Persona, Style, Suite, load_paths, load_str};
use serde_json::json;
use std::fs;
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

const FORM: &str = "form:
  id: 5d0c9e2a-1f4b-4c8e-9a51-3b2f7e6d8c10
  fields:
    - {key: first_name, type: string}
    - {key: email, type: string, format: email}
    - {key: phone, type: string, format: phone}
    - {key: guests, type: number, min: 0, max: 5}
    - {key: ticket, type: string, options: [standard, {value: vip, label: VIP pass}]}
    - {key: topics, type: array, options: [rust, ai, web]}
    - {key: newsletter, type: boolean}
";

fn load(personas: &str) -> Result<Suite, Vec<String>> {
    let text = format!("{FORM}{personas}");
    load_str("p.yaml", &text).map_err(|d| d.into_iter().map(|d| d.to_string()).collect())
}

fn loaded(personas: &str) -> Suite {
    load(personas).unwrap_or_else(|errors| panic!("{}", errors.join("\n\n")))
}

fn titles(personas: &str) -> Vec<String> {
    let text = format!("{FORM}{personas}");
    match load_str("p.yaml", &text) {
        Ok(_) => Vec::new(),
        Err(diagnostics) => diagnostics.into_iter().map(|d| d.title).collect(),
    }
}

fn persona<'a>(suite: &'a Suite, name: &str) -> &'a Persona {
    let found = suite.personas.iter().find(|p| p.name == name);
    found.unwrap_or_else(|| panic!("no persona `{name}`"))
}

fn contains(range: &NumRange, counts: &[f64]) -> Vec<bool> {
    counts.iter().map(|n| range.contains(*n)).collect()
}

/// suites/personas.yaml: every key of the format, as the model holds it.
#[test]
fn the_example_suite_loads() {
    let result = load_paths(&[PathBuf::from(ROOT).join("suites/personas.yaml")]);
    assert!(result.diagnostics.is_empty(), "{:?}", result.diagnostics);
    let suite = &result.suites[0];
    assert!(suite.conversations.is_empty());
    assert!(suite.personas.len() >= 6);
    let styles: Vec<Style> = suite.personas.iter().map(|p| p.style).collect();
    for style in [
        Style::Reactive,
        Style::Eager,
        Style::Chunks(2),
        Style::Corrects,
    ] {
        assert!(styles.contains(&style), "{style} unused in {styles:?}");
    }

    let dana = persona(suite, "Dana answers only what is asked");
    let keys: Vec<&str> = dana.facts.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        keys,
        [
            "first_name",
            "email",
            "guests",
            "ticket",
            "topics",
            "newsletter"
        ]
    );
    assert_eq!(dana.fact("topics"), Some(&json!(["rust", "ai"])));
    assert_eq!(dana.fact("guests"), Some(&json!(3)));
    assert_eq!((dana.weight, dana.max_turns), (2.0, 12));
    assert_eq!(dana.opening.as_deref(), Some("Hi, I'd like to sign up"));
    assert_eq!(dana.say["email"].len(), 3);
    assert!(dana.expect.submitted);
    assert!(matches!(dana.expect.fields, FieldsExpect::Said));
    let turns = dana.expect.turns.as_ref().map(|t| t.value);
    let turns = turns.unwrap_or_else(|| panic!("no turns"));
    assert_eq!(contains(&turns, &[1.0, 8.0, 9.0]), [true, true, false]);
    let re_asks = dana.expect.re_asks.as_ref().map(|r| r.value);
    assert_eq!(
        re_asks.map(|r| r.describe()),
        Some("between 0 and 0".into())
    );
    assert_eq!(dana.loc.line, 25);

    let ari = persona(suite, "Ari keeps the email private");
    assert_eq!(ari.declines, ["email"]);
    assert!(!ari.expect.submitted);
    let sam = persona(suite, "Sam says everything at once");
    assert!(matches!(sam.expect.fields, FieldsExpect::Facts));
    assert_eq!(sam.max_turns, 12);
    let lee = persona(suite, "Lee corrects a mistake");
    let FieldsExpect::Map(fields) = &lee.expect.fields else {
        panic!("Lee's expect.fields is not a map")
    };
    let expected: Vec<&str> = fields.iter().map(|f| f.key.as_str()).collect();
    assert_eq!(expected, ["email", "guests"]);
    assert!(fields[1].matcher.matches(&json!(1), None));

    let from_csv: Vec<&str> = suite
        .personas
        .iter()
        .filter(|p| p.tags.iter().any(|t| t == "data"))
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(
        from_csv,
        [
            "Dana from the lead list",
            "Omar from the lead list",
            "Mei from the lead list"
        ]
    );
    let omar = persona(suite, "Omar from the lead list");
    assert_eq!(omar.fact("email"), Some(&json!("omar.h@example.org")));
    assert_eq!(omar.fact("ticket"), Some(&json!("standard")));
    assert_eq!(omar.opening.as_deref(), Some("Hello, Omar here"));
    assert_eq!(omar.style, Style::Chunks(1));
}

/// The defaults: reactive, 12 turns, weight 1, submitted, fields said.
#[test]
fn defaults_apply() {
    let suite = loaded("personas:\n  - name: p\n    facts: {first_name: Dana}\n");
    let p = &suite.personas[0];
    assert_eq!((p.style, p.max_turns, p.weight), (Style::Reactive, 12, 1.0));
    assert!(p.opening.is_none() && p.declines.is_empty() && p.say.is_empty());
    assert!(p.expect.submitted && p.expect.turns.is_none() && p.expect.re_asks.is_none());
    assert!(matches!(p.expect.fields, FieldsExpect::Said));
    assert!(p.expect.loc.is_none());
}

/// `${var}`-style expansion is `{{var}}`, as for conversations: a whole placeholder keeps
/// its type; a CSV number for a text field (a phone) becomes its text.
#[test]
fn vars_and_data_expand_personas() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    fs::write(
        dir.path().join("people.csv"),
        "who,phone,n\nDana,5551234567,2\nOmar,+44 20 7946 0958,0\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let text = format!(
        "{FORM}personas:
  - name: \"{{{{who}}}} calls\"
    data: people.csv
    vars: {{mail: x@example.com}}
    facts: {{first_name: \"{{{{who}}}}\", phone: \"{{{{phone}}}}\", guests: \"{{{{n}}}}\", email: \"{{{{mail}}}}\"}}
    opening: \"{{{{who}}}} here\"
    say: {{first_name: [\"I am {{value}}, {{{{who}}}}\"]}}
    expect: {{fields: {{first_name: \"{{{{who}}}}\"}}}}
  - name: fixed
    data: people.csv
    facts: {{first_name: Fixed}}
"
    );
    let path = write(dir.path(), "s.yaml", &text);
    let result = load_paths(&[path]);
    assert!(result.diagnostics.is_empty(), "{:?}", result.diagnostics);
    let personas = &result.suites[0].personas;
    let names: Vec<&str> = personas.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        ["Dana calls", "Omar calls", "fixed [row 1]", "fixed [row 2]"]
    );
    let dana = &personas[0];
    assert_eq!(dana.fact("phone"), Some(&json!("5551234567")));
    assert_eq!(dana.fact("guests"), Some(&json!(2)));
    assert_eq!(dana.fact("email"), Some(&json!("x@example.com")));
    assert_eq!(dana.opening.as_deref(), Some("Dana here"));
    assert_eq!(dana.say["first_name"], ["I am {value}, Dana"]);
    let FieldsExpect::Map(fields) = &personas[1].expect.fields else {
        panic!("not a map")
    };
    assert!(fields[0].matcher.matches(&json!("Omar"), None));
}

/// An unknown variable in a persona is reported where it is written.
#[test]
fn an_unknown_variable_is_located() {
    let errors = load("personas:\n  - name: p\n    facts: {first_name: \"{{who}}\"}\n")
        .err()
        .unwrap_or_default();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("unknown variable `who`"),
        "{}",
        errors[0]
    );
    assert!(errors[0].contains("p.yaml:13:26"), "{}", errors[0]);
}

/// Names are one namespace with conversations; duplicates among data rows are reported.
#[test]
fn names_are_shared_with_conversations() {
    let both = "conversations:\n  - name: c\n    turns: [{user: hi}]\npersonas:\n  - name: p\n    facts: {first_name: D}\n";
    let suite = loaded(both);
    assert_eq!((suite.conversations.len(), suite.personas.len()), (1, 1));
    let clash = "personas:\n  - name: c\n    facts: {first_name: D}\nconversations:\n  - name: c\n    turns: [{user: hi}]\n";
    assert_eq!(titles(clash), ["`c` is already the name of a persona"]);
    let twice = "personas:\n  - name: \"{{x}}\"\n    vars: {x: same}\n    facts: {first_name: D}\n  - name: same\n    facts: {first_name: D}\n";
    assert_eq!(titles(twice), ["duplicate persona name `same`"]);
}

/// Each style, and the ways of writing a wrong one.
#[test]
fn styles() {
    for (written, style) in [
        ("reactive", Style::Reactive),
        ("eager", Style::Eager),
        ("corrects", Style::Corrects),
        ("chunks:3", Style::Chunks(3)),
        ("\"chunks: 2\"", Style::Chunks(2)),
    ] {
        let suite = loaded(&format!(
            "personas:\n  - name: p\n    facts: {{first_name: D}}\n    style: {written}\n"
        ));
        assert_eq!(suite.personas[0].style, style, "{written}");
    }
    assert_eq!(Style::Chunks(3).to_string(), "chunks:3");
    for (written, title) in [
        ("chunks:0", "`chunks:0` gives no fact per message"),
        ("chunks:two", "`chunks:` takes a whole number, found `two`"),
        ("chunks", "`chunks` needs a count"),
        ("Eager", "unknown style `Eager`"),
    ] {
        let text =
            format!("personas:\n  - name: p\n    facts: {{first_name: D}}\n    style: {written}\n");
        assert_eq!(titles(&text), [title], "{written}");
    }
}

/// Fact values against their fields: types, options (values, not labels), ranges, formats.
#[test]
fn facts_are_checked_against_the_form() {
    let fact = |yaml: &str| titles(&format!("personas:\n  - name: p\n    facts: {{{yaml}}}\n"));
    for ok in [
        "ticket: vip",
        "topics: [web, rust]",
        "guests: 0",
        "newsletter: false",
        "phone: \"+1 (555) 123-4567\"",
        "email: a.b+c@mail.example.co.uk",
    ] {
        assert!(fact(ok).is_empty(), "{ok}: {:?}", fact(ok));
    }
    for (bad, title) in [
        (
            "ticket: VIP pass",
            "`VIP pass` is not an option of `ticket`",
        ),
        ("topics: rust", "`topics` is a list field, found a string"),
        ("topics: [rust, go]", "`go` is not an option of `topics`"),
        ("guests: -1", "-1 is outside the range of `guests` (0 to 5)"),
        (
            "newsletter: \"no\"",
            "`newsletter` is a boolean field, found a string",
        ),
        (
            "first_name: true",
            "`first_name` is a text field, found a boolean",
        ),
        (
            "first_name: \"  \"",
            "the fact `first_name` is empty (a string)",
        ),
        ("email: null", "the fact `email` is empty (null)"),
        (
            "phone: \"12\"",
            "`12` is not a phone number (7 to 15 digits), the format of `phone`",
        ),
    ] {
        assert_eq!(fact(bad), [title], "{bad}");
    }
    assert_eq!(
        titles("personas:\n  - name: p\n    facts: [first_name]\n"),
        ["`facts` must be a mapping of field keys to values, found a list"]
    );
}

/// `declines`, `say`, `max_turns` and `expect`, each wrong in its own way.
#[test]
fn the_other_keys_are_checked() {
    let with = |yaml: &str| {
        titles(&format!(
            "personas:\n  - name: p\n    facts: {{first_name: D, guests: 2}}\n{yaml}"
        ))
    };
    assert_eq!(
        with("    declines: [phone, phone]\n"),
        ["`phone` is declined twice"]
    );
    assert_eq!(
        with("    say: {email: \"{value}\"}\n"),
        ["`say` has phrasings for `email`, which is not in `facts`"]
    );
    assert!(with("    say: {guests: \"{value} of us\"}\n").is_empty());
    assert_eq!(
        with("    say: {guests: []}\n"),
        [
            "the phrasings of `guests` must be text or a non-empty list of texts, found an empty list"
        ]
    );
    assert_eq!(
        with("    max_turns: 101\n"),
        ["`max_turns` must be between 1 and 100, found 101"]
    );
    assert_eq!(with("    opening: \"\"\n"), ["the opening is empty"]);
    assert_eq!(
        with("    expect: {submited: true}\n"),
        ["unknown key `submited`"]
    );
    assert_eq!(
        with("    expect: {fields: all}\n"),
        ["unknown `fields` expectation `all`"]
    );
    assert_eq!(
        with("    expect: {fields: {guests: {gt: 5}}}\n"),
        ["`{gt: 5}` never matches `guests`, whose range is 0 to 5"]
    );
    assert_eq!(
        with("    expect: {turns: 0}\n"),
        ["`turns` is a count of at least 1, found 0"]
    );
    assert_eq!(
        with("    expect: {turns: {regex: x}}\n"),
        ["`turns` takes a count or a number range, found regex x"]
    );
    assert_eq!(
        with("    expect: {re_asks: {lt: 0}}\n"),
        ["no count of re_asks is < 0"]
    );
    assert_eq!(
        with("    expect: {turns: {between: [2, 3]}, re_asks: {lte: 1}}\n"),
        Vec::<String>::new()
    );
}

/// A suite may hold only personas, only conversations, or only a form.
#[test]
fn a_suite_may_hold_either_or_neither() {
    let form_only = loaded("");
    assert!(form_only.conversations.is_empty() && form_only.personas.is_empty());
    let personas_only = loaded("personas:\n  - name: p\n    facts: {first_name: D}\n");
    assert!(personas_only.conversations.is_empty());
    assert_eq!(personas_only.personas.len(), 1);
}

fn write(dir: &Path, relative: &str, text: &str) -> PathBuf {
    let path = dir.join(relative);
    fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    path
}
