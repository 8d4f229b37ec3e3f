//! Durations of the suite format: `800us` (or `µs`), `250ms`, `2s`, `1.5s`, `1m`, `1h` (and a
//! bare `0`), and uniform ranges `A..B` with A ≤ B. Every duration convoy reads (suite keys,
//! thresholds, command-line flags, mock profiles) goes through [`parse_duration`].
//!
//! Fractions are parsed as exact decimals (not through `f64`) so `0.1s` is exactly 100 ms.

use std::time::Duration;
use thiserror::Error;

/// A fixed duration or a uniform range `A..B`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DurationRange {
    pub min: Duration,
    pub max: Duration,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DurationError {
    #[error("a duration cannot be empty")]
    Empty,
    #[error("`{0}` has no unit")]
    MissingUnit(String),
    #[error("`{0}` is not a duration unit")]
    UnknownUnit(String),
    #[error("`{0}` is not a number")]
    BadNumber(String),
    #[error("`{0}` is too large")]
    TooLarge(String),
    #[error("the range starts at {0} but ends earlier, at {1}")]
    Reversed(String, String),
}

/// `µs` is accepted with the micro sign (U+00B5) and the Greek mu (U+03BC): they look the
/// same, and which one a keyboard or a copied text gives varies.
const NANOS_PER_UNIT: [(&str, u128); 7] = [
    ("us", 1_000),
    ("\u{b5}s", 1_000),
    ("\u{3bc}s", 1_000),
    ("ms", 1_000_000),
    ("s", 1_000_000_000),
    ("m", 60_000_000_000),
    ("h", 3_600_000_000_000),
];

/// Parses one duration such as `1.5s`.
pub fn parse_duration(text: &str) -> Result<Duration, DurationError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(DurationError::Empty);
    }
    if text == "0" {
        return Ok(Duration::ZERO);
    }
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .ok_or_else(|| DurationError::MissingUnit(text.to_owned()))?;
    if split == 0 {
        return Err(DurationError::BadNumber(text.to_owned()));
    }
    let (number, unit) = text.split_at(split);
    let per_unit = NANOS_PER_UNIT
        .iter()
        .find(|(name, _)| *name == unit)
        .map(|(_, nanos)| *nanos)
        .ok_or_else(|| DurationError::UnknownUnit(unit.to_owned()))?;
    let nanos = scaled_decimal(number, per_unit).ok_or_else(|| bad_number(number, text))?;
    let secs = u64::try_from(nanos / 1_000_000_000)
        .map_err(|_| DurationError::TooLarge(text.to_owned()))?;
    // The remainder of a division by 10^9 always fits in u32.
    let subsec = u32::try_from(nanos % 1_000_000_000).unwrap_or(0);
    Ok(Duration::new(secs, subsec))
}

fn bad_number(number: &str, text: &str) -> DurationError {
    if number.len() > 30 {
        DurationError::TooLarge(text.to_owned())
    } else {
        DurationError::BadNumber(number.to_owned())
    }
}

/// `number × per_unit` in nanoseconds for a decimal `number` (`12`, `1.5`, `.5`), truncating
/// below a nanosecond. `None` when it is not a decimal or overflows.
fn scaled_decimal(number: &str, per_unit: u128) -> Option<u128> {
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    let digits_only = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if !digits_only(whole) || !digits_only(fraction) {
        return None;
    }
    let whole: u128 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let mut nanos = whole.checked_mul(per_unit)?;
    let mut scale = per_unit;
    for digit in fraction.chars() {
        scale /= 10;
        let d = u128::from(digit.to_digit(10)?);
        nanos = nanos.checked_add(d * scale)?;
    }
    Some(nanos)
}

