//! `convoy schema`: the JSON Schema of the suite format. The committed copy in
//! `schema/suite.schema.json` must match what the binary prints; every example suite must
//! conform to it (checked by an independent validator, the `jsonschema` crate) and point
//! an editor at it with a modeline; the invalid fixtures a schema can catch (unknown keys,
//! wrong types, bad enum values) must be rejected by it.

mod common;

use common::{convoy, scratch_dir};
use serde_json::Value;
use std::path::{Path, PathBuf};

const REGENERATE: &str = "cargo run -- schema --out schema/suite.schema.json";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn printed_schema() -> String {
    let output = convoy().arg("schema").output().unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

fn committed_schema() -> Value {
    let text = std::fs::read_to_string(root().join("schema/suite.schema.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn validator() -> jsonschema::Validator {
    jsonschema::draft202012::new(&committed_schema()).unwrap()
}

/// A suite file as the JSON an editor's YAML language server validates.
fn suite_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    // As the loader reads suites: YAML 1.2, where `no` is text, not a boolean.
    let mut options = serde_saphyr::Options::default();
    options.strict_booleans = true;
    serde_saphyr::from_str_with_options::<Value>(&text, options).map_err(|e| e.to_string())
}

/// Every schema error of a suite, one per line, with the JSON pointer of the value.
fn schema_errors(validator: &jsonschema::Validator, path: &Path) -> Vec<String> {
    let json = suite_json(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    validator
        .iter_errors(&json)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn yaml_files(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .collect();
    files.sort();
    files
}

/// The suites a user copies from: their files carry the modeline.
fn example_suites() -> Vec<PathBuf> {
    ["suites", "bench/suites", "bench/suites-throughput"]
        .iter()
        .flat_map(|dir| yaml_files(dir))
        .collect()
}

/// Invalid fixtures the schema rejects, each with the JSON pointer an error points at: what
/// an editor underlines before `convoy validate` runs.
const SCHEMA_REJECTS: [(&str, &str); 30] = [
    ("approx-without-tol.yaml", "/conversations/0/turns/0/expect"),
    ("bad-duration.yaml", "/defaults"),
    ("bad-field-key.yaml", "/form/fields/0/key"),
    ("bad-form-id.yaml", "/form/id"),
    ("bad-options.yaml", "/form/fields/0/options"),
    ("bad-prompt-kind.yaml", "/conversations/0/turns/0/expect"),
    ("empty-turns.yaml", "/conversations/0/turns"),
    ("format-on-number.yaml", "/form/fields/0/format"),
    ("malformed-between.yaml", "/conversations/0/turns/0/expect"),
    ("many-problems.yaml", "/conversations/0/weight"),
    ("missing-field-type.yaml", "/form/fields/0"),
    ("missing-form.yaml", ""),
    ("partial-placeholder.yaml", "/form/id"),
    ("pass-rate-above-one.yaml", "/conversations/0/min_pass_rate"),
    ("persona-bad-style.yaml", "/personas/0/style"),
    ("persona-chunks-zero.yaml", "/personas/0/style"),
    ("persona-max-turns-zero.yaml", "/personas/0/max_turns"),
    ("persona-missing-facts.yaml", "/personas/0"),
    ("persona-say-without-value.yaml", "/personas/0/say"),
    ("persona-unknown-key.yaml", "/personas/0"),
    ("string-for-list.yaml", "/conversations/0/turns"),
    ("tol-without-approx.yaml", "/conversations/0/turns/0/expect"),
    ("turn-without-input.yaml", "/conversations/0/turns/0"),
    ("unknown-chunk-type.yaml", "/conversations/0/turns/0/expect"),
    ("unknown-matcher.yaml", "/conversations/0/turns/0/expect"),
    ("unknown-top-level-key.yaml", ""),
    ("unknown-turn-key.yaml", "/conversations/0/turns/0"),
    ("version-2.yaml", "/version"),
    ("yaml11-boolean.yaml", "/defaults"),
    ("zero-weight.yaml", "/conversations/0/weight"),
];

/// Invalid fixtures that are not a JSON document at all: the YAML reader refuses them (as
/// an editor's YAML parser does), so no schema is ever consulted.
const NOT_A_DOCUMENT: [(&str, &str); 5] = [
    ("alias-bomb.yaml", "aliases expand past the node budget"),
    ("deep-nesting.yaml", "nesting deeper than the depth budget"),
    ("duplicate-yaml-key.yaml", "a key twice in one mapping"),
    ("non-utf8.yaml", "not UTF-8"),
    ("yaml-syntax.yaml", "a YAML syntax error"),
];

/// Invalid fixtures that are well-formed as far as any schema can tell: the mistake is in
/// how values relate to each other, to the form or to other files, which only the
/// validator checks.
const SEMANTIC_ONLY: [(&str, &str); 27] = [
    ("bad-regex.yaml", "the pattern must compile as a Rust regex"),
    (
        "bad-threshold.yaml",
        "thresholds have their own expression grammar",
    ),
    (
        "data-missing-file.yaml",
        "the CSV file is read when the suite loads",
    ),
    (
        "data-ragged-rows.yaml",
        "the CSV file's rows are read when the suite loads",
    ),
    (
        "data-unknown-variable.yaml",
        "placeholders resolve against vars and the CSV header",
    ),
    (
        "duplicate-conversation-names.yaml",
        "names unique across list items",
    ),
    ("duplicate-field-keys.yaml", "keys unique across list items"),
    (
        "empty-range.yaml",
        "a range no number satisfies compares two bounds",
    ),
    (
        "field-in-fields-and-no-fields.yaml",
        "the same key under two expectations",
    ),
    ("min-over-max.yaml", "min and max compared with each other"),
    (
        "out-of-range-number.yaml",
        "an expectation against the field's min and max",
    ),
    (
        "persona-expect-field-not-a-fact.yaml",
        "expect.fields keys must be keys of facts",
    ),
    (
        "persona-fact-and-decline.yaml",
        "a key both in facts and in declines",
    ),
    (
        "persona-fact-bad-format.yaml",
        "a fact against its field's format",
    ),
    (
        "persona-fact-out-of-range.yaml",
        "a fact against its field's min and max",
    ),
    (
        "persona-fact-wrong-type.yaml",
        "a fact against its field's type",
    ),
    (
        "persona-name-taken-by-conversation.yaml",
        "names unique across two lists",
    ),
    (
        "persona-turns-over-max.yaml",
        "expect.turns against max_turns",
    ),
    (
        "persona-unknown-decline.yaml",
        "declines must be fields of the form",
    ),
    (
        "persona-unknown-fact-field.yaml",
        "facts keys must be fields of the form",
    ),
    ("regex-on-number.yaml", "a regex against the field's type"),
    (
        "reversed-range.yaml",
        "the two ends of a think_time range compared",
    ),
    (
        "two-operators.yaml",
        "which operators may stand together (a range's two sides)",
    ),
    (
        "unknown-field-in-fields.yaml",
        "fields keys must be fields of the form",
    ),
    (
        "unknown-field-in-no-fields.yaml",
        "no_fields must be fields of the form",
    ),
    (
        "unknown-option-value.yaml",
        "an expected value against the field's options",
    ),
    (
        "user-too-long.yaml",
        "the length limit applies after {{var}} expansion",
    ),
];

#[test]
fn the_committed_schema_is_what_convoy_schema_prints() {
    let committed = std::fs::read_to_string(root().join("schema/suite.schema.json")).unwrap();
    assert!(
        printed_schema() == committed,
        "schema/suite.schema.json is stale: regenerate it with `{REGENERATE}`"
    );
}

#[test]
fn the_schema_is_a_draft_2020_12_schema_of_a_suite() {
    let schema: Value = serde_json::from_str(&printed_schema()).unwrap();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    if let Err(err) = jsonschema::draft202012::meta::validate(&schema) {
        panic!("not a valid draft 2020-12 schema: {err}");
    }
    assert_eq!(schema["required"], serde_json::json!(["form"]));
    assert_eq!(schema["additionalProperties"], false);
}

#[test]
fn out_writes_the_printed_schema_to_a_file() {
    let dir = scratch_dir();
    let path = dir.path().join("suite.schema.json");
    convoy()
        .args(["schema", "--out"])
        .arg(&path)
        .assert()
        .success()
        .stdout("");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), printed_schema());
}

#[test]
fn out_into_a_missing_directory_is_a_usage_error() {
    let dir = scratch_dir();
    let path = dir.path().join("no/such/dir/suite.schema.json");
    convoy()
        .args(["schema", "--out"])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("cannot write"));
}

#[test]
fn every_example_and_valid_fixture_conforms_to_the_schema() {
    let validator = validator();
    let mut files = example_suites();
    files.extend(yaml_files("tests/fixtures/valid"));
    assert!(files.len() >= 9, "{files:?}");
    for file in files {
        let errors = schema_errors(&validator, &file);
        assert!(
            errors.is_empty(),
            "{}:\n{}",
            file.display(),
            errors.join("\n")
        );
    }
}

#[test]
fn every_example_suite_names_the_schema_in_a_modeline_and_still_loads() {
    let schema_file = root()
        .join("schema/suite.schema.json")
        .canonicalize()
        .unwrap();
    for file in example_suites() {
        let text = std::fs::read_to_string(&file).unwrap();
        let first = text.lines().next().unwrap_or_default();
        let relative = first
            .strip_prefix("# yaml-language-server: $schema=")
            .unwrap_or_else(|| panic!("{} starts with {first:?}", file.display()));
        let target = file.parent().unwrap().join(relative);
        assert_eq!(
            target.canonicalize().ok(),
            Some(schema_file.clone()),
            "{}",
            file.display()
        );
    }
    convoy()
        .args([
            "validate",
            "suites",
            "bench/suites",
            "bench/suites-throughput",
        ])
        .assert()
        .success();
}

#[test]
fn schema_detectable_invalid_fixtures_are_rejected_where_they_are_wrong() {
    let validator = validator();
    for (name, pointer) in SCHEMA_REJECTS {
        let file = root().join("tests/fixtures/invalid").join(name);
        let errors = schema_errors(&validator, &file);
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with(&format!("{pointer}: "))),
            "{name}: expected an error at `{pointer}`, got {errors:?}"
        );
    }
}

