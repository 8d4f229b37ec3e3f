//! Reading a suite file's bytes into raw types safely: UTF-8 only, YAML 1.2 booleans, and
//! budgets against alias bombs, deep nesting and huge documents. A YAML or serde error
//! becomes one [`Diagnostic`] with the parser's position and a fix.

use crate::common::diagnostic::{Diagnostic, suggest};
use crate::suite::node::Pos;
use crate::suite::raw::RawSuite;
use serde_saphyr::budget::BudgetBreach;
use serde_saphyr::{Budget, DuplicateKeyPolicy, Error, MessageFormatter, Options, Spanned};

/// Parser limits. A real suite is a few hundred nodes and under ten levels deep; these are
/// far above that and far below what could stall or exhaust the process.
pub(crate) fn options() -> Options {
    let mut budget = Budget::default();
    budget.max_depth = 48;
    budget.flow_nesting_limit = 48;
    budget.max_nodes = 200_000;
    budget.max_events = 500_000;
    budget.max_aliases = 10_000;
    budget.max_anchors = 10_000;
    budget.max_recorded_anchor_events = 200_000;
    budget.max_documents = 1;
    let mut options = Options::default();
    options.budget = Some(budget);
    options.alias_limits.max_total_replayed_events = 50_000;
    options.alias_limits.max_replay_stack_depth = 32;
    // YAML 1.2: `yes`, `no`, `on`, `off` are strings, never booleans.
    options.strict_booleans = true;
    options.duplicate_keys = DuplicateKeyPolicy::Error;
    // We render our own snippet; the wrapper would only hide the error's variant.
    options.with_snippet = false;
    options
}

/// Checks the encoding: the text, or a diagnostic at the first byte that is not UTF-8.
pub fn decode<'a>(file: &str, bytes: &'a [u8]) -> Result<&'a str, Diagnostic> {
    std::str::from_utf8(bytes).map_err(|err| {
        let valid = String::from_utf8_lossy(&bytes[..err.valid_up_to()]);
        let line = valid.matches('\n').count() + 1;
        let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        let lossy = String::from_utf8_lossy(bytes);
        Diagnostic::at(
            file,
            &lossy,
            Pos {
                line,
                column,
                len: 1,
            },
            "the file is not valid UTF-8",
            "save the suite as UTF-8 (suites are YAML 1.2, which is Unicode text)",
        )
    })
}

/// Parses the text into the raw suite; a YAML or shape error is one diagnostic.
pub fn parse(file: &str, source: &str) -> Result<Spanned<RawSuite>, Diagnostic> {
    if is_blank(source) {
        return Err(Diagnostic::at(
            file,
            source,
            Pos {
                line: 1,
                column: 1,
                len: 1,
            },
            "the suite file is empty",
            "a suite needs at least a `form:` (see docs/suite-format.md), or delete the file",
        ));
    }
    serde_saphyr::from_str_with_options::<Spanned<RawSuite>>(source, options())
        .map_err(|err| to_diagnostic(file, source, &err))
}

/// Only whitespace and comments: the YAML is a null document.
fn is_blank(source: &str) -> bool {
    source
        .lines()
        .map(str::trim)
        .all(|l| l.is_empty() || l.starts_with('#') || l == "---" || l == "...")
}

/// The error the parser reports, without the wrappers that add context we render ourselves.
fn core(err: &Error) -> &Error {
    match err {
        Error::WithSnippet { error, .. } | Error::AliasError { error, .. } => core(error),
        other => other,
    }
}

fn to_diagnostic(file: &str, source: &str, err: &Error) -> Diagnostic {
    let pos = err
        .location()
        .map(|l| Pos::from_location(&l))
        .filter(|p| p.line > 0)
        .unwrap_or(Pos {
            line: 1,
            column: 1,
            len: 1,
        });
    let (title, help) = describe(core(err));
    Diagnostic::at(file, source, pos, title, help)
}

