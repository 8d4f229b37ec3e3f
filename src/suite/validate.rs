//! Validation of a parsed suite file into the model: the suite header, `defaults`, the
//! form, and the one namespace of conversation and persona names. Conversations and
//! expectations are in [`crate::suite::validate_conv`] and [`crate::suite::expect`],
//! personas in [`crate::suite::validate_persona`]. Every problem is reported; a suite is
//! built only without any.

use crate::common::diagnostic::suggest;
use crate::common::duration::parse_range;
use crate::suite::context::Ctx;
use crate::suite::expand::expand;
use crate::suite::form::validate_form;
use crate::suite::form_keys::FormKeys;
use crate::suite::model::{Defaults, Located, Suite};
use crate::suite::node::{Node, NodeValue, Pos};
use crate::suite::raw::{RawConversation, RawDefaults, RawPersona, RawSuite};
use crate::suite::summary_expect::validate_summary;
use crate::suite::validate_conv::validate_conversations;
use crate::suite::validate_persona::validate_personas;
use serde_saphyr::Spanned;
use std::path::Path;

/// A validated suite and where its form id is written (for cross-file checks).
pub struct Validated {
    pub suite: Suite,
    pub form_id_pos: Pos,
}

/// Validates a whole file; `None` when `cx` received any diagnostic.
pub fn validate_suite(raw: Spanned<RawSuite>, path: &Path, cx: &mut Ctx) -> Option<Validated> {
    let root = Pos::of(&raw).start();
    let raw = raw.value;
    if let Some(version) = &raw.version {
        check_version(version, cx);
    }
    let name = suite_name(raw.name.as_ref(), path, cx);
    let defaults = raw
        .defaults
        .map(|d| validate_defaults(d.value, cx))
        .unwrap_or_default();
    let keys = FormKeys::declared(raw.form.as_ref().map(|f| &f.value));
    let form = match raw.form {
        Some(form) => validate_form(form, cx),
        None => {
            cx.error(
                root,
                "missing `form`",
                "every suite declares its form: `form: {id: <GUID>, fields: [...]}`",
            );
            None
        }
    };
    let conversations = expand(raw.conversations.unwrap_or_default(), path, cx);
    let personas = expand(raw.personas.unwrap_or_default(), path, cx);
    unique_names(&conversations, &personas, cx);
    let conversations = validate_conversations(conversations, &keys, cx);
    let personas = validate_personas(personas, &keys, cx);
    let thresholds = validate_thresholds(raw.thresholds.unwrap_or_default(), cx);
    let summary = raw
        .summary
        .as_ref()
        .and_then(|node| validate_summary(node, form.as_ref().map(|(f, _)| f), cx));
    let (form, form_id_pos) = form?;
    if !cx.diagnostics.is_empty() {
        return None;
    }
    Some(Validated {
        suite: Suite {
            path: path.to_path_buf(),
            name: name?,
            description: raw.description,
            form,
            defaults,
            conversations,
            personas,
            thresholds,
            summary,
        },
        form_id_pos,
    })
}

/// Conversation and persona names are one namespace (reports and `--filter` use them):
/// each name is reported where it repeats one written above it.
fn unique_names(
    conversations: &[Spanned<RawConversation>],
    personas: &[Spanned<RawPersona>],
    cx: &mut Ctx,
) {
    let conversation_names = conversations
        .iter()
        .map(|c| (&c.value.name, "conversation"));
    let persona_names = personas.iter().map(|p| (&p.value.name, "persona"));
    let mut names: Vec<(&Spanned<String>, &str)> = conversation_names
        .chain(persona_names)
        .filter_map(|(name, kind)| Some((name.as_ref()?, kind)))
        .collect();
    names.sort_by_key(|(name, _)| (Pos::of(name).line, Pos::of(name).column));
    let mut seen: Vec<(&str, usize, &str)> = Vec::new();
    for (name, kind) in names {
        let pos = Pos::of(name);
        if let Some((_, line, first)) = seen.iter().find(|(n, _, _)| *n == name.value) {
            let title = if *first == kind {
                format!("duplicate {kind} name `{}`", name.value)
            } else {
                format!("`{}` is already the name of a {first}", name.value)
            };
            let help = if *first == kind {
                format!(
                    "names are unique in a file (reports and `--filter` use them); the first is on line {line}"
                )
            } else {
                format!(
                    "conversations and personas share one set of names (reports and `--filter` use them); the {first} is on line {line}"
                )
            };
            cx.error(pos, title, help);
        }
        seen.push((&name.value, pos.line, kind));
    }
}

fn check_version(version: &Node, cx: &mut Ctx) {
    let is_one = matches!(&version.value, NodeValue::Number(n) if n.as_u64() == Some(1));
    if !is_one {
        let shown = version
            .scalar_text()
            .unwrap_or_else(|| version.kind_name().to_owned());
        cx.error(
            version.pos,
            format!("unsupported suite version `{shown}`"),
            "this convoy reads version 1 suites: write `version: 1` or leave `version` out",
        );
    }
}

