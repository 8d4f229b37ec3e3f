//! The error taxonomy of the harness: every failed request maps to exactly one
//! [`ErrorClass`], whose stable name (`timeout`, `http_503`, ...) is what reports, CSV rows,
//! thresholds and the metrics use. Shared by the client (which classifies), the metrics
//! (which count by class) and the reports (which print the names). Plain data.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// What kind of failure a request (or a turn) ended with. Cheap to copy and hash, so workers
/// can count by class on the hot path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ErrorClass {
    /// The request or connect deadline passed before the response was complete.
    Timeout,
    /// No connection could be made (refused, DNS, TLS handshake, connect timeout).
    Connect,
    /// The connection was closed or reset mid-request.
    Reset,
    /// A status the harness treats as a client error: 4xx other than 429, and any other
    /// unexpected non-5xx status (e.g. a 3xx, since redirects are not followed).
    Http4xx(u16),
    /// A server error status (5xx).
    Http5xx(u16),
    /// 429 Too Many Requests.
    RateLimited,
    /// A body that is not the expected JSON.
    Decode,
    /// A streamed response that ended before END_OF_RESPONSE.
    StreamIncomplete,
    /// A response past the client's limits (body bytes, streamed messages).
    TooLarge,
    /// A failed expectation (set by the runner, never by the client).
    Assertion,
}

/// `http_000` .. `http_999`, built at compile time so that [`ErrorClass::as_str`] is
/// allocation-free for every status hyper can produce (100..=999).
static HTTP_NAMES: [[u8; 8]; 1000] = http_names();

const fn http_names() -> [[u8; 8]; 1000] {
    let mut table = [*b"http_000"; 1000];
    let mut code = 0;
    while code < 1000 {
        table[code][5] = b'0' + (code / 100) as u8;
        table[code][6] = b'0' + (code / 10 % 10) as u8;
        table[code][7] = b'0' + (code % 10) as u8;
        code += 1;
    }
    table
}

fn http_name(status: u16) -> &'static str {
    HTTP_NAMES
        .get(usize::from(status))
        .and_then(|bytes| std::str::from_utf8(bytes).ok())
        .unwrap_or("http_other")
}

impl ErrorClass {
    /// The class for a non-success HTTP status.
    pub fn from_status(status: u16) -> ErrorClass {
        match status {
            429 => ErrorClass::RateLimited,
            500..=599 => ErrorClass::Http5xx(status),
            _ => ErrorClass::Http4xx(status),
        }
    }

    /// The stable lower-case name used in every report: `timeout`, `http_404`, ...
    pub fn as_str(&self) -> &'static str {
        match self {
            ErrorClass::Timeout => "timeout",
            ErrorClass::Connect => "connect",
            ErrorClass::Reset => "reset",
            ErrorClass::Http4xx(status) | ErrorClass::Http5xx(status) => http_name(*status),
            ErrorClass::RateLimited => "rate_limited",
            ErrorClass::Decode => "decode",
            ErrorClass::StreamIncomplete => "stream_incomplete",
            ErrorClass::TooLarge => "too_large",
            ErrorClass::Assertion => "assertion",
        }
    }

    /// Failures of the transport or the service, as opposed to a failed expectation.
    pub fn is_error(&self) -> bool {
        !matches!(self, ErrorClass::Assertion)
    }
}

impl fmt::Display for ErrorClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is not one of [`ErrorClass::as_str`]'s.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown error class `{0}` (expected timeout, connect, reset, http_NNN, rate_limited, decode, stream_incomplete, too_large or assertion)"
)]
pub struct UnknownErrorClass(pub String);

impl FromStr for ErrorClass {
    type Err = UnknownErrorClass;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Ok(match name {
            "timeout" => ErrorClass::Timeout,
            "connect" => ErrorClass::Connect,
            "reset" => ErrorClass::Reset,
            "rate_limited" => ErrorClass::RateLimited,
            "decode" => ErrorClass::Decode,
            "stream_incomplete" => ErrorClass::StreamIncomplete,
            "too_large" => ErrorClass::TooLarge,
            "assertion" => ErrorClass::Assertion,
            other => {
                let status = other
                    .strip_prefix("http_")
                    .filter(|digits| digits.len() == 3)
                    .and_then(|digits| digits.parse::<u16>().ok())
                    .ok_or_else(|| UnknownErrorClass(other.to_string()))?;
                ErrorClass::from_status(status)
            }
        })
    }
}

impl Serialize for ErrorClass {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ErrorClass {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        name.parse().map_err(serde::de::Error::custom)
    }
}
