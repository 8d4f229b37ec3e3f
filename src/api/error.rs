//! The error taxonomy of the harness ([`ErrorClass`]) and the typed errors of the HTTP
//! client ([`ApiError`], [`ConfigError`]).
//!
//! Every failed request maps to exactly one class, whose stable name (`timeout`, `http_503`,
//! ...) is what reports, CSV rows and thresholds use. An [`ApiError`] keeps what a user needs
//! to act on a failure: the status, the service's error code and message, the
//! `x-wix-request-id` the service's owners ask for, `Retry-After`. Nothing here ever holds the
//! API key: text that came from the server is scrubbed of it before it is stored (see
//! [`crate::api::client`]).

pub use crate::common::error_class::{ErrorClass, UnknownErrorClass};
use std::fmt;
use std::time::Duration;

/// The service's own explanation of a non-200 response, from its error body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorCode {
    /// `details.applicationError.code`, e.g. `EMPTY_REQUEST`.
    Application(String),
    /// The first of `details.validationError.fieldViolations`.
    Validation { field: String, rule: String },
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorCode::Application(code) => f.write_str(code),
            ErrorCode::Validation { field, rule } if rule.is_empty() => {
                write!(f, "invalid `{field}`")
            }
            ErrorCode::Validation { field, rule } => write!(f, "invalid `{field}` ({rule})"),
        }
    }
}

/// A response with a non-success status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpFailure {
    pub status: u16,
    /// The application error code or first field violation, when the body had one.
    pub code: Option<ErrorCode>,
    /// The body's `message` (or the violation's description, or an excerpt of a body that
    /// was not JSON); empty when the body was empty.
    pub message: String,
    pub request_id: Option<String>,
    /// `Retry-After`, as delta-seconds or an HTTP date converted to a wait from now.
    pub retry_after: Option<Duration>,
    /// The HTTP version the failure came in (`HTTP/1.1`, `HTTP/2`), for the reports.
    pub protocol: Option<&'static str>,
}

impl fmt::Display for HttpFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        let reason = http::StatusCode::from_u16(self.status)
            .ok()
            .and_then(|s| s.canonical_reason());
        if let Some(reason) = reason {
            write!(f, " {reason}")?;
        }
        if let Some(code) = &self.code {
            write!(f, ", {code}")?;
        }
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        if let Some(wait) = self.retry_after {
            write!(f, " (retry after {}s)", wait.as_secs_f64())?;
        }
        write_request_id(f, self.request_id.as_deref())
    }
}

fn write_request_id(f: &mut fmt::Formatter<'_>, request_id: Option<&str>) -> fmt::Result {
    match request_id {
        Some(id) => write!(f, " [x-wix-request-id: {id}]"),
        None => Ok(()),
    }
}

/// Shows ` [x-wix-request-id: ...]` when there is one; for `#[error]` formats.
struct RequestIdSuffix<'a>(&'a Option<String>);

impl fmt::Display for RequestIdSuffix<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_request_id(f, self.0.as_deref())
    }
}

/// Shows ` (after N attempts, Xs spent retrying)` for a retried request.
struct AttemptsSuffix(u32, Duration);

impl fmt::Display for AttemptsSuffix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            0 | 1 => Ok(()),
            n => write!(
                f,
                " (after {n} attempts, {:.3}s spent retrying)",
                self.1.as_secs_f64()
            ),
        }
    }
}

/// Why a request to the API failed. [`ApiError::class`] says which [`ErrorClass`] it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// A non-success status; boxed to keep `Result<Reply, ApiError>` small.
    #[error("{0}")]
    Http(Box<HttpFailure>),
    /// The request or connect deadline passed. `request_id` is set when the headers had
    /// arrived and the body was late.
    #[error("timed out: {message}{}", RequestIdSuffix(request_id))]
    Timeout {
        message: String,
        request_id: Option<String>,
    },
    /// No connection could be made.
    #[error("cannot connect: {message}")]
    Connect { message: String },
    /// The connection was closed or reset before the response was complete.
    #[error("connection closed: {message}{}", RequestIdSuffix(request_id))]
    Reset {
        message: String,
        request_id: Option<String>,
    },
    /// A streamed body that ended (or was cut) before its END_OF_RESPONSE chunk.
    #[error(
        "the stream ended before END_OF_RESPONSE: {message}{}",
        RequestIdSuffix(request_id)
    )]
    StreamIncomplete {
        message: String,
        request_id: Option<String>,
    },
    /// A response past the client's [`ResponseLimits`](crate::api::limits::ResponseLimits):
    /// the request is failed and the rest of the body is not read.
    #[error("response too large: {message}{}", RequestIdSuffix(request_id))]
    TooLarge {
        message: String,
        request_id: Option<String>,
    },
    /// A success status whose body is not the expected JSON.
    #[error(
        "HTTP {status} with an unreadable body: {message}; body starts: {excerpt:?}{}",
        RequestIdSuffix(request_id)
    )]
    Decode {
        status: u16,
        message: String,
        /// At most [`EXCERPT_CHARS`] characters of the body, control characters replaced.
        excerpt: String,
        request_id: Option<String>,
    },
    /// The request body could not be encoded as JSON (cannot happen with the wire types,
    /// which only hold strings and JSON values; classed as `decode`).
    #[error("cannot encode the request body: {message}")]
    Encode { message: String },
    /// A session id that cannot name a path segment (empty, `.` or `..`), typically from a
    /// create response without an id; classed as `decode`.
    #[error("unusable session id {id:?}: a create response must carry interactiveFormSession.id")]
    InvalidSessionId { id: String },
    /// The last failure of a request that was retried or waited for the rate cap: its
    /// class, status and request id are those of `last`. Never built otherwise, so
    /// without `--retries` and `--max-rps` errors look exactly as before.
    #[error("{last}{}", AttemptsSuffix(*attempts, *retry_time))]
    Attempted {
        last: Box<ApiError>,
        /// Attempts made, the first included.
        attempts: u32,
        /// Time before the last attempt started: earlier attempts and backoff waits.
        retry_time: Duration,
        /// Time spent waiting for the rate cap (not service time).
        pacing: Duration,
    },
}

