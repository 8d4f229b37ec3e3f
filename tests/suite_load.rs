//! The loader as a library: what a valid suite becomes, directory walking, cross-file form
//! checks, `${VAR}` form ids, and YAML features (anchors, YAML 1.2 scalars).

use convoy::common::wire::ChunkType;
use convoy::suite::{
    ChunkMode, FieldType, FormId, StringFormat, load_paths, load_str, resolve_form_id,
};
use serde_json::json;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

const FORM: &str = "form:
  id: 5d0c9e2a-1f4b-4c8e-9a51-3b2f7e6d8c10
  fields:
    - {key: email, type: string, format: email}
    - {key: guests, type: number}
";

fn fixture(name: &str) -> String {
    let path = Path::new(ROOT).join("tests/fixtures/valid").join(name);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn write(dir: &Path, relative: &str, text: &str) -> PathBuf {
    let path = dir.join(relative);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
    }
    fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    path
}

/// The DESIGN.md example becomes the model it describes, with locations.
#[test]
fn the_design_example_loads() {
    let suite = load_str("s.yaml", &fixture("event-registration.yaml"))
        .unwrap_or_else(|d| panic!("{}", d[0]));
    assert_eq!(suite.name, "event-registration");
    assert_eq!(
        suite.form.id,
        FormId::Guid("5d0c9e2a-1f4b-4c8e-9a51-3b2f7e6d8c10".into())
    );
    let email = suite
        .form
        .field("email")
        .unwrap_or_else(|| panic!("no email"));
    assert_eq!(
        (email.field_type, email.format),
        (FieldType::String, Some(StringFormat::Email))
    );
    assert_eq!(email.label, "Email");
    let guests = suite
        .form
        .field("guests")
        .unwrap_or_else(|| panic!("no guests"));
    assert_eq!((guests.min, guests.max), (Some(0.0), Some(5.0)));
    let ticket = suite
        .form
        .field("ticket")
        .unwrap_or_else(|| panic!("no ticket"));
    assert_eq!(ticket.options[1].value, json!("vip"));
    assert_eq!(ticket.options[1].label, "vip");
    assert!(suite.defaults.dry_run);
    assert_eq!(suite.defaults.think_time.min, Duration::from_secs(1));
    assert_eq!(suite.defaults.think_time.max, Duration::from_secs(3));

    let c = &suite.conversations[0];
    assert_eq!((c.weight, c.tags.clone()), (3.0, vec!["smoke".to_owned()]));
    assert_eq!(
        c.prefill.as_ref().map(|p| p["newsletter"].clone()),
        Some(json!(false))
    );
    assert_eq!(c.loc.line, 19);
    let first = &c.turns[0];
    assert_eq!(first.loc.line, 26);
    assert_eq!(first.expect.fields.len(), 2);
    assert_eq!(first.expect.fields[1].loc.line, 30);
    assert!(
        first.expect.fields[1]
            .matcher
            .matches(&json!("dana@example.com"), None)
    );
    assert_eq!(first.expect.no_fields[0].value, "ticket");
    let chunks = first.expect.chunks.as_ref().map(|c| &c.value);
    assert_eq!(chunks.map(|c| c.mode), Some(ChunkMode::Contains));
    assert_eq!(chunks.map(|c| c.types.len()), Some(3));
    let prompt = first.expect.prompt.as_ref().map(|p| &p.value);
    assert_eq!(
        prompt.and_then(|p| p.kind.clone()),
        Some(ChunkType::SingleSelectInput)
    );
    let second = &c.turns[1];
    assert_eq!(
        second.expect.submitted.as_ref().map(|s| s.value),
        Some(true)
    );
    assert_eq!(
        second.expect.max_latency.as_ref().map(|d| d.value),
        Some(Duration::from_secs(5))
    );
    assert_eq!(second.current_values.as_ref().map(|v| v.len()), Some(1));
    let fin = c.final_state.as_ref().unwrap_or_else(|| panic!("no final"));
    assert_eq!(fin.fields.len(), 2);
    assert_eq!(
        fin.loc.as_ref().map(|l| l.line),
        Some(44),
        "`final:` mapping starts on the line after the key"
    );
}

