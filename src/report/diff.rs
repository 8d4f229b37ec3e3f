//! A readable expected-vs-actual diff for structured (JSON) values: a line diff of the
//! pretty-printed values, `-` for expected and `+` for actual.

use serde_json::Value;
use similar::{Algorithm, ChangeTag, TextDiff};
use std::time::Duration;

/// A line diff when both texts are JSON lists or objects; `None` for scalars, where the
/// one-line expected/actual pair is clearer.
pub fn structured_diff(expected: &str, actual: &str) -> Option<String> {
    let expected: Value = serde_json::from_str(expected).ok()?;
    let actual: Value = serde_json::from_str(actual).ok()?;
    let structured = |v: &Value| v.is_array() || v.is_object();
    if !structured(&expected) || !structured(&actual) {
        return None;
    }
    let left = serde_json::to_string_pretty(&expected).ok()?;
    let right = serde_json::to_string_pretty(&actual).ok()?;
    Some(line_diff(&left, &right))
}

/// A line diff by `similar`'s Myers algorithm. The deadline bounds the time a huge value
/// from a server could take; past it the diff is coarser (whole blocks), never wrong.
pub fn line_diff(left: &str, right: &str) -> String {
    // A last line without its `\n` would differ from the same line with one.
    let (left, right) = (with_newline(left), with_newline(right));
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Myers)
        .timeout(Duration::from_millis(250))
        .diff_lines(left.as_ref(), right.as_ref());
    let mut out = String::with_capacity(left.len() + right.len());
    for change in diff.iter_all_changes() {
        out.push_str(match change.tag() {
            ChangeTag::Equal => "  ",
            ChangeTag::Delete => "- ",
            ChangeTag::Insert => "+ ",
        });
        out.push_str(change.value().trim_end_matches(['\n', '\r']));
        out.push('\n');
    }
    out
}

fn with_newline(text: &str) -> std::borrow::Cow<'_, str> {
    if text.is_empty() || text.ends_with('\n') {
        text.into()
    } else {
        format!("{text}\n").into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diffs_objects_line_by_line() {
        let diff = structured_diff(r#"{"a":1,"b":2}"#, r#"{"a":1,"b":3}"#).unwrap();
        assert_eq!(
            diff,
            "  {\n    \"a\": 1,\n-   \"b\": 2\n+   \"b\": 3\n  }\n"
        );
    }

    #[test]
    fn removals_come_before_additions_and_common_lines_stay() {
        let diff = line_diff("a\nb\nc\nd", "a\nx\ny\nd\ne\n");
        assert_eq!(diff, "  a\n- b\n- c\n+ x\n+ y\n  d\n+ e\n");
    }

    #[test]
    fn scalars_get_no_diff() {
        assert_eq!(structured_diff("\"Dana\"", "\"Dan\""), None);
        assert_eq!(structured_diff("regex ^a", "[1]"), None);
    }
}
