//! The string formats a form field may declare (email, phone, date, time, url): finding
//! them in free text, normalizing a written value, and checking a value against its
//! format. The mock's assistant uses it to extract and accept values; the suite loader
//! uses it to check the values a persona knows.
//!
//! Owns the format patterns only; it must not decide which field a match belongs to.

use regex::{Captures, Regex};
use std::ops::Range;
use std::sync::LazyLock;

/// The `format:` of a string field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StringFormat {
    Email,
    Phone,
    Date,
    Time,
    Url,
}

/// A format match in the input: its byte range and its normalized value.
#[derive(Debug, Clone, PartialEq)]
pub struct FormatMatch {
    pub span: Range<usize>,
    pub value: String,
}

// The patterns are program constants, so a failure to compile is a bug caught by the unit
// tests below, never something user input can trigger.
fn pattern(source: &str) -> Regex {
    Regex::new(source).unwrap_or_else(|e| panic!("static pattern {source:?}: {e}"))
}

const MONTHS: &str = r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";

static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?i)[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}"));
static URL: LazyLock<Regex> = LazyLock::new(|| pattern(r#"(?i)\b(?:https?://|www\.)[^\s<>"']+"#));
static PHONE: LazyLock<Regex> = LazyLock::new(|| pattern(r"\+?\(?\d[\d ().-]{5,20}\d"));
static DATE_ISO: LazyLock<Regex> = LazyLock::new(|| pattern(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b"));
static DATE_MONTH_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    pattern(&format!(
        r"(?i)\b({MONTHS})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b"
    ))
});
static DATE_DAY_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    pattern(&format!(
        r"(?i)\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({MONTHS})\.?,?\s+(\d{{4}})\b"
    ))
});
static TIME_CLOCK: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?i)\b(\d{1,2}):(\d{2})(?:\s*([ap])\.?m\b\.?)?"));
static TIME_HOUR: LazyLock<Regex> = LazyLock::new(|| pattern(r"(?i)\b(\d{1,2})\s*([ap])\.?m\b\.?"));

/// Every match of `format` in `input`, in input order, without overlaps.
pub fn find(format: StringFormat, input: &str) -> Vec<FormatMatch> {
    match format {
        StringFormat::Email => plain(&EMAIL, input, |_| true),
        StringFormat::Url => plain(&URL, input, |_| true)
            .into_iter()
            .map(|m| trim_url(input, m))
            .collect(),
        StringFormat::Phone => {
            // "2026-03-14" has eight digits but is a date, whatever fields the form has.
            let dates = dates(input);
            plain(&PHONE, input, |s| (7..=15).contains(&digit_count(s)))
                .into_iter()
                .filter(|m| standalone(input, &m.span))
                .filter(|m| !dates.iter().any(|d| overlap(&d.span, &m.span)))
                .collect()
        }
        StringFormat::Date => dates(input),
        StringFormat::Time => times(input),
    }
}

/// A written value in canonical form when it is exactly one match of `format` ("March 3,
/// 2026" → "2026-03-03", "3pm" → "15:00"); otherwise the trimmed text as written, for
/// validation to judge.
pub fn normalize(format: StringFormat, raw: &str) -> String {
    let trimmed = raw.trim().trim_end_matches('.');
    match find(format, trimmed).as_slice() {
        [only] if only.span == (0..trimmed.len()) => only.value.clone(),
        _ => trimmed.to_string(),
    }
}

/// Whether `value` is a valid, canonical value of `format`.
pub fn is_valid(format: StringFormat, value: &str) -> bool {
    let whole = |m: &[FormatMatch]| matches!(m, [only] if only.span == (0..value.len()));
    match format {
        StringFormat::Date => {
            whole(&find(format, value))
                && iso_parts(value).is_some_and(|(y, m, d)| valid_date(y, m, d))
        }
        StringFormat::Time => value.len() == 5 && valid_time(value),
        _ => whole(&find(format, value)),
    }
}

fn plain(re: &Regex, input: &str, keep: impl Fn(&str) -> bool) -> Vec<FormatMatch> {
    re.find_iter(input)
        .filter(|m| keep(m.as_str()))
        .map(|m| FormatMatch {
            span: m.range(),
            value: m.as_str().to_string(),
        })
        .collect()
}

fn digit_count(s: &str) -> usize {
    s.chars().filter(char::is_ascii_digit).count()
}

