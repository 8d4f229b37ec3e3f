//! UTC timestamps from [`SystemTime`] without a date crate: RFC 3339 for `run.json` and
//! the compact `YYYYMMDDTHHMMSSZ` form for directory names. Proleptic Gregorian, UTC only.

use std::time::{SystemTime, UNIX_EPOCH};

struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u64,
    minute: u64,
    second: u64,
    millis: u32,
}

fn civil(time: SystemTime) -> Civil {
    // Times before 1970 do not occur for a run that is happening now; clamp to the epoch.
    let since = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs();
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (year, month, day) = civil_from_days(days);
    Civil {
        year,
        month,
        day,
        hour: rem / 3600,
        minute: rem % 3600 / 60,
        second: rem % 60,
        millis: since.subsec_millis(),
    }
}

/// Howard Hinnant's `civil_from_days`: days since 1970-01-01 → (year, month, day).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// `2026-11-26T17:28:11.042Z`.
pub fn rfc3339_utc(time: SystemTime) -> String {
    let c = civil(time);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        c.year, c.month, c.day, c.hour, c.minute, c.second, c.millis
    )
}

/// `20261126T172811Z`: sorts by time, and is safe in a file name on every platform.
pub fn compact_utc(time: SystemTime) -> String {
    let c = civil(time);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    )
}

/// Hinnant's `days_from_civil`, the inverse of [`civil_from_days`].
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = year - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let month = i64::from(month);
    let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Parses what [`rfc3339_utc`] writes, and any RFC 3339 UTC instant
/// (`2026-11-26T17:28:11Z`, optional fraction, `Z` or `+00:00`); `None` otherwise.
/// Only UTC: shards on several machines compare these, and a zone would be one more way
/// for them to disagree.
pub fn parse_rfc3339_utc(text: &str) -> Option<SystemTime> {
    let text = text.trim();
    let body = text
        .strip_suffix('Z')
        .or_else(|| text.strip_suffix('z'))
        .or_else(|| text.strip_suffix("+00:00"))?;
    let (date, time) = body.split_once(['T', 't', ' '])?;
    let mut date_parts = date.splitn(3, '-');
    let year: i64 = digits(date_parts.next()?, 4)?;
    let month: u32 = digits(date_parts.next()?, 2)?;
    let day: u32 = digits(date_parts.next()?, 2)?;
    let (clock, fraction) = time.split_once('.').unwrap_or((time, ""));
    let mut clock_parts = clock.splitn(3, ':');
    let hour: u64 = digits(clock_parts.next()?, 2)?;
    let minute: u64 = digits(clock_parts.next()?, 2)?;
    let second: u64 = digits(clock_parts.next()?, 2)?;
    let valid = (1..=12).contains(&month)
        && (1..=31).contains(&day)
        && hour < 24
        && minute < 60
        && second < 61
        && year >= 1970;
    if !valid || !fraction.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let nanos: u32 = format!("{fraction:0<9}").get(..9)?.parse().ok()?;
    let days = u64::try_from(days_from_civil(year, month, day)).ok()?;
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second;
    Some(UNIX_EPOCH + std::time::Duration::new(secs, nanos))
}

fn digits<T: std::str::FromStr>(text: &str, len: usize) -> Option<T> {
    if text.len() != len || !text.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn formats_known_instants() {
        let at = |s: u64, ms: u64| UNIX_EPOCH + Duration::from_millis(s * 1000 + ms);
        assert_eq!(rfc3339_utc(at(0, 0)), "1970-01-01T00:00:00.000Z");
        // 2000-02-29 (leap day of a century leap year).
        assert_eq!(rfc3339_utc(at(951_782_400, 7)), "2000-02-29T00:00:00.007Z");
        assert_eq!(
            rfc3339_utc(at(1_798_306_091, 42)),
            "2026-12-26T17:28:11.042Z"
        );
        assert_eq!(compact_utc(at(1_798_306_091, 999)), "20261226T172811Z");
    }

    #[test]
    fn parses_what_it_writes() {
        for ms in [0u64, 7, 951_782_400_007, 1_798_306_091_042] {
            let at = UNIX_EPOCH + Duration::from_millis(ms);
            assert_eq!(parse_rfc3339_utc(&rfc3339_utc(at)), Some(at));
        }
        let at = UNIX_EPOCH + Duration::from_secs(1_798_306_091);
        assert_eq!(parse_rfc3339_utc("2026-12-26T17:28:11Z"), Some(at));
        assert_eq!(parse_rfc3339_utc("2026-12-26T17:28:11+00:00"), Some(at));
        for bad in [
            "",
            "2026-12-26",
            "2026-12-26T17:28:11",
            "2026-13-01T00:00:00Z",
            "2026-12-26T17:28:11+01:00",
            "26-12-26T17:28:11Z",
            "2026-12-26T17:28:11.x1Z",
        ] {
            assert_eq!(parse_rfc3339_utc(bad), None, "{bad}");
        }
    }
}