/// Everything optional and every mode: `exact`, `none_of`, display-only matchers, anchors.
#[test]
fn every_feature_loads() {
    let suite = load_str("all.yaml", &fixture("all-features.yaml")).unwrap_or_else(|d| {
        panic!(
            "{}",
            d.iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
    assert_eq!(suite.name, "all");
    assert_eq!(suite.defaults.repeat, Some(3));
    assert_eq!(suite.defaults.min_pass_rate, Some(0.9));
    assert!(!suite.defaults.dry_run);
    let size = suite
        .form
        .field("size")
        .unwrap_or_else(|| panic!("no size"));
    assert_eq!(size.options[0].label, "Small");
    assert_eq!(size.label, "size");
    let c = &suite.conversations[0];
    assert_eq!(
        (c.repeat, c.min_pass_rate, c.streamed),
        (Some(5), Some(0.8), Some(true))
    );
    let modes: Vec<ChunkMode> = c
        .turns
        .iter()
        .filter_map(|t| t.expect.chunks.as_ref().map(|c| c.value.mode))
        .collect();
    assert_eq!(modes, [ChunkMode::InOrder, ChunkMode::NoneOf]);
    let start = c
        .start
        .as_ref()
        .and_then(|s| s.chunks.as_ref())
        .map(|c| c.value.mode);
    assert_eq!(start, Some(ChunkMode::Exact));
    assert_eq!(c.turns[1].user, None);
    assert_eq!(c.turns[1].streamed, Some(false));
    // The anchored greeting is reused through an alias.
    assert_eq!(c.turns[2].user.as_deref(), Some("Hello there"));
    assert_eq!(c.turns[0].user.as_deref(), Some("Hello there"));
    // YAML 1.2: `yes` is text.
    let newsletter = &c.turns[0].expect.fields[0];
    assert!(newsletter.matcher.matches(&json!(true), Some("yes")));
    assert_eq!(suite.conversations.len(), 3);
}

/// Ranges, combinations, NUMBER_INPUT prompt ranges and µs budgets, as loaded.
#[test]
fn ranges_and_number_prompts_load() {
    let suite =
        load_str("all.yaml", &fixture("all-features.yaml")).unwrap_or_else(|d| panic!("{}", d[0]));
    let c = &suite.conversations[2];
    let first = &c.turns[0].expect;
    let age = &first.fields[0];
    assert_eq!(age.key, "age");
    assert!(age.matcher.matches(&json!(31), None));
    assert!(!age.matcher.matches(&json!(40), None), "ne: 40");
    assert!(!age.matcher.matches(&json!(18), None), "gt: 18");
    assert!(
        !age.matcher.matches(&json!("31"), None),
        "a string is not a number"
    );
    let size = &first.fields[1];
    assert!(size.matcher.matches(&json!("m"), None));
    assert!(size.matcher.matches(&json!("l"), Some("Large")));
    assert!(!size.matcher.matches(&json!("l"), Some("L")));
    let prompt = &first.prompt.as_ref().map(|p| &p.value);
    let prompt = prompt.unwrap_or_else(|| panic!("the first turn has a prompt"));
    assert_eq!(prompt.kind, Some(ChunkType::NumberInput), "implied by min");
    assert_eq!(
        (prompt.min, prompt.max, prompt.multiple_of),
        (Some(18.0), None, Some(1.0))
    );
    let budgets: Vec<Option<Duration>> = c
        .turns
        .iter()
        .map(|t| t.expect.max_latency.as_ref().map(|l| l.value))
        .collect();
    assert_eq!(
        budgets,
        [
            Some(Duration::from_micros(800)),
            Some(Duration::from_micros(1500))
        ]
    );
}

/// A form-only file (for `convoy mock --forms`) is a suite without conversations.
#[test]
fn form_only_files_are_valid() {
    let suite = load_str("forms/contact.yaml", FORM).unwrap_or_else(|d| panic!("{}", d[0]));
    assert_eq!(suite.name, "contact");
    assert!(suite.conversations.is_empty());
}

/// A `${VAR}` form id is kept unresolved by validation and resolved from the environment.
#[test]
fn placeholder_form_ids_resolve_from_the_environment() {
    let text = FORM.replace("5d0c9e2a-1f4b-4c8e-9a51-3b2f7e6d8c10", "\"${SHOP_FORM}\"");
    let suite = load_str("f.yaml", &text).unwrap_or_else(|d| panic!("{}", d[0]));
    assert!(
        matches!(&suite.form.id, FormId::Env { var, loc } if var == "SHOP_FORM" && loc.line == 2)
    );
    let guid = "ABCDEF01-1f4b-4c8e-9a51-3b2f7e6d8c10";
    let resolved = resolve_form_id(&suite.form, |v| (v == "SHOP_FORM").then(|| guid.to_owned()));
    assert_eq!(resolved, Ok(guid.to_owned()));
    let unset = resolve_form_id(&suite.form, |_| None)
        .err()
        .unwrap_or_else(|| panic!("resolved"));
    assert_eq!(unset.title, "environment variable `SHOP_FORM` is not set");
    assert_eq!(
        (unset.file.as_str(), unset.line, unset.column),
        ("f.yaml", 2, 7)
    );
    let bad = resolve_form_id(&suite.form, |_| Some("nope".into())).err();
    assert!(bad.is_some_and(|d| d.title.contains("is not a GUID")));
    let plain = load_str("g.yaml", FORM).unwrap_or_else(|d| panic!("{}", d[0]));
    assert_eq!(
        resolve_form_id(&plain.form, |_| None),
        Ok("5d0c9e2a-1f4b-4c8e-9a51-3b2f7e6d8c10".to_owned())
    );
}

/// Directories are walked recursively for .yaml/.yml, hidden entries skipped, sorted.
#[test]
fn directories_are_walked_in_order() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path();
    write(root, "b.yaml", FORM);
    write(root, "a/z.yml", FORM);
    write(root, "a/readme.md", "not a suite: [");
    write(root, ".hidden.yaml", "broken: [");
    write(root, ".git/x.yaml", "broken: [");
    write(root, "a/.cache/y.yaml", "broken: [");
    let loaded = load_paths(&[root.to_path_buf()]);
    assert!(loaded.diagnostics.is_empty(), "{}", loaded.diagnostics[0]);
    let names: Vec<&str> = loaded.suites.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["z", "b"]);
}

/// Missing paths and empty directories are diagnostics; other files are still loaded.
#[test]
fn bad_paths_are_reported_and_the_rest_loaded() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let good = write(dir.path(), "good.yaml", FORM);
    let empty = dir.path().join("empty");
    fs::create_dir(&empty).unwrap_or_else(|e| panic!("{e}"));
    let missing = dir.path().join("missing.yaml");
    let loaded = load_paths(&[missing, good.clone(), empty, good]);
    assert_eq!(loaded.suites.len(), 1, "a file named twice loads once");
    let titles: Vec<&str> = loaded
        .diagnostics
        .iter()
        .map(|d| d.title.as_str())
        .collect();
    assert_eq!(
        titles,
        [
            "no such file or directory",
            "no suite files in this directory"
        ]
    );
}

