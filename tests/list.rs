//! `convoy list` shows what `convoy run` would execute: every expanded conversation and
//! persona of the example suites, narrowed by `--filter` exactly as a run is, as a table
//! or as the documented JSON shape. Nothing is sent, so no server is needed.

mod common;

use common::{convoy, scratch_dir};
use serde_json::Value;
use std::path::PathBuf;

/// Every conversation and persona name of the example suites, as the loader expands them.
fn example_names() -> Vec<String> {
    let loaded = convoy::suite::load_paths(&[PathBuf::from("suites")]);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    loaded
        .suites
        .iter()
        .flat_map(|s| {
            let conversations = s.conversations.iter().map(|c| c.name.clone());
            conversations.chain(s.personas.iter().map(|p| p.name.clone()))
        })
        .collect()
}

fn list_json(args: &[&str]) -> Value {
    let output = convoy()
        .arg("list")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    serde_json::from_slice(&output.stdout).expect("list --format json is JSON")
}

#[test]
fn the_table_lists_every_example_conversation_and_persona() {
    let output = convoy().args(["list", "suites/"]).output().unwrap();
    assert!(output.status.success(), "{output:?}");
    let table = String::from_utf8(output.stdout).unwrap();
    let names = example_names();
    assert!(
        names.len() > 10,
        "the example suites have many conversations"
    );
    for name in &names {
        assert!(
            table.contains(name.as_str()),
            "{name} missing from\n{table}"
        );
    }
    // One header, one line per entry, one count line.
    assert_eq!(table.lines().count(), names.len() + 2, "{table}");
    assert!(table.lines().next().unwrap().starts_with("FILE"));
    // The default paths are `suites/`, as for `convoy run`.
    let default = convoy().arg("list").output().unwrap();
    assert_eq!(String::from_utf8(default.stdout).unwrap(), table);
}

#[test]
fn json_has_the_documented_fields_and_data_rows() {
    let listing = list_json(&[]);
    assert_eq!(listing["schema_version"], 1);
    let entries = listing["entries"].as_array().unwrap();
    assert_eq!(entries.len(), example_names().len());
    for entry in entries {
        for field in [
            "file", "line", "suite", "name", "kind", "tags", "weight", "turns", "repeat",
        ] {
            assert!(entry.get(field).is_some(), "{field} missing in {entry}");
        }
        assert!(
            entry.get("data_row").is_some(),
            "data_row is always present (null)"
        );
        let kind = entry["kind"].as_str().unwrap();
        assert!(kind == "conversation" || kind == "persona", "{kind}");
    }
    // leads.csv has three rows: the data-driven conversation lists once per row.
    let rows: Vec<u64> = entries
        .iter()
        .filter(|e| e["file"] == "suites/leads.yaml" && !e["data_row"].is_null())
        .map(|e| e["data_row"].as_u64().unwrap())
        .collect();
    assert_eq!(rows, [1, 2, 3]);
    // A persona's turns are its max_turns (Ari's is 6 in the example).
    let ari = entries
        .iter()
        .find(|e| e["name"].as_str().unwrap().starts_with("Ari"))
        .unwrap();
    assert_eq!(ari["kind"], "persona");
    assert_eq!(ari["turns"], 6);
}

#[test]
fn filter_narrows_as_a_run_does() {
    let listing = list_json(&["--filter", "validation"]);
    let entries = listing["entries"].as_array().unwrap();
    assert!(!entries.is_empty());
    assert!(entries.len() < example_names().len());
    for entry in entries {
        let tagged = entry["tags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t == "validation");
        let named = entry["name"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("validation");
        assert!(tagged || named, "{entry}");
    }
    // --repeat shows what the run would use.
    let repeated = list_json(&["--filter", "validation", "--repeat", "3"]);
    assert!(
        repeated["entries"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["repeat"] == 3)
    );
}

#[test]
fn suite_errors_and_empty_selections_exit_like_validate() {
    let dir = scratch_dir();
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, "version: 1\nname: x\nconversations: 3\n").unwrap();
    let validate = convoy().arg("validate").arg(&bad).output().unwrap();
    let list = convoy().arg("list").arg(&bad).output().unwrap();
    assert_eq!(list.status.code(), Some(2));
    assert_eq!(list.status.code(), validate.status.code());
    assert!(list.stdout.is_empty());
    let nothing = convoy()
        .args(["list", "--filter", "no-such-tag-anywhere"])
        .output()
        .unwrap();
    assert_eq!(nothing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&nothing.stderr).contains("no conversation matches"));
}
