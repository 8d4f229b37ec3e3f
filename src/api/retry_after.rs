//! Parsing of the `Retry-After` header (RFC 9110 §10.2.3): delta-seconds, or an HTTP date
//! (`Sun, 06 Nov 1994 08:49:37 GMT`, and the two obsolete forms recipients must accept,
//! read by `httpdate`) turned into a wait from now. A value that does not parse is ignored.

use std::time::{Duration, SystemTime};

/// The wait a `Retry-After` value asks for, measured from `now`; a date in the past is zero.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return value.parse::<u64>().ok().map(Duration::from_secs);
    }
    let at = parse_imf_fixdate(value)?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

fn parse_imf_fixdate(value: &str) -> Option<SystemTime> {
    httpdate::parse_http_date(value).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    #[test]
    fn delta_seconds() {
        let now = SystemTime::now();
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("-1", now), None);
        assert_eq!(parse_retry_after("1.5", now), None);
        assert_eq!(parse_retry_after("", now), None);
    }

    #[test]
    fn http_dates() {
        // 1994-11-06T08:49:37Z is 784111777 seconds after the epoch.
        let at = UNIX_EPOCH + Duration::from_secs(784_111_777);
        let date = "Sun, 06 Nov 1994 08:49:37 GMT";
        assert_eq!(parse_imf_fixdate(date), Some(at));
        let before = at - Duration::from_secs(30);
        assert_eq!(
            parse_retry_after(date, before),
            Some(Duration::from_secs(30))
        );
        let after = at + Duration::from_secs(30);
        assert_eq!(parse_retry_after(date, after), Some(Duration::ZERO));
        assert_eq!(
            parse_imf_fixdate("Thu, 29 Feb 2024 00:00:00 GMT"),
            Some(UNIX_EPOCH + Duration::from_secs(1_709_164_800))
        );
    }

    /// RFC 9110: recipients of an HTTP date must also read the two obsolete forms.
    #[test]
    fn obsolete_date_forms_are_read() {
        let at = Some(UNIX_EPOCH + Duration::from_secs(784_111_777));
        assert_eq!(parse_imf_fixdate("Sunday, 06-Nov-94 08:49:37 GMT"), at);
        assert_eq!(parse_imf_fixdate("Sun Nov  6 08:49:37 1994"), at);
    }

    #[test]
    fn rejects_other_formats() {
        let now = SystemTime::now();
        for bad in [
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 06 Nov 1994 25:49:37 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "soon",
        ] {
            assert_eq!(parse_retry_after(bad, now), None, "{bad}");
        }
    }
}