/// The longest body excerpt an error keeps, in characters.
pub const EXCERPT_CHARS: usize = 200;

impl ApiError {
    pub fn class(&self) -> ErrorClass {
        match self {
            ApiError::Http(failure) => ErrorClass::from_status(failure.status),
            ApiError::Timeout { .. } => ErrorClass::Timeout,
            ApiError::Connect { .. } => ErrorClass::Connect,
            ApiError::Reset { .. } => ErrorClass::Reset,
            ApiError::StreamIncomplete { .. } => ErrorClass::StreamIncomplete,
            ApiError::TooLarge { .. } => ErrorClass::TooLarge,
            ApiError::Decode { .. } | ApiError::Encode { .. } => ErrorClass::Decode,
            ApiError::InvalidSessionId { .. } => ErrorClass::Decode,
            ApiError::Attempted { last, .. } => last.class(),
        }
    }

    /// The failure itself, without the retry wrapper.
    pub fn last(&self) -> &ApiError {
        match self {
            ApiError::Attempted { last, .. } => last,
            other => other,
        }
    }

    /// Attempts made: 1 unless the request was retried.
    pub fn attempts(&self) -> u32 {
        match self {
            ApiError::Attempted { attempts, .. } => *attempts,
            _ => 1,
        }
    }

    /// Time spent waiting for the rate cap (zero without one).
    pub fn pacing(&self) -> Duration {
        match self {
            ApiError::Attempted { pacing, .. } => *pacing,
            _ => Duration::ZERO,
        }
    }

    /// Time spent before the last attempt (zero unless retried).
    pub fn retry_time(&self) -> Duration {
        match self {
            ApiError::Attempted { retry_time, .. } => *retry_time,
            _ => Duration::ZERO,
        }
    }

    /// The `x-wix-request-id` of the response, when one arrived.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            ApiError::Attempted { last, .. } => last.request_id(),
            ApiError::Http(failure) => failure.request_id.as_deref(),
            ApiError::Timeout { request_id, .. }
            | ApiError::Reset { request_id, .. }
            | ApiError::StreamIncomplete { request_id, .. }
            | ApiError::TooLarge { request_id, .. }
            | ApiError::Decode { request_id, .. } => request_id.as_deref(),
            ApiError::Connect { .. } | ApiError::Encode { .. } => None,
            ApiError::InvalidSessionId { .. } => None,
        }
    }

    /// The HTTP status, when a response arrived.
    /// The HTTP version of the response that failed, when one arrived with a status.
    pub fn protocol(&self) -> Option<&'static str> {
        match self {
            ApiError::Attempted { last, .. } => last.protocol(),
            ApiError::Http(failure) => failure.protocol,
            _ => None,
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Attempted { last, .. } => last.status(),
            ApiError::Http(failure) => Some(failure.status),
            ApiError::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// How long the server asked to wait (`Retry-After`), if it did.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            ApiError::Attempted { last, .. } => last.retry_after(),
            ApiError::Http(failure) => failure.retry_after,
            _ => None,
        }
    }
}

/// A client that cannot be built from its configuration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "{var} is not set: export your Wix API key (and WIX_SITE_ID or WIX_ACCOUNT_ID) to use --target wix"
    )]
    MissingEnv { var: &'static str },
    /// Keys this short cannot be kept out of output reliably: redacting them inside other
    /// text would mangle ordinary words, and not redacting them would leak them.
    #[error(
        "{var} is {len} character(s) long: convoy refuses API keys shorter than {min} characters (a Wix API key is much longer; check the variable)"
    )]
    KeyTooShort {
        var: &'static str,
        len: usize,
        min: usize,
    },
    #[error("invalid base URL `{url}`: {reason}")]
    InvalidBaseUrl { url: String, reason: String },
    /// A header value with characters HTTP does not allow; the value itself is not shown,
    /// since it may be a credential.
    #[error(
        "the {what} contains characters that are not allowed in an HTTP header (check for a stray newline or quote)"
    )]
    InvalidHeader { what: &'static str },
}

/// At most [`EXCERPT_CHARS`] characters of `body` (lossy UTF-8), control characters shown as
/// spaces and `…` marking a cut, so a binary or huge body stays readable in one line.
pub fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out = String::with_capacity(text.len().min(EXCERPT_CHARS * 4));
    let mut chars = text.chars();
    for (taken, c) in chars.by_ref().enumerate() {
        if taken == EXCERPT_CHARS - 1 {
            // One place is left: the character itself if it is the last, else the mark.
            let last = if chars.as_str().is_empty() { c } else { '…' };
            out.push(if last.is_control() { ' ' } else { last });
            return out;
        }
        out.push(if c.is_control() { ' ' } else { c });
    }
    out
}

#[cfg(test)]
#[path = "error_tests.rs"]
mod tests;