/// A phone number must not be glued to letters or digits ("abc5551234567" is not one).
fn standalone(input: &str, span: &Range<usize>) -> bool {
    let before = input[..span.start].chars().next_back();
    let after = input[span.end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// Sentence punctuation after a URL belongs to the sentence, not the URL.
fn trim_url(input: &str, m: FormatMatch) -> FormatMatch {
    let text = &input[m.span.clone()];
    let kept = text.trim_end_matches(['.', ',', ';', ':', '!', '?', ')']);
    FormatMatch {
        span: m.span.start..m.span.start + kept.len(),
        value: kept.to_string(),
    }
}

fn dates(input: &str) -> Vec<FormatMatch> {
    let mut found: Vec<FormatMatch> = Vec::new();
    let mut push = |span: Range<usize>, y: u32, m: u32, d: u32| {
        if !found.iter().any(|f| overlap(&f.span, &span)) {
            found.push(FormatMatch {
                span,
                value: format!("{y:04}-{m:02}-{d:02}"),
            });
        }
    };
    for c in DATE_ISO.captures_iter(input) {
        push(whole_span(&c), num(&c, 1), num(&c, 2), num(&c, 3));
    }
    for c in DATE_MONTH_FIRST.captures_iter(input) {
        push(whole_span(&c), num(&c, 3), month(&c, 1), num(&c, 2));
    }
    for c in DATE_DAY_FIRST.captures_iter(input) {
        push(whole_span(&c), num(&c, 3), month(&c, 2), num(&c, 1));
    }
    found.sort_by_key(|f| f.span.start);
    found
}

fn times(input: &str) -> Vec<FormatMatch> {
    let mut found: Vec<FormatMatch> = Vec::new();
    for c in TIME_CLOCK
        .captures_iter(input)
        .chain(TIME_HOUR.captures_iter(input))
    {
        let span = whole_span(&c);
        if found.iter().any(|f| overlap(&f.span, &span)) {
            continue;
        }
        let hour = num(&c, 1);
        let has_minutes = c
            .get(2)
            .is_some_and(|m| m.as_str().starts_with(|ch: char| ch.is_ascii_digit()));
        let (minute, meridiem) = if has_minutes {
            (num(&c, 2), c.get(3))
        } else {
            (0, c.get(2))
        };
        let hour = match meridiem.map(|m| m.as_str().to_ascii_lowercase()) {
            Some(m) if (1..=12).contains(&hour) => hour % 12 + if m == "p" { 12 } else { 0 },
            // "15pm" or "0am": keep the hour as written so validation can reject it.
            Some(_) => hour + 100,
            None => hour,
        };
        found.push(FormatMatch {
            span,
            value: format!("{hour:02}:{minute:02}"),
        });
    }
    found.sort_by_key(|f| f.span.start);
    found
}

fn overlap(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

fn whole_span(c: &Captures) -> Range<usize> {
    c.get(0).map_or(0..0, |m| m.range())
}

fn num(c: &Captures, i: usize) -> u32 {
    c.get(i).and_then(|m| m.as_str().parse().ok()).unwrap_or(0)
}

fn month(c: &Captures, i: usize) -> u32 {
    let name = c
        .get(i)
        .map_or(String::new(), |m| m.as_str().to_ascii_lowercase());
    let prefixes = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    prefixes
        .iter()
        .position(|p| name.starts_with(p))
        .map_or(0, |i| i as u32 + 1)
}

fn iso_parts(value: &str) -> Option<(u32, u32, u32)> {
    let c = DATE_ISO.captures(value)?;
    Some((num(&c, 1), num(&c, 2), num(&c, 3)))
}

fn valid_date(y: u32, m: u32, d: u32) -> bool {
    let leap = (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

fn valid_time(value: &str) -> bool {
    let mut parts = value.split(':');
    let hour = parts.next().and_then(|h| h.parse::<u32>().ok());
    let minute = parts.next().and_then(|m| m.parse::<u32>().ok());
    matches!((hour, minute, parts.next()), (Some(h), Some(m), None) if h < 24 && m < 60)
}

#[cfg(test)]
mod tests {
    use super::*;
    use StringFormat::*;

    fn values(format: StringFormat, input: &str) -> Vec<String> {
        find(format, input).into_iter().map(|m| m.value).collect()
    }

    #[test]
    fn emails_and_urls() {
        assert_eq!(
            values(Email, "I'm dana@example.com, or D.S+x@mail.co.uk."),
            ["dana@example.com", "D.S+x@mail.co.uk"]
        );
        assert!(values(Email, "dana at example dot com, @home").is_empty());
        assert_eq!(
            values(Url, "see https://example.com/a?b=1. Or www.x.org)"),
            ["https://example.com/a?b=1", "www.x.org"]
        );
        assert!(values(Url, "example.com").is_empty());
    }

    #[test]
    fn phones_need_seven_to_fifteen_digits() {
        assert_eq!(
            values(Phone, "call +1 (555) 123-4567 now"),
            ["+1 (555) 123-4567"]
        );
        assert_eq!(values(Phone, "555 1234"), ["555 1234"]);
        assert!(values(Phone, "2 guests and 3 kids").is_empty());
        assert!(values(Phone, "order 12345").is_empty());
        assert!(values(Phone, "on 2026-03-14").is_empty());
    }

    #[test]
    fn dates_in_three_spellings() {
        assert_eq!(
            values(Date, "on 2026-3-14 or March 3rd, 2026 or 4 Apr 2026"),
            ["2026-03-14", "2026-03-03", "2026-04-04"]
        );
        assert!(values(Date, "March 3").is_empty());
    }

    #[test]
    fn times_in_clock_and_meridiem_forms() {
        assert_eq!(
            values(Time, "at 3pm, 9:05 or 11:30 p.m."),
            ["15:00", "09:05", "23:30"]
        );
        assert_eq!(values(Time, "12am and 12 pm"), ["00:00", "12:00"]);
        assert!(values(Time, "at 3 o'clock").is_empty());
    }

    #[test]
    fn normalize_then_validate() {
        assert_eq!(normalize(Date, " March 3, 2026."), "2026-03-03");
        assert!(is_valid(Date, "2024-02-29"));
        assert!(!is_valid(Date, "2026-02-29"));
        assert!(!is_valid(Date, "tomorrow"));
        assert_eq!(normalize(Time, "3 pm"), "15:00");
        assert!(is_valid(Time, "15:00"));
        assert!(!is_valid(Time, &normalize(Time, "25:00")));
        assert!(!is_valid(Time, &normalize(Time, "15pm")));
        assert!(is_valid(Email, "a@b.io"));
        assert!(!is_valid(Email, "a@b.io extra"));
        assert!(is_valid(Phone, "+44 20 7946 0958"));
        assert!(!is_valid(Phone, "12-34"));
        assert!(is_valid(Url, "https://example.com"));
    }
}