/// One form id with different fields in two files is an error; identical copies are fine.
#[test]
fn a_form_id_has_one_set_of_fields() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    write(dir.path(), "a.yaml", FORM);
    let upper = FORM.replace(
        "5d0c9e2a-1f4b-4c8e-9a51-3b2f7e6d8c10",
        "5D0C9E2A-1F4B-4C8E-9A51-3B2F7E6D8C10",
    );
    write(dir.path(), "b.yaml", &upper);
    let same = load_paths(&[dir.path().to_path_buf()]);
    assert!(same.diagnostics.is_empty(), "{}", same.diagnostics[0]);
    write(
        dir.path(),
        "c.yaml",
        &FORM.replace("type: number", "type: string"),
    );
    let loaded = load_paths(&[dir.path().to_path_buf()]);
    assert_eq!(loaded.diagnostics.len(), 1);
    let d = &loaded.diagnostics[0];
    assert!(
        d.file.ends_with("c.yaml") && d.line == 2 && d.column == 7,
        "{d}"
    );
    assert!(
        d.title.contains("different fields") && d.title.contains("a.yaml"),
        "{d}"
    );
}

/// Every problem of a file is reported, in file order, each with a position and a help.
#[test]
fn all_problems_of_a_file_are_reported_in_order() {
    let path = Path::new(ROOT).join("tests/fixtures/invalid/many-problems.yaml");
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{e}"));
    let diagnostics = load_str("many.yaml", &text).err().unwrap_or_default();
    assert_eq!(diagnostics.len(), 9);
    let lines: Vec<usize> = diagnostics.iter().map(|d| d.line).collect();
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(lines, sorted);
    assert!(
        diagnostics
            .iter()
            .all(|d| d.column > 0 && !d.help.is_empty() && d.source_line.is_some())
    );
}
