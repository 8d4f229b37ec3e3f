//! UTC timestamps from [`SystemTime`]: RFC 3339 for `run.json` and the compact
//! `YYYYMMDDTHHMMSSZ` form for directory names. The calendar is `httpdate`'s (the HTTP
//! date crate already in the dependency tree): its IMF-fixdate fields are rearranged, so
//! no date arithmetic is written here. UTC only, 1970 to 9999.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// The fields of `time` in UTC: (year, month, day, "HH:MM:SS").
fn civil(time: SystemTime) -> (String, usize, String, String) {
    // `Thu, 03 Dec 2026 09:15:41 GMT`: always these six fields.
    let text = httpdate::fmt_http_date(time);
    let mut fields = text.split(' ').skip(1);
    let mut next = || fields.next().unwrap_or_default().to_owned();
    let (day, month, year, clock) = (next(), next(), next(), next());
    let month = MONTHS.iter().position(|m| *m == month).map_or(1, |i| i + 1);
    (year, month, day, clock)
}

/// `2026-11-26T17:28:11.042Z`.
pub fn rfc3339_utc(time: SystemTime) -> String {
    let (year, month, day, clock) = civil(time);
    let millis = time
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .subsec_millis();
    format!("{year}-{month:02}-{day}T{clock}.{millis:03}Z")
}

/// `20261126T172811Z`: sorts by time, and is safe in a file name on every platform.
pub fn compact_utc(time: SystemTime) -> String {
    let (year, month, day, clock) = civil(time);
    format!("{year}{month:02}{day}T{}Z", clock.replace(':', ""))
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
    let (year, month, day) = (
        digits(date_parts.next()?, 4)?,
        digits(date_parts.next()?, 2)?,
        digits(date_parts.next()?, 2)?,
    );
    let (clock, fraction) = time.split_once('.').unwrap_or((time, ""));
    let mut clock_parts = clock.splitn(3, ':');
    let (hour, minute, second) = (
        digits(clock_parts.next()?, 2)?,
        digits(clock_parts.next()?, 2)?,
        digits(clock_parts.next()?, 2)?,
    );
    if !fraction.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let month_name = MONTHS.get(month.checked_sub(1)?)?;
    let nanos: u32 = format!("{fraction:0<9}").get(..9)?.parse().ok()?;
    // httpdate checks that the weekday fits the date, so exactly one of seven parses.
    let whole = WEEKDAYS.iter().find_map(|weekday| {
        let imf = format!(
            "{weekday}, {day:02} {month_name} {year:04} {hour:02}:{minute:02}:{second:02} GMT"
        );
        httpdate::parse_http_date(&imf).ok()
    })?;
    whole.checked_add(Duration::from_nanos(u64::from(nanos)))
}

fn digits(text: &str, len: usize) -> Option<usize> {
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
