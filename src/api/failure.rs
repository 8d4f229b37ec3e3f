//! Turning what went wrong on the wire into an [`ApiError`]: transport errors into their
//! classes, non-success responses into [`HttpFailure`] (both error body shapes of docs/wire-format.md, an
//! empty body, or a gateway's HTML), and unreadable bodies into `Decode`.
//!
//! All text that came from the server passes through a [`Scrubber`], which removes the API
//! key in case a server or gateway echoes the `Authorization` header back.

use crate::api::error::{ApiError, ErrorCode, HttpFailure, excerpt};
use crate::api::retry_after::parse_retry_after;
pub use crate::api::scrub::Scrubber;
use crate::api::transport::TransportError;
use crate::common::wire::ErrorBody;
use http::header::{HeaderMap, RETRY_AFTER};
use std::time::SystemTime;

/// The response header carrying the service's request id.
pub const REQUEST_ID_HEADER: &str = "x-wix-request-id";

/// The request id of a response, if the header is there and readable.
pub fn request_id(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(REQUEST_ID_HEADER)?;
    Some(String::from_utf8_lossy(value.as_bytes()).into_owned())
}

/// A transport failure as an [`ApiError`] of the same class, its text scrubbed.
pub(crate) fn transport_error(
    err: TransportError,
    request_id: Option<String>,
    scrub: &Scrubber,
) -> ApiError {
    match err {
        TransportError::Connect(message) => ApiError::Connect {
            message: scrub.scrub(message),
        },
        TransportError::Timeout(message) => ApiError::Timeout {
            message: scrub.scrub(message),
            request_id,
        },
        TransportError::Reset(message) => ApiError::Reset {
            message: scrub.scrub(message),
            request_id,
        },
    }
}

/// A non-success response, from its status, headers and (possibly empty or partial) body.
pub fn http_failure(
    status: u16,
    protocol: &'static str,
    headers: &HeaderMap,
    body: &[u8],
    scrub: &Scrubber,
) -> ApiError {
    let retry_after = headers
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| parse_retry_after(v, SystemTime::now()));
    let (code, message) = describe_body(body);
    ApiError::Http(Box::new(HttpFailure {
        status,
        code,
        message: scrub.scrub(message),
        request_id: request_id(headers).map(|id| scrub.scrub(id)),
        retry_after,
        protocol: Some(protocol),
    }))
}

/// The code and message of an error body; an excerpt when it is not the documented JSON.
fn describe_body(body: &[u8]) -> (Option<ErrorCode>, String) {
    if body.iter().all(u8::is_ascii_whitespace) {
        return (None, String::new());
    }
    let Ok(parsed) = serde_json::from_slice::<ErrorBody>(body) else {
        return (None, excerpt(body));
    };
    let details = parsed.details.unwrap_or_default();
    let message = parsed.message;
    let (code, description) = if let Some(app) = details.application_error {
        let code = Some(app.code)
            .filter(|c| !c.is_empty())
            .map(ErrorCode::Application);
        (code, app.description)
    } else if let Some(first) = details
        .validation_error
        .and_then(|v| v.field_violations.into_iter().next())
    {
        let code = ErrorCode::Validation {
            field: first.field,
            rule: first.violated_rule,
        };
        (Some(code), first.description)
    } else {
        (None, String::new())
    };
    let message = match (message.is_empty(), description.is_empty()) {
        (true, true) if code.is_none() => excerpt(body),
        (true, _) => excerpt(description.as_bytes()),
        (false, true) => excerpt(message.as_bytes()),
        (false, false) if message.contains(&description) => excerpt(message.as_bytes()),
        (false, false) => excerpt(format!("{message}: {description}").as_bytes()),
    };
    (code, message)
}

/// A success response whose body is not what was expected.
pub fn decode_error(
    status: u16,
    reason: String,
    body: &[u8],
    request_id: Option<String>,
    scrub: &Scrubber,
) -> ApiError {
    ApiError::Decode {
        status,
        // serde's messages quote parts of the body, so they are bounded like the excerpt.
        message: scrub.scrub(excerpt(reason.as_bytes())),
        excerpt: scrub.scrub(excerpt(body)),
        request_id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code_and_message(body: &str) -> (Option<ErrorCode>, String) {
        describe_body(body.as_bytes())
    }

    #[test]
    fn application_error_body() {
        let body = r#"{"message":"Session not found","details":{"applicationError":{"code":"SESSION_NOT_FOUND","description":"no such session","data":{}}}}"#;
        assert_eq!(
            code_and_message(body),
            (
                Some(ErrorCode::Application("SESSION_NOT_FOUND".into())),
                "Session not found: no such session".into()
            )
        );
    }

    #[test]
    fn validation_error_body_uses_first_violation() {
        let body = r#"{"message":"","details":{"validationError":{"fieldViolations":[
            {"field":"input","description":"must be at most 10000 characters","violatedRule":"MAX_LENGTH"},
            {"field":"other","description":"x","violatedRule":"Y"}]}}}"#;
        let (code, message) = code_and_message(body);
        assert_eq!(
            code,
            Some(ErrorCode::Validation {
                field: "input".into(),
                rule: "MAX_LENGTH".into()
            })
        );
        assert_eq!(message, "must be at most 10000 characters");
    }

    #[test]
    fn empty_html_and_shapeless_bodies() {
        assert_eq!(code_and_message(""), (None, String::new()));
        assert_eq!(code_and_message(" \n"), (None, String::new()));
        assert_eq!(
            code_and_message("<h1>502 Bad Gateway</h1>"),
            (None, "<h1>502 Bad Gateway</h1>".into())
        );
        assert_eq!(
            code_and_message(r#"{"error":"x"}"#),
            (None, r#"{"error":"x"}"#.into())
        );
        assert_eq!(
            code_and_message(r#"{"message":"down"}"#),
            (None, "down".into())
        );
    }

    #[test]
    fn scrubber_removes_the_secret() {
        let scrub = Scrubber::new(Some("IST.key-1"));
        assert_eq!(
            scrub.scrub("bad token IST.key-1!".into()),
            "bad token <redacted>!"
        );
        assert_eq!(Scrubber::new(Some("")).scrub("a".into()), "a");
        // A one-letter secret is never searched for inside words (`loo<redacted>up`).
        assert_eq!(Scrubber::new(Some("k")).scrub("lookup".into()), "lookup");
    }
}
