//! The wording of questions: the plain one (wording 0, what the deterministic mock always
//! says) and its paraphrases, per kind of question, and the question for two fields at once.
//!
//! Owns the sentences only. Every wording names the field's label, and a select's wording
//! lists its options, so a reader finds the field by its label whatever the wording. It must
//! not choose a wording (the caller passes its index) nor build chunks (`render` does).

use super::fields::{FieldModel, Kind};

/// Wordings per kind of question; an index is taken modulo this.
pub(crate) const WORDINGS: usize = 5;

/// The question asking for `model`, in wording `wording` (modulo [`WORDINGS`]).
pub(crate) fn ask(model: &FieldModel, wording: usize) -> String {
    let label = lower_first(model.label());
    let w = wording % WORDINGS;
    match model.kind {
        Kind::Single => single(&label, &model.option_labels(), w),
        Kind::Multi => multi(&label, &model.option_labels(), w),
        Kind::Number => number(&label, w),
        Kind::Boolean => boolean(model.label(), &label, w),
        _ => text(&label, w),
    }
}

/// One question asking for two fields; no options are listed (the first field's input
/// chunk carries them).
pub(crate) fn ask_two(first: &FieldModel, second: &FieldModel, wording: usize) -> String {
    let (a, b) = (lower_first(first.label()), lower_first(second.label()));
    match wording % WORDINGS {
        0 => format!("What's your {a} and {b}?"),
        1 => format!("Could you tell me your {a} and {b}?"),
        2 => format!("And your {a} and {b}, please?"),
        3 => format!("I still need your {a} and {b}."),
        _ => format!("Next, your {a} and {b}?"),
    }
}

fn text(label: &str, w: usize) -> String {
    match w {
        0 => format!("What is your {label}?"),
        1 => format!("What's your {label}?"),
        2 => format!("Could you tell me your {label}?"),
        3 => format!("And your {label}, please?"),
        _ => format!("I still need your {label}."),
    }
}

fn number(label: &str, w: usize) -> String {
    match w {
        0 => format!("What is the {label}?"),
        1 => format!("What's the {label}?"),
        2 => format!("Could you tell me the {label}?"),
        3 => format!("And the {label}, please?"),
        _ => format!("I still need the {label}."),
    }
}

fn single(label: &str, options: &str, w: usize) -> String {
    match w {
        0 => format!("Which {label} would you like? The choices are: {options}."),
        1 => format!("Which {label} should I put down? You can pick {options}."),
        2 => format!("Could you choose your {label}? The options are: {options}."),
        3 => format!("And your {label}, please? Pick one of: {options}."),
        _ => format!("I still need your {label}, one of: {options}."),
    }
}

fn multi(label: &str, options: &str, w: usize) -> String {
    match w {
        0 => format!("Which {label} would you like? Pick any of: {options}."),
        1 => format!("What {label} are you interested in? Any of: {options}."),
        2 => format!("Could you choose your {label}? Pick any of: {options}."),
        3 => format!("And your {label}, please? Any of: {options}."),
        _ => format!("I still need your {label} (any of: {options})."),
    }
}

/// `written` is the label as written (the plain wording starts with it).
fn boolean(written: &str, label: &str, w: usize) -> String {
    match w {
        0 => format!("{written}: yes or no?"),
        1 => format!("Would you like {label}? Yes or no."),
        2 => format!("And {label}: yes or no?"),
        3 => format!("Should I put you down for {label}? Yes or no."),
        _ => format!("I still need a yes or no for {label}."),
    }
}

/// "First name" → "first name" for use mid-sentence; acronyms ("VIP code") stay as written.
pub(crate) fn lower_first(label: &str) -> String {
    let mut chars = label.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if a.is_uppercase() && !b.is_uppercase() => {
            a.to_lowercase().chain(label.chars().skip(1)).collect()
        }
        _ => label.to_string(),
    }
}
