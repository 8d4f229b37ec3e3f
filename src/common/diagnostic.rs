//! User-facing suite errors, rendered like rustc and Hurl: a title, `--> file:line:col`, the
//! offending source line with a caret under the problem, and an actionable help line.
//! Also "did you mean" suggestions by edit distance.

use std::fmt;

/// A source position: 1-based line and column (in characters) and the token length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
    /// Characters to underline; at least one caret is always drawn.
    pub len: usize,
}

/// One problem in a suite, with where it is and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file as the user named it (a path label, not canonicalized).
    pub file: String,
    /// 1-based; 0 when the problem has no position (e.g. a path that does not exist).
    pub line: usize,
    /// 1-based, in characters; 0 when `line` is 0.
    pub column: usize,
    /// What is wrong, in one line.
    pub title: String,
    /// How to fix it.
    pub help: String,
    /// The text of line `line`, when known.
    pub source_line: Option<String>,
    /// How many characters the caret underlines (at least one is drawn).
    pub span_len: usize,
}

impl Diagnostic {
    /// A problem at `pos` in `source` (the whole text of `file`).
    pub fn at(
        file: &str,
        source: &str,
        pos: Pos,
        title: impl Into<String>,
        help: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            file: file.to_owned(),
            line: pos.line,
            column: pos.column,
            title: title.into(),
            help: help.into(),
            source_line: source_line(source, pos.line),
            span_len: pos.len.max(1),
        }
    }

    /// A problem with a file as a whole, with no position in it.
    pub fn whole_file(file: &str, title: impl Into<String>, help: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: file.to_owned(),
            line: 0,
            column: 0,
            title: title.into(),
            help: help.into(),
            source_line: None,
            span_len: 0,
        }
    }
}

/// Line `line` (1-based) of `source`, without its line break.
pub fn source_line(source: &str, line: usize) -> Option<String> {
    let index = line.checked_sub(1)?;
    source.lines().nth(index).map(str::to_owned)
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "error: {}", self.title)?;
        if self.line == 0 {
            writeln!(f, "  --> {}", self.file)?;
            return write!(f, "  = help: {}", self.help);
        }
        let number = self.line.to_string();
        let gutter = " ".repeat(number.len());
        writeln!(f, "{gutter}--> {}:{}:{}", self.file, self.line, self.column)?;
        if let Some(text) = &self.source_line {
            let (text, column) = window(&printable(text), self.column);
            writeln!(f, "{gutter} |")?;
            writeln!(f, "{number} | {text}")?;
            writeln!(f, "{gutter} | {}", caret_line(&text, column, self.span_len))?;
        }
        write!(f, "{gutter} = help: {}", self.help)
    }
}

/// The line with control characters replaced, so a hostile file cannot drive the terminal.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\t' {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}

/// The widest source line shown; a longer one is cut around the column, with `…` marks.
const MAX_SHOWN: usize = 100;

/// The part of a long line around `column`, and the column within that part.
fn window(text: &str, column: usize) -> (String, usize) {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= MAX_SHOWN {
        return (text.to_owned(), column);
    }
    let start = column.saturating_sub(1).saturating_sub(20).min(chars.len());
    let end = (start + MAX_SHOWN).min(chars.len());
    let mut shown = String::new();
    let mut column = column - start;
    if start > 0 {
        shown.push('…');
        column += 1;
    }
    shown.extend(&chars[start..end]);
    if end < chars.len() {
        shown.push('…');
    }
    (shown, column)
}

/// Spaces up to `column` (tabs kept so that the caret lines up), then the carets, clipped
/// to the end of the line.
fn caret_line(text: &str, column: usize, len: usize) -> String {
    let before = column.saturating_sub(1);
    let mut out: String = text
        .chars()
        .take(before)
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    let line_len = text.chars().count();
    let available = line_len.saturating_sub(before).max(1);
    out.push_str(&"^".repeat(len.clamp(1, available)));
    out
}

/// The candidate closest to `word`: a case-insensitive match first, then the smallest edit
/// distance if it is small enough to be a typo rather than a different word.
pub fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    if let Some(found) = candidates.iter().find(|c| c.eq_ignore_ascii_case(word)) {
        return Some(found);
    }
    let len = word.chars().count();
    let limit = if len <= 3 { 1 } else { (len / 3).max(2) };
    let lower = word.to_ascii_lowercase();
    candidates
        .iter()
        .map(|c| (strsim::levenshtein(&lower, &c.to_ascii_lowercase()), *c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// "did you mean `x`?" when there is a close candidate, else the list of valid names.
pub fn suggest(word: &str, candidates: &[&str]) -> String {
    match closest(word, candidates) {
        Some(c) => format!("did you mean `{c}`?"),
        None => format!("use one of {}", quoted_list(candidates)),
    }
}

/// `a`, `b` and `c`.
pub fn quoted_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_rustc() {
        let source = "a: 1\nfields:\n  email: {regx: \"^dana@\"}\n";
        let pos = Pos {
            line: 3,
            column: 13,
            len: 4,
        };
        let d = Diagnostic::at(
            "s.yaml",
            source,
            pos,
            "unknown matcher `regx`",
            "did you mean `regex`?",
        );
        let expected = "error: unknown matcher `regx`\n --> s.yaml:3:13\n  |\n3 |   email: {regx: \"^dana@\"}\n  |             ^^^^\n  = help: did you mean `regex`?";
        assert_eq!(d.to_string(), expected);
    }

    #[test]
    fn caret_is_clipped_and_never_empty() {
        assert_eq!(caret_line("ab", 2, 10), " ^");
        assert_eq!(caret_line("", 1, 0), "^");
        assert_eq!(caret_line("\tx", 2, 1), "\t^");
    }

    #[test]
    fn long_lines_are_cut_around_the_column() {
        let line = format!("{}X{}", "a".repeat(200), "b".repeat(200));
        let (shown, column) = window(&line, 201);
        assert_eq!(shown.chars().count(), MAX_SHOWN + 2);
        assert_eq!(shown.chars().nth(column - 1), Some('X'));
        assert_eq!(window("short", 3), ("short".to_owned(), 3));
        let (start, col) = window(&"c".repeat(150), 1);
        assert!(start.ends_with('…') && !start.starts_with('…'));
        assert_eq!(col, 1);
    }

    #[test]
    fn control_characters_are_not_echoed() {
        assert_eq!(printable("a\u{1b}[2Jb"), "a\u{fffd}[2Jb");
    }

    #[test]
    fn suggestions() {
        let ops = ["eq", "ne", "regex", "one_of", "contains"];
        assert_eq!(closest("regx", &ops), Some("regex"));
        assert_eq!(closest("REGEX", &ops), Some("regex"));
        assert_eq!(closest("oneof", &ops), Some("one_of"));
        assert_eq!(closest("banana", &ops), None);
        assert_eq!(
            suggest("zzz", &["a", "b", "c"]),
            "use one of `a`, `b` or `c`"
        );
    }

    #[test]
    fn whole_file_has_no_position() {
        let d = Diagnostic::whole_file("missing.yaml", "no such file", "check the path");
        assert_eq!(
            d.to_string(),
            "error: no such file\n  --> missing.yaml\n  = help: check the path"
        );
    }
}
