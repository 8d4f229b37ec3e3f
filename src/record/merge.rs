//! The text-level merge behind `convoy record`: replaces (or inserts) a conversation's
//! `start:` block and each turn's `expect:` block, found by indentation from the positions
//! the loader kept, and leaves every other line — comments, order, quoting — as written.
//!
//! Works on block-style YAML (the style of the examples). A turn or conversation written in
//! flow style (`- {user: hi}`) cannot be edited line by line and is reported, never guessed.
//! Pure text in, text out; the caller validates the result before writing it.

/// One block to write: the mapping that holds it (1-based line and column of its first
/// key, from the loader's `Loc`), its key, and its lines below the key (unindented).
#[derive(Debug, Clone)]
pub struct Edit {
    pub line: usize,
    pub column: usize,
    /// `start` or `expect`.
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
    let end = mapping_end(&lines, first, indent);
    find_key(&lines, first, end, indent, key).is_some()
}

/// The replaced line range and the new lines for one edit.
fn locate(lines: &[String], edit: &Edit) -> Result<(usize, usize, Vec<String>), MergeError> {
    let first = edit.line.saturating_sub(1);
    let indent = edit.column.saturating_sub(1);
    let Some(text) = lines.get(first) else {
        return Err(MergeError::Moved(edit.line));
    };
    let before: String = text.chars().take(indent).collect();
    let at = text.chars().nth(indent);
    if matches!(at, Some('{') | Some('[')) {
        return Err(MergeError::FlowStyle(edit.line));
    }
    if !matches!(before.trim(), "" | "-") || at.is_none_or(char::is_whitespace) {
        return Err(MergeError::Moved(edit.line));
    }
    let end = mapping_end(lines, first, indent);
    let pad = " ".repeat(indent);
    let mut new = vec![format!("{pad}{}:", edit.key)];
    new.extend(edit.body.iter().map(|l| format!("{pad}  {l}")));
    Ok(match find_key(lines, first, end, indent, edit.key) {
        Some(key_line) => (key_line, block_end(lines, key_line, indent + 1), new),
        // A new `start:` goes before `turns:`, where a reader looks for it.
        None => {
            let at = (edit.key == "start")
                .then(|| find_key(lines, first, end, indent, "turns"))
                .flatten()
                .unwrap_or(end);
            (at, at, new)
        }
    })
}

fn indent_of(line: &str) -> usize {
    line.chars().take_while(|c| *c == ' ').count()
}

fn significant(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && !t.starts_with('#')
}

/// The index after the last significant line that belongs to the block starting at
/// `first` (lines indented at least `min_indent`).
fn block_end(lines: &[String], first: usize, min_indent: usize) -> usize {
    let mut end = first + 1;
    for (i, line) in lines.iter().enumerate().skip(first + 1) {
        if !significant(line) {
            continue;
        }
        if indent_of(line) < min_indent {
            break;
        }
        end = i + 1;
    }
    end
}

/// The end of the mapping whose keys sit at column `indent` and whose first key is on
/// line `first` (after a `- `).
fn mapping_end(lines: &[String], first: usize, indent: usize) -> usize {
    block_end(lines, first, indent)
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
            body: vec!["submitted: true".into()],
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
