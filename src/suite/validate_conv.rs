//! Validation of `conversations:`: names (required; their uniqueness, shared with personas,
//! is checked in [`crate::suite::validate`]), weights, repeat settings, `prefill`, turns
//! (`user` and/or `current_values`, the 10,000-character limit of the API) and the
//! expectations they carry. The helpers personas share (names, weights, message length)
//! are here too.

use crate::common::wire::Values;
use crate::suite::context::Ctx;
use crate::suite::expect::{validate_expect, validate_final};
use crate::suite::form_keys::FormKeys;
use crate::suite::model::{Conversation, Expect, Turn};
use crate::suite::node::{Node, NodeValue, Pos};
use crate::suite::raw::{RawConversation, RawTurn};
use crate::suite::validate::{check_pass_rate, check_repeat};
use serde_saphyr::Spanned;

/// The API's limit on a user message, in Unicode scalar values.
pub const MAX_USER_CHARS: usize = 10_000;

pub fn validate_conversations(
    raw: Vec<Spanned<RawConversation>>,
    keys: &FormKeys,
    cx: &mut Ctx,
) -> Vec<Conversation> {
    let validated: Vec<Option<Conversation>> = raw
        .into_iter()
        .map(|c| validate_conversation(c, keys, cx))
        .collect();
    validated.into_iter().flatten().collect()
}

fn validate_conversation(
    raw: Spanned<RawConversation>,
    keys: &FormKeys,
    cx: &mut Ctx,
) -> Option<Conversation> {
    let at = Pos::of(&raw).start();
    let raw = raw.value;
    let example = "`- name: gives everything at once`";
    let name = entry_name(raw.name.as_ref(), at, "conversation", example, cx);
    let shown = name.clone().unwrap_or_else(|| "?".to_owned());
    let weight = match &raw.weight {
        Some(w) => check_weight(w, cx),
        None => Some(1.0),
    };
    let prefill = optional(
        raw.prefill.as_ref(),
        |n, cx| values(n, "prefill", keys, cx),
        cx,
    );
    let start = optional(
        raw.start.map(|s| s.value),
        |s, cx| validate_expect(s, keys, cx),
        cx,
    );
    let turns = validate_turns(raw.turns, &shown, at, keys, cx);
    let final_state = optional(raw.final_state, |f, cx| validate_final(f, keys, cx), cx);
    let repeat = optional(raw.repeat.as_ref(), check_repeat, cx);
    let min_pass_rate = optional(raw.min_pass_rate.as_ref(), check_pass_rate, cx);
    Some(Conversation {
        name: name?,
        tags: raw.tags.unwrap_or_default(),
        weight: weight?,
        prefill: prefill?,
        start: start?,
        turns: turns?,
        final_state: final_state?,
        streamed: raw.streamed,
        repeat: repeat?,
        min_pass_rate: min_pass_rate?,
        data_row: raw.data_row,
        loc: cx.loc(at),
    })
}

/// Validates an optional part: `Some(None)` when absent, `None` when present but invalid.
pub(super) fn optional<T, U>(
    raw: Option<T>,
    check: impl FnOnce(T, &mut Ctx) -> Option<U>,
    cx: &mut Ctx,
) -> Option<Option<U>> {
    match raw {
        None => Some(None),
        Some(raw) => check(raw, cx).map(Some),
    }
}

/// The required `name` of a conversation or persona (`kind`), with an example of one.
pub(super) fn entry_name(
    name: Option<&Spanned<String>>,
    at: Pos,
    kind: &str,
    example: &str,
    cx: &mut Ctx,
) -> Option<String> {
    match name {
        None => {
            cx.error(
                at,
                format!("missing `name` in {kind}"),
                format!("name it, e.g. {example}; names are unique in a file"),
            );
            None
        }
        Some(name) if name.value.trim().is_empty() => {
            cx.error(
                Pos::of(name),
                format!("the {kind} name is empty"),
                format!("write a name that says what the {kind} tests"),
            );
            None
        }
        Some(name) => Some(name.value.clone()),
    }
}