#[test]
fn the_other_invalid_fixtures_are_beyond_a_schema_for_the_reason_given() {
    let validator = validator();
    for (name, reason) in NOT_A_DOCUMENT {
        let file = root().join("tests/fixtures/invalid").join(name);
        assert!(
            suite_json(&file).is_err(),
            "{name} reads as YAML ({reason})"
        );
    }
    for (name, reason) in SEMANTIC_ONLY {
        let file = root().join("tests/fixtures/invalid").join(name);
        let errors = schema_errors(&validator, &file);
        // Rejected after all? Then it belongs in SCHEMA_REJECTS, with its pointer.
        assert!(
            errors.is_empty(),
            "{name} ({reason}) is rejected: {errors:?}"
        );
    }
}

#[test]
fn every_invalid_fixture_is_classified_once() {
    let listed: Vec<&str> = SCHEMA_REJECTS
        .iter()
        .chain(&NOT_A_DOCUMENT)
        .chain(&SEMANTIC_ONLY)
        .map(|(name, _)| *name)
        .collect();
    for file in yaml_files("tests/fixtures/invalid") {
        let name = file.file_name().unwrap().to_str().unwrap();
        let count = listed.iter().filter(|n| **n == name).count();
        assert_eq!(count, 1, "{name} is listed {count} times: classify it once");
    }
    assert_eq!(listed.len(), yaml_files("tests/fixtures/invalid").len());
}

/// The loader reads a plain number or boolean in a text key as its text; an editor must
/// not flag what `convoy validate` accepts.
#[test]
fn numbers_written_as_text_conform_as_they_load() {
    let dir = scratch_dir();
    let path = dir.path().join("numbers.yaml");
    let suite = "version: 1\nname: 2024\nform:\n  id: 5d0c9e2a-1f4b-4c8e-9a51-3b2f7e6d8c10\n  \
                 fields: [{key: guests, type: number, label: 7}]\ndefaults: {think_time: 0}\n\
                 conversations:\n  - name: 12\n    tags: [1, true]\n    turns:\n      \
                 - user: 42\n        expect: {max_latency: 0}\n";
    std::fs::write(&path, suite).unwrap();
    convoy().arg("validate").arg(&path).assert().success();
    assert_eq!(schema_errors(&validator(), &path), Vec::<String>::new());
}
