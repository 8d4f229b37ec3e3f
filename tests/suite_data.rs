//! Data-driven conversations: `vars:` and `data: FILE.csv` expand at load time, typed
//! whole-placeholder values, row names, and limits checked after expansion.

use convoy::suite::{load_paths, load_str};
use serde_json::json;
use std::fs;

const FORM: &str = "form:
  id: 5d0c9e2a-1f4b-4c8e-9a51-3b2f7e6d8c10
  fields:
    - {key: email, type: string, format: email}
    - {key: guests, type: number}
";

/// A CSV row per conversation, named `[row N]`, with number cells typed as numbers.
#[test]
fn data_rows_become_conversations() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    fs::write(dir.path().join("d.csv"), "mail,n\na@x.io,2\nb@x.io,01\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let suite = format!(
        "{FORM}conversations:
  - name: books
    data: d.csv
    turns:
      - user: \"{{{{mail}}}} for {{{{n}}}}\"
        current_values: {{guests: \"{{{{n}}}}\"}}
        expect: {{fields: {{email: {{regex: \"^{{{{mail}}}}$\"}}}}}}
"
    );
    let path = dir.path().join("s.yaml");
    fs::write(&path, suite).unwrap_or_else(|e| panic!("{e}"));
    let loaded = load_paths(&[path]);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let convs = &loaded.suites[0].conversations;
    let names: Vec<&str> = convs.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["books [row 1]", "books [row 2]"]);
    let turn = &convs[0].turns[0];
    assert_eq!(turn.user.as_deref(), Some("a@x.io for 2"));
    let values = turn
        .current_values
        .as_ref()
        .unwrap_or_else(|| panic!("no values"));
    assert_eq!(values.get("guests"), Some(&json!(2)));
    // `01` does not print back as a number, so it stays text.
    let values = convs[1].turns[0].current_values.as_ref();
    assert_eq!(values.and_then(|v| v.get("guests")), Some(&json!("01")));
}

/// `vars:` with a placeholder in the name; the user limit applies after expansion.
#[test]
fn vars_fill_names_and_the_limit_counts_expanded_text() {
    let ok = format!(
        "{FORM}conversations:\n  - name: \"{{{{who}}}} books\"\n    vars: {{who: Dana}}\n    turns: [{{user: \"I'm {{{{who}}}}\"}}]\n"
    );
    let suite = load_str("s.yaml", &ok).unwrap_or_else(|d| panic!("{d:?}"));
    assert_eq!(suite.conversations[0].name, "Dana books");
    let long = "x".repeat(9_990);
    let over = format!(
        "{FORM}conversations:\n  - name: long\n    vars: {{pad: {long}}}\n    turns: [{{user: \"{{{{pad}}}} and more text\"}}]\n"
    );
    let Err(diagnostics) = load_str("s.yaml", &over) else {
        panic!("an expanded user over 10,000 characters was accepted")
    };
    assert!(diagnostics[0].title.contains("10,000"), "{diagnostics:?}");
}
