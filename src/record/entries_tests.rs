//! Tests of reading a mapping's entries as written.

use super::*;

fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_owned).collect()
}

#[test]
fn block_entries_keep_their_lines_and_comments() {
    let text = lines(
        "expect:   # why
  fields:
    first_name: Dana
    # the address is checked loosely
    email: {regex: \"^dana@\"}
  no_fields:
  - phone
  prompt:
    field: ticket
    options: [a, b]
",
    );
    let entries = mapping_entries(&text, 0, 0, 0).unwrap_or_default();
    let keys: Vec<&str> = entries.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(keys, ["fields", "no_fields", "prompt"]);
    assert_eq!(entries[1].lines, ["no_fields:", "- phone"]);
    assert_eq!(entries[2].line, 8);
    assert_eq!(
        entries[2].one_line(),
        "prompt: field: ticket options: [a, b]"
    );
    let fields = mapping_entries(&entries[0].lines, 0, 0, entries[0].line - 1);
    let fields = fields.unwrap_or_default();
    assert_eq!(fields[1].key, "email");
    assert_eq!(fields[1].line, 5);
    assert_eq!(fields[1].comments, ["# the address is checked loosely"]);
    assert_eq!(fields[1].lines, ["email: {regex: \"^dana@\"}"]);
    assert_eq!(step(&text, 0, 0), 2);
}

#[test]
fn flow_entries_split_at_top_level_commas_only() {
    let text = lines(
        "fields: {first_name: Dana, \"last name\": 'O''Hara, Jr',
  email: {regex: \"^a,b\\\"}\"}, # a comment, with a comma
  tags: [a, b]}",
    );
    let entries = mapping_entries(&text, 0, 0, 10).unwrap_or_default();
    let pairs: Vec<(&str, usize, &str)> = entries
        .iter()
        .map(|e| (e.key.as_str(), e.line, e.lines[0].as_str()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("first_name", 11, "first_name: Dana"),
            ("last name", 11, "\"last name\": 'O''Hara, Jr'"),
            ("email", 12, "email: {regex: \"^a,b\\\"}\"}"),
            ("tags", 13, "tags: [a, b]"),
        ]
    );
}

#[test]
fn what_is_not_a_mapping_is_none() {
    assert_eq!(mapping_entries(&lines("fields: *common"), 0, 0, 0), None);
    assert_eq!(mapping_entries(&lines("fields: {a: 1"), 0, 0, 0), None);
    assert_eq!(split_flow("[A, B]").map(|i| i.len()), Some(2));
}

#[test]
fn the_file_step_is_the_first_indentation() {
    assert_eq!(file_step(&lines("# x\nversion: 1\nform:\n    id: a\n")), 4);
    assert_eq!(file_step(&lines("version: 1\n")), 2);
}
