//! Words, clauses and offsets of a user message: the lexical layer every extraction rule
//! shares.
//!
//! Owns tokenizing, clause boundaries, number words and the small fixed vocabularies (yes/no
//! cues, fillers). It must not know about forms or fields: rules in sibling files give the
//! words their meaning.

use std::ops::Range;

/// One word of the input. Offsets are byte offsets into the input (always char
/// boundaries); `norm` is the lower-cased text with typographic apostrophes made ASCII.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub start: usize,
    pub end: usize,
    pub norm: String,
}

impl Token {
    pub fn span(&self) -> Range<usize> {
        self.start..self.end
    }
}

/// Splits `input` into words: runs of letters and digits, joined across an apostrophe
/// between a letter/digit and a letter ("don't", "I'm"), a hyphen between letters
/// ("Mary-Jane") and a dot between digits ("2.5"). Everything else separates words.
pub(crate) fn tokenize(input: &str) -> Vec<Token> {
    let chars: Vec<(usize, char)> = input.char_indices().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].1.is_alphanumeric() {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < chars.len() {
            let c = chars[j].1;
            if c.is_alphanumeric() {
                j += 1;
            } else if joins(chars[j - 1].1, c, chars.get(j + 1).map(|p| p.1)) {
                j += 2;
            } else {
                break;
            }
        }
        let start = chars[i].0;
        let end = chars.get(j).map_or(input.len(), |p| p.0);
        let norm = input[start..end].to_lowercase().replace('’', "'");
        tokens.push(Token { start, end, norm });
        i = j;
    }
    tokens
}

fn joins(prev: char, c: char, next: Option<char>) -> bool {
    let Some(next) = next else { return false };
    match c {
        '\'' | '’' => prev.is_alphanumeric() && next.is_alphabetic(),
        '-' => prev.is_alphabetic() && next.is_alphabetic(),
        '.' => prev.is_ascii_digit() && next.is_ascii_digit(),
        _ => false,
    }
}

/// Tokens whose normalized text is `[a-z...]`-style words of `text`, for matching labels.
pub(crate) fn words(text: &str) -> Vec<String> {
    tokenize(text).into_iter().map(|t| t.norm).collect()
}

/// Index of every position where `needle` occurs as consecutive tokens of `tokens`.
pub(crate) fn find_seq(tokens: &[Token], needle: &[String]) -> Vec<usize> {
    if needle.is_empty() || needle.len() > tokens.len() {
        return Vec::new();
    }
    (0..=tokens.len() - needle.len())
        .filter(|&i| needle.iter().zip(&tokens[i..]).all(|(n, t)| *n == t.norm))
        .collect()
}

const NUMBER_WORDS: [&str; 21] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
];

/// The number a single token stands for: ASCII digits with at most one decimal point, or an
/// English number word from zero to twenty.
pub(crate) fn number_value(norm: &str) -> Option<f64> {
    if let Some(i) = NUMBER_WORDS.iter().position(|w| *w == norm) {
        return Some(i as f64);
    }
    let digits_ok = !norm.is_empty()
        && norm.chars().all(|c| c.is_ascii_digit() || c == '.')
        && norm.chars().filter(|c| *c == '.').count() <= 1
        && norm.starts_with(|c: char| c.is_ascii_digit());
    if digits_ok { norm.parse().ok() } else { None }
}

/// Parses a whole phrase as a number ("2", "-1.5", "two"), for `label: value` phrasings.
pub(crate) fn parse_number(raw: &str) -> Option<f64> {
    let trimmed = raw.trim();
    if let Some(rest) = trimmed.strip_prefix('-') {
        return parse_number(rest).map(|n| -n);
    }
    let tokens = tokenize(trimmed);
    match tokens.as_slice() {
        [only] if only.start == 0 && only.end == trimmed.len() => number_value(&only.norm),
        _ => None,
    }
}

/// Words that mean "yes" when answering a yes/no question.
pub(crate) const YES_WORDS: &[&str] = &[
    "yes",
    "yeah",
    "yep",
    "yup",
    "sure",
    "ok",
    "okay",
    "true",
    "please",
    "subscribe",
    "sign",
    "want",
    "like",
    "love",
    "add",
    "include",
    "absolutely",
    "definitely",
    "fine",
    "agree",
    "accept",
    "consent",
];

/// Words that mean "no"; checked before [`YES_WORDS`] so "don't subscribe" is a no.
pub(crate) const NO_WORDS: &[&str] = &[
    "no",
    "not",
    "don't",
    "dont",
    "never",
    "without",
    "nope",
    "nah",
    "false",
    "unsubscribe",
    "skip",
    "decline",
    "none",
    "disagree",
    "refuse",
];

/// A yes/no reading of one token: negations ("no", "n't" forms) first, then affirmations.
pub(crate) fn polarity(norm: &str) -> Option<bool> {
    if NO_WORDS.contains(&norm) || norm.ends_with("n't") {
        Some(false)
    } else if YES_WORDS.contains(&norm) {
        Some(true)
    } else {
        None
    }
}

/// Parses a whole phrase as a yes/no answer: its first word decides ("no thanks" → false,
/// "yes please" → true).
pub(crate) fn parse_bool(raw: &str) -> Option<bool> {
    tokenize(raw).first().and_then(|t| polarity(&t.norm))
}

/// Openers that make a short message small talk rather than an answer ("hi", "thanks").
pub(crate) const FILLERS: &[&str] = &[
    "hi", "hello", "hey", "thanks", "thank", "ok", "okay", "hmm", "um", "sorry", "what", "why",
    "how", "who", "can", "could", "please", "yes", "no", "good",
];

/// Words between which clauses break ("rust and ai", "yes but no newsletter").
const CONJUNCTIONS: [&str; 4] = ["and", "but", "or", "however"];

