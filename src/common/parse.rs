//! Flag values that several commands share, each read by one parser with one rule:
//! durations (the suite's parser, so `800us` and a bare `0` work everywhere), durations
//! that must be longer than zero (timeouts, run length), rates, and sizes in bytes.

use crate::common::duration::DurationRange;
use std::time::Duration;

const DURATION_HELP: &str = "write e.g. 30s, 500ms, 2m or 800us";

/// Any duration, zero included (`--warmup 0`, `--think 0`, `--grace 0`, mock delays).
pub fn duration(text: &str) -> Result<Duration, String> {
    crate::common::duration::parse_duration(text).map_err(|e| format!("{e}: {DURATION_HELP}"))
}

/// A duration where zero would mean "never works" (`--timeout`, `--duration`).
pub fn positive_duration(text: &str) -> Result<Duration, String> {
    let value = duration(text)?;
    if value.is_zero() {
        return Err(format!("`{text}`: must be longer than 0 ({DURATION_HELP})"));
    }
    Ok(value)
}

/// `D` or `A..B` (think time).
pub fn duration_range(text: &str) -> Result<DurationRange, String> {
    crate::common::duration::parse_range(text).map_err(|e| format!("{e}: {DURATION_HELP}"))
}

/// Per second from `N`, `N/s` or `N/m`; `zero_allowed` for caps where 0 means "none".
fn rate(text: &str, zero_allowed: bool) -> Result<f64, String> {
    let (number, per_second) = match text.split_once('/') {
        None => (text, 1.0),
        Some((n, "s")) => (n, 1.0),
        Some((n, "m")) => (n, 1.0 / 60.0),
        Some((_, unit)) => return Err(format!("unknown rate unit `/{unit}`: use /s or /m")),
    };
    let value: f64 = number
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a rate: write e.g. 20/s or 120/m"))?;
    let low_ok = if zero_allowed {
        value >= 0.0
    } else {
        value > 0.0
    };
    if !value.is_finite() || !low_ok {
        let bound = if zero_allowed {
            "0 or more"
        } else {
            "greater than 0"
        };
        return Err(format!("`{text}`: the rate must be {bound}"));
    }
    Ok(value * per_second)
}

/// An arrival rate (`--rate`): greater than zero.
pub fn arrival_rate(text: &str) -> Result<f64, String> {
    rate(text, false)
}

/// A cap (`--max-rps`): 0 turns it off.
pub fn rate_cap(text: &str) -> Result<f64, String> {
    rate(text, true)
}

/// A size in bytes: `65536`, `64KiB`, `16MiB`, `1GiB`; greater than zero.
pub fn byte_size(text: &str) -> Result<usize, String> {
    let trimmed = text.trim();
    let split = trimmed
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(trimmed.len());
    let (digits, unit) = trimmed.split_at(split);
    let scale: usize = match unit.trim() {
        "" | "B" => 1,
        "KiB" => 1 << 10,
        "MiB" => 1 << 20,
        "GiB" => 1 << 30,
        other => {
            return Err(format!(
                "unknown size unit `{other}`: use B, KiB, MiB or GiB"
            ));
        }
    };
    let value: usize = digits
        .parse()
        .map_err(|_| format!("`{text}` is not a size: write e.g. 16MiB or 65536"))?;
    match value.checked_mul(scale) {
        Some(0) => Err(format!("`{text}`: must be greater than 0")),
        Some(bytes) => Ok(bytes),
        None => Err(format!("`{text}` is too large")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_share_one_rule_for_zero() {
        assert_eq!(duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(duration("800us"), Ok(Duration::from_micros(800)));
        assert_eq!(duration("800µs"), Ok(Duration::from_micros(800)));
        assert_eq!(duration("0"), Ok(Duration::ZERO));
        assert_eq!(duration("0s"), Ok(Duration::ZERO));
        assert!(duration("10").is_err());
        assert!(duration("5d").is_err());
        assert!(duration("-1s").is_err());
        for zero in ["0", "0s", "0ms"] {
            let err = positive_duration(zero).expect_err("zero refused");
            assert_eq!(
                err,
                format!("`{zero}`: must be longer than 0 ({DURATION_HELP})")
            );
        }
        assert_eq!(positive_duration("1us"), Ok(Duration::from_micros(1)));
    }

    #[test]
    fn sizes_read_binary_units() {
        assert_eq!(byte_size("65536"), Ok(65_536));
        assert_eq!(byte_size("64KiB"), Ok(65_536));
        assert_eq!(byte_size("16MiB"), Ok(16 << 20));
        assert_eq!(byte_size("1 GiB"), Ok(1 << 30));
        assert!(byte_size("0").is_err());
        assert!(byte_size("5MB").is_err());
        assert!(byte_size("lots").is_err());
    }

    #[test]
    fn rates_read_per_second_or_minute() {
        assert_eq!(arrival_rate("20"), Ok(20.0));
        assert_eq!(arrival_rate("20/s"), Ok(20.0));
        assert_eq!(arrival_rate("120/m"), Ok(2.0));
        assert!(arrival_rate("0").is_err());
        assert!(arrival_rate("5/h").is_err());
        assert!(arrival_rate("fast").is_err());
        assert_eq!(rate_cap("0"), Ok(0.0));
        assert_eq!(rate_cap("3.3"), Ok(3.3));
        assert_eq!(rate_cap("200/m"), Ok(200.0 / 60.0));
        assert!(rate_cap("-1").is_err());
    }
}
