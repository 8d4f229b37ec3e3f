//! A readable expected-vs-actual diff for structured (JSON) values: a line diff of the
//! pretty-printed values, `-` for expected and `+` for actual.

use serde_json::Value;

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

/// Longest-common-subsequence line diff; inputs are small (one value), so O(n·m) is fine.
pub fn line_diff(left: &str, right: &str) -> String {
    let a: Vec<&str> = left.lines().collect();
    let b: Vec<&str> = right.lines().collect();
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = String::new();
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push_str(&format!("  {}\n", a[i]));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            // Removals before additions, as unified diffs show them.
            out.push_str(&format!("- {}\n", a[i]));
            i += 1;
        } else {
            out.push_str(&format!("+ {}\n", b[j]));
            j += 1;
        }
    }
    out
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
    fn scalars_get_no_diff() {
        assert_eq!(structured_diff("\"Dana\"", "\"Dan\""), None);
        assert_eq!(structured_diff("regex ^a", "[1]"), None);
    }
}