fn suite_name(name: Option<&Spanned<String>>, path: &Path, cx: &mut Ctx) -> Option<String> {
    match name {
        Some(name) if name.value.trim().is_empty() => {
            cx.error(
                Pos::of(name),
                "the suite name is empty",
                "write a name, or leave `name` out to use the file name",
            );
            None
        }
        Some(name) => Some(name.value.clone()),
        None => Some(
            path.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "suite".to_owned()),
        ),
    }
}

/// Parses each `thresholds:` entry, reporting a bad one with a caret under its bad part.
fn validate_thresholds(
    raw: Vec<Spanned<String>>,
    cx: &mut Ctx,
) -> Vec<Located<crate::common::threshold::Threshold>> {
    let mut thresholds = Vec::new();
    for entry in raw {
        let pos = Pos::of(&entry);
        match crate::common::threshold::parse(&entry.value) {
            Ok(threshold) => thresholds.push(Located {
                value: threshold,
                loc: cx.loc(pos),
            }),
            Err(err) => {
                let quoted = crate::common::diagnostic::source_line(cx.source, pos.line)
                    .and_then(|l| l.chars().nth(pos.column.saturating_sub(1)))
                    .is_some_and(|c| c == '"' || c == '\'');
                let lead = entry.value.len() - entry.value.trim_start().len();
                let offset = entry
                    .value
                    .get(..lead + err.start)
                    .map_or(0, |before| before.chars().count());
                let at = Pos {
                    line: pos.line,
                    column: pos.column + offset + usize::from(quoted),
                    len: err.len.max(1),
                };
                cx.error(
                    at,
                    format!("invalid threshold `{}`: {}", err.expression, err.title),
                    err.help,
                );
            }
        }
    }
    thresholds
}

fn validate_defaults(raw: RawDefaults, cx: &mut Ctx) -> Defaults {
    let base = Defaults::default();
    let think_time = match &raw.think_time {
        Some(t) => match parse_range(&t.value) {
            Ok(range) => range,
            Err(err) => {
                duration_error(t, &err.to_string(), true, cx);
                base.think_time
            }
        },
        None => base.think_time,
    };
    Defaults {
        dry_run: raw.dry_run.unwrap_or(base.dry_run),
        streamed: raw.streamed.unwrap_or(base.streamed),
        think_time,
        repeat: raw.repeat.as_ref().and_then(|r| check_repeat(r, cx)),
        min_pass_rate: raw
            .min_pass_rate
            .as_ref()
            .and_then(|r| check_pass_rate(r, cx)),
    }
}

/// Reports an unparsable duration (or range, when `range` is true) at its value.
pub fn duration_error(text: &Spanned<String>, reason: &str, range: bool, cx: &mut Ctx) {
    let forms = if range {
        "`250ms`, `2s`, `1.5s`, `1m`, `1h`, or a range such as `1s..3s`"
    } else {
        "`250ms`, `2s`, `1.5s`, `1m` or `1h`"
    };
    cx.error(
        Pos::of(text),
        format!("invalid duration `{}`: {reason}", text.value),
        format!("write a number and a unit: {forms}"),
    );
}

/// `repeat` ≥ 1.
pub fn check_repeat(repeat: &Spanned<i64>, cx: &mut Ctx) -> Option<u32> {
    match u32::try_from(repeat.value) {
        Ok(n) if n >= 1 => Some(n),
        _ => {
            cx.error(
                Pos::of(repeat),
                format!("`repeat` must be at least 1, found {}", repeat.value),
                "`repeat: N` runs the conversation N times; write 1 to run it once",
            );
            None
        }
    }
}

/// `min_pass_rate` in [0, 1].
pub fn check_pass_rate(rate: &Spanned<f64>, cx: &mut Ctx) -> Option<f64> {
    if (0.0..=1.0).contains(&rate.value) {
        return Some(rate.value);
    }
    cx.error(
        Pos::of(rate),
        format!(
            "`min_pass_rate` must be between 0 and 1, found {}",
            rate.value
        ),
        "write a fraction of passing runs, e.g. `min_pass_rate: 0.95` for 95%",
    );
    None
}

/// Looks `name` up in a closed list, reporting an unknown one at `pos` with a suggestion.
pub fn one_of<T: Clone>(
    name: &str,
    pos: Pos,
    what: &str,
    table: &[(&str, T)],
    cx: &mut Ctx,
) -> Option<T> {
    let found = table
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.clone());
    if found.is_none() {
        let names: Vec<&str> = table.iter().map(|(n, _)| *n).collect();
        cx.error(
            pos,
            format!("unknown {what} `{name}`"),
            suggest(name, &names),
        );
    }
    found
}
