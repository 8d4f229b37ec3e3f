//! Unit tests of the parent module.

use super::*;

#[test]
fn names_are_stable_and_parse_back() {
    let classes = [
        (ErrorClass::Timeout, "timeout"),
        (ErrorClass::Connect, "connect"),
        (ErrorClass::Reset, "reset"),
        (ErrorClass::Http4xx(404), "http_404"),
        (ErrorClass::Http5xx(503), "http_503"),
        (ErrorClass::RateLimited, "rate_limited"),
        (ErrorClass::Decode, "decode"),
        (ErrorClass::StreamIncomplete, "stream_incomplete"),
        (ErrorClass::Assertion, "assertion"),
    ];
    for (class, name) in classes {
        assert_eq!(class.as_str(), name);
        assert_eq!(class.to_string(), name);
        assert_eq!(name.parse::<ErrorClass>(), Ok(class));
        let json = serde_json::to_string(&class).unwrap();
        assert_eq!(json, format!("\"{name}\""));
        assert_eq!(serde_json::from_str::<ErrorClass>(&json).unwrap(), class);
    }
    assert_eq!("http_429".parse(), Ok(ErrorClass::RateLimited));
    assert!("http_4040".parse::<ErrorClass>().is_err());
    assert!("nope".parse::<ErrorClass>().is_err());
}

#[test]
fn statuses_map_to_classes() {
    assert_eq!(ErrorClass::from_status(400), ErrorClass::Http4xx(400));
    assert_eq!(ErrorClass::from_status(429), ErrorClass::RateLimited);
    assert_eq!(ErrorClass::from_status(504), ErrorClass::Http5xx(504));
    assert_eq!(ErrorClass::from_status(302).as_str(), "http_302");
    assert_eq!(ErrorClass::Http5xx(999).as_str(), "http_999");
}

#[test]
fn excerpt_is_bounded_and_single_line() {
    assert_eq!(
        excerpt(b"<html>\n<b>Bad gateway</b>"),
        "<html> <b>Bad gateway</b>"
    );
    let long = "é".repeat(500);
    let cut = excerpt(long.as_bytes());
    assert_eq!(cut.chars().count(), EXCERPT_CHARS);
    assert!(cut.ends_with('…'));
    let exact = "x".repeat(EXCERPT_CHARS);
    assert_eq!(excerpt(exact.as_bytes()), exact);
    assert_eq!(excerpt(&[0xff, b'a']), "\u{fffd}a");
}

#[test]
fn http_failure_display_names_code_and_request_id() {
    let failure = HttpFailure {
        status: 400,
        code: Some(ErrorCode::Validation {
            field: "input".into(),
            rule: "MAX_LENGTH".into(),
        }),
        message: "too long".into(),
        request_id: Some("req-1".into()),
        retry_after: None,
        protocol: Some("HTTP/1.1"),
    };
    assert_eq!(
        ApiError::Http(Box::new(failure)).to_string(),
        "HTTP 400 Bad Request, invalid `input` (MAX_LENGTH): too long [x-wix-request-id: req-1]"
    );
}