pub(crate) fn is_conjunction(norm: &str) -> bool {
    CONJUNCTIONS.contains(&norm)
}

/// Whether the text between two tokens ends a clause (sentence or list punctuation).
pub(crate) fn gap_breaks(gap: &str) -> bool {
    gap.contains([',', ';', '.', '!', '?', '\n', ':', '='])
}

/// The token indices of the clause around token `at`: bounded by punctuation and by
/// conjunctions, which are not part of the clause.
pub(crate) fn clause_of(input: &str, tokens: &[Token], at: usize) -> Range<usize> {
    let breaks = |a: usize, b: usize| {
        gap_breaks(input.get(tokens[a].end..tokens[b].start).unwrap_or(""))
            || is_conjunction(&tokens[b].norm)
            || is_conjunction(&tokens[a].norm)
    };
    let mut start = at;
    while start > 0 && !breaks(start - 1, start) {
        start -= 1;
    }
    let mut end = at + 1;
    while end < tokens.len() && !breaks(end - 1, end) {
        end += 1;
    }
    start..end
}

/// The longest value read after a label, in characters: one more than the longest text
/// value validation accepts, so an overlong value is rejected rather than cut, and so that
/// many labels in one long message cost linear, not quadratic, time.
pub(crate) const MAX_VALUE_CHARS: usize = 1_001;

/// Where the value that starts at byte `from` ends: at `;`, a newline, `!`, `?`, a `.` that
/// ends a sentence, and (unless `list`) at `,` or the words "and"/"but"; after at most
/// [`MAX_VALUE_CHARS`] characters. Trailing whitespace is excluded.
pub(crate) fn value_end(input: &str, from: usize, list: bool) -> usize {
    let rest = input.get(from..).unwrap_or("");
    let mut end = rest.len();
    let mut iter = rest.char_indices().peekable();
    let mut count = 0;
    while let Some((i, c)) = iter.next() {
        count += 1;
        if count > MAX_VALUE_CHARS {
            end = i;
            break;
        }
        let next = iter.peek().map(|p| p.1);
        let stop = match c {
            ';' | '\n' | '!' | '?' => true,
            ',' => !list,
            '.' => next.is_none_or(char::is_whitespace),
            c if c.is_whitespace() && !list => {
                // Only the next four bytes matter, so a long input stays linear.
                let word = rest[i..].trim_start().as_bytes();
                [b"and ", b"but "].iter().any(|w| {
                    word.get(..4)
                        .is_some_and(|head| head.eq_ignore_ascii_case(*w))
                })
            }
            _ => false,
        };
        if stop {
            end = i;
            break;
        }
    }
    from + rest[..end].trim_end().len()
}

/// Offset of byte `byte` counted in Unicode scalar values (what `meaningfulInput` reports).
pub(crate) fn char_offset(input: &str, byte: usize) -> usize {
    input.get(..byte).map_or(0, |s| s.chars().count())
}

/// "dana" → "Dana": upper-cases the first letter and keeps the rest as written.
pub(crate) fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Whether two byte ranges share at least one byte.
pub(crate) fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norms(input: &str) -> Vec<String> {
        tokenize(input).into_iter().map(|t| t.norm).collect()
    }

    #[test]
    fn tokenizer_joins_apostrophes_hyphens_and_decimals() {
        assert_eq!(
            norms("I’m Mary-Jane, 2.5 don't-stop e-mail. end."),
            ["i'm", "mary-jane", "2.5", "don't-stop", "e-mail", "end"]
        );
        assert_eq!(norms("x.y 1. 2"), ["x", "y", "1", "2"]);
    }

    #[test]
    fn tokens_keep_byte_offsets_of_unicode_input() {
        let input = "Zoë é 3";
        let tokens = tokenize(input);
        assert_eq!(&input[tokens[0].span()], "Zoë");
        assert_eq!(&input[tokens[2].span()], "3");
        assert_eq!(char_offset(input, tokens[2].start), 6);
    }

    #[test]
    fn numbers_from_digits_and_words() {
        assert_eq!(number_value("two"), Some(2.0));
        assert_eq!(number_value("twenty"), Some(20.0));
        assert_eq!(number_value("2.5"), Some(2.5));
        assert_eq!(number_value("twentyone"), None);
        assert_eq!(number_value("3rd"), None);
        assert_eq!(parse_number(" -4 "), Some(-4.0));
        assert_eq!(parse_number("4 or 5"), None);
    }

    #[test]
    fn yes_no_readings() {
        assert_eq!(parse_bool("No thanks"), Some(false));
        assert_eq!(parse_bool("sure!"), Some(true));
        assert_eq!(polarity("wouldn't"), Some(false));
        assert_eq!(parse_bool("maybe"), None);
    }

    #[test]
    fn clause_stops_at_punctuation_and_conjunctions() {
        let input = "VIP please, no newsletter and rust";
        let tokens = tokenize(input);
        let clause = clause_of(input, &tokens, 3);
        assert_eq!(clause, 2..4);
    }

    #[test]
    fn value_end_rules() {
        let s = "my email is dana@example.com, thanks";
        assert_eq!(&s[12..value_end(s, 12, false)], "dana@example.com");
        let s = "name: Dana Smith and more";
        assert_eq!(&s[6..value_end(s, 6, false)], "Dana Smith");
        let s = "topics: rust, ai and web. bye";
        assert_eq!(&s[8..value_end(s, 8, true)], "rust, ai and web");
    }

    #[test]
    fn capitalize_keeps_the_rest() {
        assert_eq!(capitalize("mcDonald"), "McDonald");
        assert_eq!(capitalize("élodie"), "Élodie");
    }
}