pub(super) fn check_weight(weight: &Spanned<f64>, cx: &mut Ctx) -> Option<f64> {
    if weight.value > 0.0 && weight.value.is_finite() {
        return Some(weight.value);
    }
    cx.error(
        Pos::of(weight),
        format!("`weight` must be greater than 0, found {}", weight.value),
        "a weight is the conversation's share of a load mix, e.g. `weight: 3`; \
         to leave a conversation out, select the others with `--filter`",
    );
    None
}

fn validate_turns(
    turns: Option<Spanned<Vec<Spanned<RawTurn>>>>,
    conversation: &str,
    at: Pos,
    keys: &FormKeys,
    cx: &mut Ctx,
) -> Option<Vec<Turn>> {
    let Some(turns) = turns else {
        cx.error(
            at,
            format!("missing `turns` in conversation `{conversation}`"),
            "add the user's messages, e.g. `turns: [{user: \"Hi, I'm Dana\"}]`",
        );
        return None;
    };
    if turns.value.is_empty() {
        cx.error(
            Pos::of(&turns).start(),
            format!("conversation `{conversation}` has no turns"),
            "add at least one turn, e.g. `turns: [{user: \"Hi, I'm Dana\"}]`",
        );
        return None;
    }
    let validated: Vec<Option<Turn>> = turns
        .value
        .into_iter()
        .map(|t| validate_turn(t, keys, cx))
        .collect();
    validated.into_iter().collect()
}

fn validate_turn(raw: Spanned<RawTurn>, keys: &FormKeys, cx: &mut Ctx) -> Option<Turn> {
    let at = Pos::of(&raw).start();
    let raw = raw.value;
    let mut ok = true;
    if raw.user.is_none() && raw.current_values.is_none() {
        cx.error(
            at,
            "a turn needs `user` or `current_values`",
            "write the user's message (`user: \"Hi, I'm Dana\"`), the values to set \
             (`current_values: {newsletter: true}`), or both",
        );
        ok = false;
    }
    if let Some(user) = &raw.user {
        ok &= check_length(&user.value, Pos::of(user), "`user`", cx);
    }
    let current_values = optional(
        raw.current_values.as_ref(),
        |n, cx| values(n, "current_values", keys, cx),
        cx,
    );
    let expect = match raw.expect {
        Some(e) => validate_expect(e.value, keys, cx),
        None => Some(Expect::default()),
    };
    let turn = Turn {
        user: raw.user.map(|u| u.value),
        current_values: current_values?,
        streamed: raw.streamed,
        expect: expect?,
        loc: cx.loc(at),
    };
    ok.then_some(turn)
}

/// `prefill` and `current_values`: field keys of the form to values, sent as written.
fn values(node: &Node, what: &str, keys: &FormKeys, cx: &mut Ctx) -> Option<Values> {
    let NodeValue::Map(entries) = &node.value else {
        cx.error(
            node.pos,
            format!(
                "`{what}` must be a mapping of field keys to values, found {}",
                node.kind_name()
            ),
            format!("write e.g. `{what}: {{newsletter: false}}`"),
        );
        return None;
    };
    let mut out = Values::new();
    let mut ok = true;
    for (key, value) in entries {
        let text = key.scalar_text().unwrap_or_default();
        ok &= keys.check(&text, key.pos, cx);
        match cx.json(value) {
            Some(v) => {
                out.insert(text, v);
            }
            None => ok = false,
        }
    }
    ok.then_some(out)
}

/// Whether a message (`what`: how to name it) fits the API's input limit; reports it at
/// `pos` if not.
pub(super) fn check_length(text: &str, pos: Pos, what: &str, cx: &mut Ctx) -> bool {
    let count = text.chars().count();
    if count <= MAX_USER_CHARS {
        return true;
    }
    cx.error(
        pos,
        format!(
            "{what} has {} characters, more than the API's limit of 10,000",
            thousands(count)
        ),
        "shorten the message: the API rejects an input over 10,000 characters",
    );
    false
}

/// `12345` as `12,345`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands() {
        assert_eq!(super::thousands(10_001), "10,001");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(1_234_567), "1,234,567");
    }
}
