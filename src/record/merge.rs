//! The text-level merge behind `convoy record`: replaces (or inserts) a conversation's
//! `start:` block and each turn's `expect:` block, found by indentation from the positions
//! the loader kept, and leaves every other line — comments, order, quoting — as written.
//!
//! Works on block-style YAML (the style of the examples). A turn or conversation written in
//! flow style (`- {user: hi}`) cannot be edited line by line and is reported, never guessed.
//! Pure text in, text out; the caller validates the result before writing it.

use super::entries::{block_end, indent_of};

/// One block to write: the mapping that holds it (1-based line and column of its first
/// key, from the loader's `Loc`), its key, and its lines below the key, indented relative
/// to the key.
#[derive(Debug, Clone)]
pub struct Edit {
    pub line: usize,
    pub column: usize,
    /// `start`, `expect` or `final`.
    pub key: &'static str,
    pub body: Vec<String>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MergeError {
    #[error(
        "line {0}: written in flow style (`{{...}}`), which cannot be edited line by line; \
         write it as a block mapping"
    )]
    FlowStyle(usize),
    #[error("line {0}: not where the suite was loaded from (was the file changed meanwhile?)")]
    Moved(usize),
    #[error(
        "line {0}: not a mapping convoy record can edit (an alias or a merge key?); write \
         these expectations out as a mapping"
    )]
    NotAMapping(usize),
}

/// Applies every edit to `source`.
pub fn apply(source: &str, edits: &[Edit]) -> Result<String, MergeError> {
    let mut lines: Vec<String> = source.lines().map(str::to_owned).collect();
    let mut replacements = Vec::new();
    for edit in edits {
        replacements.push(locate(&lines, edit)?);
    }
    // Bottom-up, so earlier line numbers stay valid.
    replacements.sort_by_key(|r| std::cmp::Reverse(r.0));
    for (start, end, new) in replacements {
        lines.splice(start..end, new);
    }
    let mut text = lines.join("\n");
    text.push('\n');
    Ok(text)
}

/// Whether the mapping at (line, column) has a key `key` (e.g. `vars`, `data`).
pub fn has_key(source: &str, line: usize, column: usize, key: &str) -> bool {
    let lines: Vec<String> = source.lines().map(str::to_owned).collect();
    let indent = column.saturating_sub(1);
    let first = line.saturating_sub(1);
    let end = block_end(&lines, first, indent);
    find_key(&lines, first, end, indent, key).is_some()
}

/// The 0-based line of `key:` in the mapping at (line, column), if it is written there.
pub fn find_block(
    lines: &[String],
    line: usize,
    column: usize,
    key: &str,
) -> Result<Option<usize>, MergeError> {
    let first = line.saturating_sub(1);
    let indent = column.saturating_sub(1);
    let Some(text) = lines.get(first) else {
        return Err(MergeError::Moved(line));
    };
    let before: String = text.chars().take(indent).collect();
    let at = text.chars().nth(indent);
    if matches!(at, Some('{') | Some('[')) {
        return Err(MergeError::FlowStyle(line));
    }
    if !matches!(before.trim(), "" | "-") || at.is_none_or(char::is_whitespace) {
        return Err(MergeError::Moved(line));
    }
    let end = block_end(lines, first, indent);
    Ok(find_key(lines, first, end, indent, key))
}

/// The replaced line range and the new lines for one edit.
fn locate(lines: &[String], edit: &Edit) -> Result<(usize, usize, Vec<String>), MergeError> {
    let first = edit.line.saturating_sub(1);
    let indent = edit.column.saturating_sub(1);
    let found = find_block(lines, edit.line, edit.column, edit.key)?;
    let end = block_end(lines, first, indent);
    let pad = " ".repeat(indent);
    let body = edit.body.iter().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!("{pad}{l}")
        }
    });
    Ok(match found {
        Some(key_line) => {
            // A comment after `expect:` stays; an inline flow value is replaced.
            let head = &lines[key_line];
            let inline = head.split_once(':').map(|(_, rest)| rest.trim_start());
            let keep_head = inline.is_some_and(|r| r.is_empty() || r.starts_with('#'));
            let mut new = vec![if keep_head {
                head.clone()
            } else {
                format!("{pad}{}:", edit.key)
            }];
            new.extend(body);
            (key_line, block_end(lines, key_line, indent + 1), new)
        }
        // A new `start:` goes before `turns:`, where a reader looks for it.
        None => {
            let at = (edit.key == "start")
                .then(|| find_key(lines, first, end, indent, "turns"))
                .flatten()
                .unwrap_or(end);
            let mut new = vec![format!("{pad}{}:", edit.key)];
            new.extend(body);
            (at, at, new)
        }
    })
}

/// The line of `key:` among the mapping's own keys (indented exactly `indent`).
fn find_key(lines: &[String], first: usize, end: usize, indent: usize, key: &str) -> Option<usize> {
    (first..end).find(|&i| {
        let line = &lines[i];
        let rest: String = line.chars().skip(indent).collect();
        let own_level = i == first || indent_of(line) == indent;
        own_level && rest.strip_prefix(key).is_some_and(|r| r.starts_with(':'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUITE: &str = "conversations:
  # keep me
  - name: a
    turns:
      - user: hi   # and me
        expect:
          fields: {x: 1}
          # gone with the block
          submitted: false
      - user: bye

  - name: b
    turns: [{user: hi}]
";

    fn edit(line: usize, column: usize, key: &'static str) -> Edit {
        Edit {
            line,
            column,
            key,
            body: vec!["  submitted: true".into()],
        }
    }

    #[test]
    fn replaces_and_inserts_blocks_keeping_comments() {
        let edits = [
            edit(5, 9, "expect"),
            edit(10, 9, "expect"),
            edit(3, 5, "start"),
        ];
        let merged = apply(SUITE, &edits).unwrap_or_else(|e| panic!("{e}"));
        let expected = "conversations:
  # keep me
  - name: a
    start:
      submitted: true
    turns:
      - user: hi   # and me
        expect:
          submitted: true
      - user: bye
        expect:
          submitted: true

  - name: b
    turns: [{user: hi}]
";
        assert_eq!(merged, expected);
    }

    #[test]
    fn flow_style_is_refused() {
        assert_eq!(
            apply(SUITE, &[edit(13, 13, "expect")]).err(),
            Some(MergeError::FlowStyle(13))
        );
        assert!(!has_key(SUITE, 3, 5, "vars"));
        assert!(has_key(SUITE, 3, 5, "turns"));
    }
}