fn describe(err: &Error) -> (String, String) {
    const ALIAS_BOMB: &str = "anchors and aliases may repeat data, but not expand into this \
                              much; write the values out, or share less";
    match err {
        Error::SerdeUnknownField {
            field, expected, ..
        } => (format!("unknown key `{field}`"), suggest(field, expected)),
        Error::SerdeMissingField { field, .. } => (
            format!("missing `{field}`"),
            format!("add `{field}:` to this mapping"),
        ),
        Error::SerdeInvalidType {
            unexpected,
            expected,
            ..
        } => (
            format!("expected {expected}, found {unexpected}"),
            "change the value to the expected type; docs/suite-format.md lists what each key takes"
                .to_owned(),
        ),
        Error::Unexpected { expected, .. } => (
            format!("expected {} here", kind_name(expected)),
            match *expected {
                "sequence start" => "write a list: `- item` lines, or `[a, b]`".to_owned(),
                "mapping start" => {
                    "write a mapping: `key: value` lines, or `{key: value}`".to_owned()
                }
                _ => "change the value to the expected type; docs/suite-format.md lists what \
                      each key takes"
                    .to_owned(),
            },
        ),
        Error::InvalidScalar { ty, .. } => (
            format!("expected {} here", scalar_name(ty)),
            "change the value to the expected type; docs/suite-format.md lists what each key takes"
                .to_owned(),
        ),
        Error::DuplicateMappingKey { key, .. } => (
            match key {
                Some(k) => format!("duplicate key `{k}`"),
                None => "duplicate key".to_owned(),
            },
            "a key may appear once in a mapping: remove or merge the repeated one".to_owned(),
        ),
        Error::InvalidBooleanStrict { .. } => (
            "expected `true` or `false`".to_owned(),
            "suites are YAML 1.2: `yes`, `no`, `on` and `off` are text, not booleans".to_owned(),
        ),
        Error::Budget { breach, .. } => budget(breach, ALIAS_BOMB),
        Error::AliasReplayLimitExceeded { .. }
        | Error::AliasExpansionLimitExceeded { .. }
        | Error::AliasReplayStackDepthExceeded { .. }
        | Error::AliasReplayCounterOverflow { .. } => (
            "aliases expand to too much data".to_owned(),
            ALIAS_BOMB.to_owned(),
        ),
        Error::UnknownAnchor { .. } => (
            "alias to an unknown anchor".to_owned(),
            "define the anchor (`&name`) before the alias (`*name`) that uses it".to_owned(),
        ),
        Error::MultipleDocuments { .. } => (
            "more than one YAML document in the file".to_owned(),
            "a suite file holds one document: remove the `---` or split the file".to_owned(),
        ),
        Error::Eof { .. } => (
            "unexpected end of file".to_owned(),
            "close every open bracket and quote".to_owned(),
        ),
        other if message(other).contains("recursion limit") => nested_too_deeply(),
        other => (
            format!("invalid YAML: {}", message(other)),
            "check the indentation, quotes and brackets here".to_owned(),
        ),
    }
}

/// The parser's names of YAML nodes in the words of the suite format.
fn kind_name(expected: &str) -> String {
    match expected {
        "sequence start" => "a list".to_owned(),
        "mapping start" => "a mapping".to_owned(),
        "string scalar" => "a text value".to_owned(),
        other => other.to_owned(),
    }
}

fn nested_too_deeply() -> (String, String) {
    (
        "the YAML is nested too deeply".to_owned(),
        "a suite needs only a few levels of nesting; flatten this value".to_owned(),
    )
}

/// Rust scalar types in the words of the suite format.
fn scalar_name(ty: &str) -> &'static str {
    match ty {
        "f64" | "f32" | "floating point" => "a number",
        "i64" | "i32" | "u64" | "u32" | "usize" => "a whole number",
        "bool" => "`true` or `false`",
        _ => "a different kind of value",
    }
}

fn budget(breach: &BudgetBreach, alias_bomb: &str) -> (String, String) {
    match breach {
        BudgetBreach::Depth { .. } => nested_too_deeply(),
        BudgetBreach::Documents { .. } => (
            "more than one YAML document in the file".to_owned(),
            "a suite file holds one document: remove the `---` or split the file".to_owned(),
        ),
        _ => (
            "the YAML expands to too much data".to_owned(),
            alias_bomb.to_owned(),
        ),
    }
}

/// The parser's own words, without its "at line X, column Y" suffix (we print the position),
/// on one line.
fn message(err: &Error) -> String {
    let text = serde_saphyr::UserMessageFormatter.format_message(err);
    let one_line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    one_line.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_points_at_the_first_bad_byte() {
        let bytes = b"form:\n  id: ab\xffcd\n";
        let Err(d) = decode("f.yaml", bytes) else {
            panic!("accepted invalid UTF-8")
        };
        assert_eq!((d.line, d.column), (2, 9));
        assert!(d.title.contains("UTF-8"));
    }

    #[test]
    fn yes_is_a_string_not_a_boolean() {
        let Err(d) = parse("f.yaml", "defaults: {dry_run: yes}\n") else {
            panic!("`yes` accepted as a boolean")
        };
        assert_eq!((d.line, d.column), (1, 21));
        assert_eq!(d.title, "expected `true` or `false`");
    }

    #[test]
    fn blank_file_is_an_error() {
        let Err(d) = parse("f.yaml", "# nothing\n\n") else {
            panic!("blank file accepted")
        };
        assert_eq!(d.title, "the suite file is empty");
    }

    #[test]
    fn unknown_key_suggests_the_closest() {
        let Err(d) = parse("f.yaml", "nmae: x\n") else {
            panic!("unknown key accepted")
        };
        assert_eq!(d.title, "unknown key `nmae`");
        assert_eq!(d.help, "did you mean `name`?");
    }
}
