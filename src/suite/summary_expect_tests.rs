use crate::suite::load_str;

const FORM: &str = "version: 1
form:
  id: 2f0c1a5e-7b8d-4c3e-9f10-a1b2c3d4e5f6
  name: Contact us
  fields:
    - {key: first_name, label: First name, type: string}
    - {key: email, label: Email, type: string, format: email}
";

fn suite_with(summary: &str) -> Result<crate::suite::Suite, Vec<crate::suite::Diagnostic>> {
    load_str("s.yaml", &format!("{FORM}summary:\n{summary}"))
}

fn errors(summary: &str) -> Vec<String> {
    match suite_with(summary) {
        Ok(_) => Vec::new(),
        Err(diagnostics) => diagnostics
            .iter()
            .map(|d| format!("{}:{} {} | {}", d.line, d.column, d.title, d.help))
            .collect(),
    }
}

fn expect(summary: &str) -> crate::suite::SummaryExpect {
    suite_with(summary).unwrap().summary.unwrap()
}

#[test]
fn mentions_resolve_keys_and_labels_to_labels() {
    let e = expect("  mentions: [first_name, EMAIL]\n  max_length: 255\n");
    let labels: Vec<&str> = e.mentions.iter().map(|m| m.value.label.as_str()).collect();
    assert_eq!(labels, ["First name", "Email"]);
    assert_eq!(e.max_length.as_ref().map(|m| m.value), Some(255));
    assert_eq!(e.mentions[0].loc.line, 9);
}

#[test]
fn check_reports_each_broken_expectation() {
    let e = expect(
        "  contains: Contact\n  regex: \"(?i)form\"\n  mentions: [email, first_name]\n  max_length: 20\n",
    );
    assert!(
        e.check("Contact us form collecting: Email, First name.")
            .len()
            == 1
    );
    let misses = e.check("contact us: email.");
    let subjects: Vec<&str> = misses.iter().map(|m| m.subject.as_str()).collect();
    assert_eq!(subjects, ["summary", "summary", "summary.mentions"]);
    assert!(misses[2].expected.contains("First name"), "{misses:?}");
    let long = e.check(&"Contact form Email First name ".repeat(2));
    assert_eq!(long.len(), 1);
    assert_eq!(long[0].actual, "60 characters");
}

#[test]
fn unknown_keys_and_fields_are_located_with_suggestions() {
    let typo = errors("  mention: [email]\n");
    assert_eq!(typo.len(), 1, "{typo:?}");
    assert!(typo[0].starts_with("9:3 unknown key `mention`"), "{typo:?}");
    assert!(typo[0].contains("did you mean `mentions`?"), "{typo:?}");
    let field = errors("  mentions: [emial]\n");
    assert!(
        field[0].contains("`emial` is neither a field key"),
        "{field:?}"
    );
    assert!(field[0].contains("did you mean `email`?"), "{field:?}");
}

#[test]
fn wrong_shapes_are_refused() {
    assert!(errors("  max_length: 0\n")[0].contains("positive whole number"));
    assert!(errors("  max_length: -3\n")[0].contains("positive whole number"));
    assert!(errors("  mentions: email\n")[0].contains("must be a list"));
    assert!(errors("  display: x\n")[0].contains("unknown key `display`"));
    assert!(errors("  regex: \"(\"\n")[0].contains("regex"));
    assert!(!errors("  {}\n").is_empty());
    assert!(errors("  [email]\n")[0].contains("must be a mapping"));
}