/// Parses a duration or a range `A..B` (uniform between A and B, A ≤ B).
pub fn parse_range(text: &str) -> Result<DurationRange, DurationError> {
    match text.split_once("..") {
        None => {
            let d = parse_duration(text)?;
            Ok(DurationRange { min: d, max: d })
        }
        Some((a, b)) => {
            let min = parse_duration(a)?;
            let max = parse_duration(b)?;
            if min > max {
                return Err(DurationError::Reversed(
                    a.trim().to_owned(),
                    b.trim().to_owned(),
                ));
            }
            Ok(DurationRange { min, max })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn units() {
        assert_eq!(parse_duration("250ms"), Ok(ms(250)));
        assert_eq!(parse_duration("2s"), Ok(ms(2000)));
        assert_eq!(parse_duration("1.5s"), Ok(ms(1500)));
        assert_eq!(parse_duration("1m"), Ok(ms(60_000)));
        assert_eq!(parse_duration("1h"), Ok(ms(3_600_000)));
        assert_eq!(parse_duration("0"), Ok(Duration::ZERO));
        assert_eq!(parse_duration("0s"), Ok(Duration::ZERO));
        assert_eq!(parse_duration(" .5s "), Ok(ms(500)));
        assert_eq!(parse_duration("0.1s"), Ok(ms(100)));
        assert_eq!(parse_duration("1.0000000001s"), Ok(Duration::from_secs(1)));
    }

    #[test]
    fn microseconds() {
        let us = Duration::from_micros;
        assert_eq!(parse_duration("800us"), Ok(us(800)));
        assert_eq!(parse_duration("800\u{b5}s"), Ok(us(800)));
        assert_eq!(parse_duration("800\u{3bc}s"), Ok(us(800)));
        assert_eq!(parse_duration("1.5us"), Ok(Duration::from_nanos(1500)));
        assert_eq!(parse_duration("0.0001us"), Ok(Duration::ZERO));
        assert_eq!(parse_duration("2500us"), Ok(Duration::from_micros(2500)));
        assert_eq!(
            parse_duration("5u"),
            Err(DurationError::UnknownUnit("u".into()))
        );
        assert_eq!(
            parse_duration("5\u{b5}"),
            Err(DurationError::UnknownUnit("\u{b5}".into()))
        );
        let r = parse_range("500us..1ms").map(|r| (r.min, r.max));
        assert_eq!(r, Ok((us(500), us(1000))));
    }

    #[test]
    fn errors() {
        assert_eq!(parse_duration(""), Err(DurationError::Empty));
        assert_eq!(
            parse_duration("5"),
            Err(DurationError::MissingUnit("5".into()))
        );
        assert_eq!(
            parse_duration("5 s"),
            Err(DurationError::UnknownUnit(" s".into()))
        );
        assert_eq!(
            parse_duration("5sec"),
            Err(DurationError::UnknownUnit("sec".into()))
        );
        assert_eq!(
            parse_duration("-1s"),
            Err(DurationError::BadNumber("-1s".into()))
        );
        assert_eq!(
            parse_duration("1.2.3s"),
            Err(DurationError::BadNumber("1.2.3".into()))
        );
        assert_eq!(
            parse_duration(".s"),
            Err(DurationError::BadNumber(".".into()))
        );
        let huge = format!("{}h", "9".repeat(40));
        assert_eq!(
            parse_duration(&huge),
            Err(DurationError::TooLarge(huge.clone()))
        );
        assert!(matches!(
            parse_duration("99999999999999999h"),
            Err(DurationError::TooLarge(_))
        ));
    }

    #[test]
    fn ranges() {
        let r = parse_range("1s..3s").map(|r| (r.min, r.max));
        assert_eq!(r, Ok((ms(1000), ms(3000))));
        let fixed = parse_range("2s").map(|r| (r.min, r.max));
        assert_eq!(fixed, Ok((ms(2000), ms(2000))));
        assert_eq!(parse_range("1s..1s").map(|r| r.min), Ok(ms(1000)));
        assert_eq!(
            parse_range("3s..1s"),
            Err(DurationError::Reversed("3s".into(), "1s".into()))
        );
        assert_eq!(parse_range("1s.."), Err(DurationError::Empty));
        assert_eq!(
            parse_range("1s..2x"),
            Err(DurationError::UnknownUnit("x".into()))
        );
    }
}
