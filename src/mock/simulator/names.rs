//! Rule 2c: people's names introduced in the usual ways — "I'm Dana", "I am Dana", "this is
//! Dana", "my name is Dana Smith", "call me Dana" — for name-like fields.
//!
//! Owns the introduction phrases and which words of a name go to which field. It must not
//! handle `name: value` phrasings (rule 1 does) or bare answers (the fallback does).

use super::extract::Scan;
use super::fields::{Kind, NamePart};
use super::text::{self, Token, find_seq};
use serde_json::Value;

/// Introductions after which the name may be written in any case.
const LENIENT: [&[&str]; 4] = [
    &["my", "name", "is"],
    &["my", "name's"],
    &["call", "me"],
    &["name's"],
];
/// Introductions that also open ordinary sentences ("I'm happy to"): the name must start
/// with a capital letter.
const STRICT: [&[&str]; 3] = [&["i'm"], &["i", "am"], &["this", "is"]];

/// Words that end a name ("I'm Dana and ...", "my name is dana from ...").
const NOT_NAME: [&str; 18] = [
    "and", "but", "from", "here", "with", "my", "i", "the", "a", "an", "to", "at", "in", "on",
    "of", "by", "for", "looking",
];

/// The most words taken as one name.
const MAX_WORDS: usize = 3;

/// Finds the first introduction followed by a name and gives its words to every name-like
/// field that wants a value: a first name takes the first word, a last name the last word
/// (only when at least two were given), a full name all of them, each capitalised.
pub(crate) fn apply(scan: &mut Scan) {
    let targets: Vec<usize> = (0..scan.models.len())
        .filter(|&i| matches!(scan.models[i].kind, Kind::Name(_)) && scan.wants(i))
        .collect();
    if targets.is_empty() {
        return;
    }
    let Some((intro_start, words)) = find_name(scan) else {
        return;
    };
    let tokens = &scan.tokens;
    let (first, last) = (&tokens[words.start], &tokens[words.end - 1]);
    let whole = tokens[intro_start].start..last.end;
    let all: Vec<String> = tokens[words.clone()]
        .iter()
        .map(|t| written(scan, t))
        .collect();
    let mut offers = Vec::new();
    for field in targets {
        let offer = match scan.models[field].kind {
            Kind::Name(NamePart::First) => Some((written(scan, first), first.span())),
            Kind::Name(NamePart::Last) if words.len() >= 2 => {
                Some((written(scan, last), last.span()))
            }
            Kind::Name(NamePart::Full) => Some((all.join(" "), first.start..last.end)),
            _ => None,
        };
        if let Some((name, span)) = offer {
            offers.push((field, name, span));
        }
    }
    for (field, name, span) in offers {
        scan.offer(field, Value::String(name), span);
    }
    scan.claim(whole);
}

fn written(scan: &Scan, token: &Token) -> String {
    text::capitalize(scan.slice(token.span()))
}

/// The first introduction (by position) followed by at least one name word: the index of
/// its first token and the token range of the name.
fn find_name(scan: &Scan) -> Option<(usize, std::ops::Range<usize>)> {
    let mut found: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
    for (intros, strict) in [(&LENIENT[..], false), (&STRICT[..], true)] {
        for intro in intros {
            let intro: Vec<String> = intro.iter().map(|w| w.to_string()).collect();
            for at in find_seq(&scan.tokens, &intro) {
                let end = at + intro.len();
                if !(at..end).all(|t| scan.token_free(t)) {
                    continue;
                }
                let count = name_words(scan, end, strict);
                if count > 0 {
                    found.push((at, end..end + count));
                }
            }
        }
    }
    // "my name is" also contains "name is": at equal starts keep the earliest found,
    // which is the lenient (longer) introduction.
    found.into_iter().min_by_key(|(at, _)| *at)
}

/// How many tokens from `from` form a name: alphabetic words separated only by spaces,
/// not option words or yes/no cues, capitalised when `strict`.
fn name_words(scan: &Scan, from: usize, strict: bool) -> usize {
    let tokens = &scan.tokens;
    let mut count = 0;
    while count < MAX_WORDS {
        let Some(token) = tokens.get(from + count) else {
            break;
        };
        let prev_end = match (from + count).checked_sub(1) {
            Some(p) => tokens[p].end,
            None => 0,
        };
        let raw = scan.slice(token.span());
        let plain_gap = scan.slice(prev_end..token.start).chars().all(|c| c == ' ');
        let capital = raw.starts_with(char::is_uppercase);
        let wordy = raw
            .chars()
            .all(|c| c.is_alphabetic() || c == '\'' || c == '’' || c == '-');
        let ok = plain_gap
            && wordy
            && (!strict || capital)
            && scan.token_free(from + count)
            && !NOT_NAME.contains(&token.norm.as_str())
            && text::polarity(&token.norm).is_none()
            && !is_option_word(scan, &token.norm);
        if !ok {
            break;
        }
        count += 1;
    }
    count
}

/// Option words are answers, not names ("I'm VIP").
fn is_option_word(scan: &Scan, norm: &str) -> bool {
    scan.models
        .iter()
        .flat_map(|m| &m.options)
        .flat_map(|o| &o.mentions)
        .any(|words| words.iter().any(|w| w == norm))
}
