//! Cell- and text-level helpers shared by the file writers: spreadsheet-safe CSV cells,
//! millisecond formatting, XML and Markdown escaping, the run's title. Pure string
//! functions. (Durations with a unit, for people, are `runner::describe::format_duration`.)

use std::borrow::Cow;

/// Text with every control character written as a visible escape (`\u{1b}`, `\n`,
/// `\u{0}`): the one rule for text from suites and servers in the terminal and in CSV, so
/// that no escape sequence, bell, NUL or line break reaches a terminal or splits a row.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A CSV cell with control characters made [`visible`] that a spreadsheet will not run
/// as a formula: cells starting with `=`, `+`, `-` or `@` get a leading `'` (the OWASP
/// CSV-injection advice; a leading tab or CR is already a visible `\t` / `\r`).
pub fn csv_cell(text: &str) -> Cow<'_, str> {
    let text = visible(text);
    match text.chars().next() {
        Some('=' | '+' | '-' | '@') => Cow::Owned(format!("'{text}")),
        _ => text,
    }
}

/// Microseconds as milliseconds with microsecond precision: `12.345`. Integer maths, so
/// the same input always prints the same bytes.
pub fn ms(us: u64) -> String {
    format!("{}.{:03}", us / 1000, us % 1000)
}

/// A ratio as a percentage with one decimal (`70.0%`); `-` when there is none.
pub fn percent(ratio: Option<f64>) -> String {
    match ratio {
        Some(r) if r.is_finite() => format!("{:.1}%", r * 100.0),
        _ => "-".to_string(),
    }
}

/// A pass rate with its Wilson interval: `35/50 70.0% [56.2%, 80.9%]`.
pub fn pass_rate_text(p: &crate::report::result::PassRate) -> String {
    format!(
        "{}/{} {} [{}, {}]",
        p.passed,
        p.runs,
        percent(Some(p.rate)),
        percent(Some(p.low)),
        percent(Some(p.high))
    )
}

/// What a run is called in titles: its suite's name, or `4 suites` when several ran
/// (their run is named `run`, which would make "convoy run run").
pub fn run_subject(r: &crate::report::result::RunResult) -> String {
    if r.name != "run" {
        return r.name.clone();
    }
    let mut suites: Vec<(&str, &str)> = match &r.load {
        Some(load) => load
            .per_conversation
            .iter()
            .map(|c| (c.suite_file.as_str(), c.suite.as_str()))
            .collect(),
        None => r
            .conversations
            .iter()
            .map(|c| (c.suite_file.as_str(), c.suite.as_str()))
            .collect(),
    };
    suites.sort_unstable();
    suites.dedup();
    match suites.as_slice() {
        [(_, name)] => (*name).to_string(),
        [] => "several suites".to_string(),
        many => format!("{} suites", many.len()),
    }
}

/// `convoy run contact`, or `convoy run · 4 suites`.
pub fn run_title(r: &crate::report::result::RunResult) -> String {
    let subject = run_subject(r);
    if subject == r.name {
        format!("convoy run {subject}")
    } else {
        format!("convoy run · {subject}")
    }
}

/// Seconds with millisecond precision, for JUnit `time` attributes.
pub fn seconds(us: u64) -> String {
    let ms = us / 1000;
    format!("{}.{:03}", ms / 1000, ms % 1000)
}

/// Escapes text for an XML 1.0 attribute value (line breaks and tabs kept as references).
pub fn xml_attr(text: &str) -> String {
    xml_escape(text, true)
}

/// Escapes text for XML 1.0 element content (line breaks kept as they are, readable).
pub fn xml_text(text: &str) -> String {
    xml_escape(text, false)
}

/// Control characters (but line break and tab) are written as a visible `\u{1b}` or
/// `\r`, the [`visible`] rule: XML 1.0 cannot hold most C0 controls even as `&#..;`, and
/// a CR or C1 control that a parser hands back raw would reach a CI log's terminal.
fn xml_escape(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\t' if !attribute => out.push(c),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Kept as references so attribute values keep their line breaks and tabs.
            '\n' => out.push_str("&#10;"),
            '\t' => out.push_str("&#9;"),
            c if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                out.extend(c.escape_default());
            }
            c => out.push(c),
        }
    }
    out
}

/// Escapes API or suite text for inline Markdown on GitHub: HTML-significant characters
/// become entities (no tag can form), Markdown punctuation is backslash-escaped (no link,
/// emphasis or table cell break), line breaks and tabs become spaces (one line per item),
/// and other control characters are made [`visible`] (`\u{1b}`, escaped in turn).
pub fn md_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\t' => out.push(' '),
            c if c.is_control() => c.escape_default().for_each(|e| md_push(&mut out, e)),
            c => md_push(&mut out, c),
        }
    }
    out
}

fn md_push(out: &mut String, c: char) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        // `.` and `:` stop GFM's bare autolinks (`www.x`, `http://x`); `-`, `+`, `=`
        // only matter at the start of a line, where API text is never placed.
        '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '(' | ')' | '#' | '.' | '|' | '~'
        | ':' => {
            out.push('\\');
            out.push(c);
        }
        c => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutralises_formula_cells() {
        for bad in ["=1+2", "+1", "-1", "@SUM(A1)"] {
            assert_eq!(csv_cell(bad), format!("'{bad}"));
        }
        // A leading tab or CR cannot start a formula once it is visible text.
        assert_eq!(csv_cell("\tx"), "\\tx");
        assert_eq!(csv_cell("\rx"), "\\rx");
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell(""), "");
    }

    /// ESC (window titles, hyperlinks, colours), BEL, NUL and line breaks from suite names
    /// or server text never reach a file or terminal raw.
    #[test]
    fn control_characters_become_visible() {
        let hostile = "a\u{1b}]0;owned\u{7}b\u{0}c\nd\u{9b}e";
        assert_eq!(
            visible(hostile),
            "a\\u{1b}]0;owned\\u{7}b\\u{0}c\\nd\\u{9b}e"
        );
        assert_eq!(csv_cell(hostile), visible(hostile));
        assert!(matches!(visible("plain"), Cow::Borrowed("plain")));
    }

    #[test]
    fn formats_milliseconds_exactly() {
        assert_eq!(ms(0), "0.000");
        assert_eq!(ms(12_345), "12.345");
        assert_eq!(seconds(1_234_567), "1.234");
    }

    #[test]
    fn escapes_xml_including_forbidden_controls() {
        assert_eq!(
            xml_attr("<script>a&b</script>]]>\u{1b}\u{0}\n"),
            "&lt;script&gt;a&amp;b&lt;/script&gt;]]&gt;\\u{1b}\\u{0}&#10;"
        );
        assert_eq!(xml_text("a\n\tb\r\u{9b}"), "a\n\tb\\r\\u{9b}");
    }

    #[test]
    fn escapes_markdown_and_html() {
        assert_eq!(
            md_escape("<script>*x*|[a](b)\n"),
            "&lt;script&gt;\\*x\\*\\|\\[a\\]\\(b\\) "
        );
        // `\u{1b}` as Markdown source: GitHub shows it as written.
        assert_eq!(
            md_escape("a\u{1b}]0;t\u{7}\r"),
            r"a\\u\{1b\}\]0;t\\u\{7\}\\r"
        );
    }
}
