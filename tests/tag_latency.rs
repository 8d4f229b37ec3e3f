//! latency.csv has a `tag` row per tag × operation covering every request of the
//! conversations carrying the tag: its count is what turns.csv's tagged rows say. One
//! functional run of the example suites against the embedded mock.

mod common;

use common::{convoy, report, scratch_dir};
use std::collections::BTreeMap;

#[test]
fn tag_rows_count_every_request_of_the_tagged_conversations() {
    let dir = scratch_dir();
    let output = convoy()
        .args(["run", "suites/", "--format", "json,csv", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{:?}", output.status);

    // From turns.csv: answered requests per (tag, endpoint).
    let turns = report(dir.path(), "turns.csv");
    let mut reader = csv::Reader::from_reader(turns.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let at = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (tags_at, endpoint_at) = (at("tags"), at("endpoint"));
    let mut expected: BTreeMap<(String, String), u64> = BTreeMap::new();
    for row in reader.records() {
        let row = row.unwrap();
        for tag in row[tags_at].split(';').filter(|t| !t.is_empty()) {
            *expected
                .entry((tag.to_string(), row[endpoint_at].to_string()))
                .or_default() += 1;
        }
    }
    assert!(expected.len() >= 4, "the example suites carry several tags");

    // From latency.csv: the tag rows (scope `tag`, the tag in `conversation`).
    let latency = report(dir.path(), "latency.csv");
    let mut reader = csv::Reader::from_reader(latency.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let at = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let mut found: BTreeMap<(String, String), u64> = BTreeMap::new();
    for row in reader.records() {
        let row = row.unwrap();
        if &row[at("scope")] == "tag" {
            let key = (
                row[at("conversation")].to_string(),
                row[at("operation")].to_string(),
            );
            found.insert(key, row[at("count")].parse().unwrap());
            assert!(!row[at("p95_ms")].is_empty());
        }
    }
    assert_eq!(found, expected);
}
