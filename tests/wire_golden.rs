//! Golden tests of the wire format: hand-written JSON in `tests/fixtures/wire/` (one file per
//! chunk variant, response, error body and request of API.md) must parse into the expected
//! Rust value and round-trip: parse → serialize → parse gives the same value, and the
//! serialized JSON equals the input, except where a test names the difference (ignored
//! unknown fields, a defaulted `chunkType` written back). Numbers compare by value, since
//! `f64` fields write `5` back as `5.0`.

use convoy::common::wire::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::fmt::Debug;
use std::path::Path;

const SESSION_ID: &str = "0f3e5b8a-7c2d-4e91-b6a4-2d9c8e1f7a35";
const FORM_ID: &str = "5d0c9e2a-1f4b-4c8e-9a51-3b2f7e6d8c10";

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/wire")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Parses fixture `name` as `T`, checks it equals `expected`, and that it round-trips to the
/// input JSON after `edit` (which describes how the output legitimately differs).
fn check_as<T>(name: &str, expected: &T, edit: impl FnOnce(&mut Value))
where
    T: DeserializeOwned + Serialize + PartialEq + Debug,
{
    let text = fixture(name);
    let parsed: T = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(&parsed, expected, "{name}: parsed value");
    let written = serde_json::to_value(&parsed).unwrap();
    let reparsed: T = serde_json::from_value(written.clone()).unwrap();
    assert_eq!(reparsed, parsed, "{name}: parse → serialize → parse");
    let mut input: Value = serde_json::from_str(&text).unwrap();
    edit(&mut input);
    assert_eq!(
        numbers_as_f64(written),
        numbers_as_f64(input),
        "{name}: written JSON"
    );
}

fn check<T>(name: &str, expected: &T)
where
    T: DeserializeOwned + Serialize + PartialEq + Debug,
{
    check_as(name, expected, |_| {});
}

fn numbers_as_f64(value: Value) -> Value {
    match value {
        Value::Number(n) => n.as_f64().map_or(Value::Number(n), |f| json!(f)),
        Value::Array(items) => Value::Array(items.into_iter().map(numbers_as_f64).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, numbers_as_f64(v)))
                .collect(),
        ),
        other => other,
    }
}

/// Removes the value at a JSON pointer (a field the wire types ignore).
fn remove(value: &mut Value, pointer: &str) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let removed = value
        .pointer_mut(parent)
        .and_then(|p| p.as_object_mut())
        .and_then(|o| o.remove(key));
    assert!(removed.is_some(), "nothing at {pointer}");
}

fn chunk(body: ChunkBody) -> Chunk {
    Chunk::from(body)
}

fn with_input(body: ChunkBody, start_offset: u32, length: u32) -> Chunk {
    Chunk {
        body,
        meaningful_input: Some(MeaningfulInput {
            start_offset,
            length,
        }),
    }
}

fn text(text: &str, style: Option<&str>) -> ChunkBody {
    ChunkBody::Text(TextDetails {
        text: text.into(),
        style: style.map(Into::into),
    })
}

fn text_data(field: &str, text: &str, value: Value, display: &str) -> ChunkBody {
    ChunkBody::TextData(TextDataDetails {
        field_target: field.into(),
        text: text.into(),
        value,
        display_value: Some(display.into()),
    })
}

fn options(pairs: &[(&str, &str)]) -> Vec<SelectOption> {
    pairs
        .iter()
        .map(|(v, l)| SelectOption {
            value: json!(v),
            label: l.to_string(),
        })
        .collect()
}

fn session() -> Option<Session> {
    Some(Session {
        id: SESSION_ID.into(),
        form_id: FORM_ID.into(),
    })
}

fn target(field: &str) -> FieldTargetDetails {
    FieldTargetDetails {
        field_target: field.into(),
    }
}

/// Every one of the 13 documented variants, with the type it must report.
#[test]
fn each_chunk_variant_parses_and_round_trips() {
    let cases: Vec<(&str, Chunk, &str)> = vec![
        (
            "text",
            chunk(text(
                "Thanks, Dana! Which ticket would you like: Standard or VIP?",
                Some("NORMAL"),
            )),
            "TEXT",
        ),
        (
            "text_bold",
            chunk(text("Almost done!", Some("BOLD"))),
            "TEXT",
        ),
        (
            "text_data",
            with_input(
                text_data(
                    "email",
                    "Email: dana@example.com",
                    json!("dana@example.com"),
                    "dana@example.com",
                ),
                14,
                16,
            ),
            "TEXT_DATA",
        ),
        (
            "multi_select_input",
            chunk(ChunkBody::MultiSelectInput(SelectInputDetails {
                field_target: "topics".into(),
                options: options(&[("rust", "Rust"), ("ai", "AI & ML"), ("web", "Web")]),
                allowed_custom_value: Some(
                    json!({"description": "Any other topic you'd like to hear about"}),
                ),
            })),
            "MULTI_SELECT_INPUT",
        ),
        (
            "single_select_input",
            chunk(ChunkBody::SingleSelectInput(SelectInputDetails {
                field_target: "ticket".into(),
                options: options(&[("standard", "Standard"), ("vip", "VIP")]),
                allowed_custom_value: None,
            })),
            "SINGLE_SELECT_INPUT",
        ),
        (
            "number_input",
            chunk(ChunkBody::NumberInput(NumberInputDetails {
                field_target: "guests".into(),
                range_limit: Some(RangeLimit {
                    min_inclusive_value: Some(0.0),
                    max_inclusive_value: Some(5.0),
                    max_exclusive_value: None,
                }),
                multiple_of: Some(1.0),
            })),
            "NUMBER_INPUT",
        ),
        (
            "number_input_exclusive",
            chunk(ChunkBody::NumberInput(NumberInputDetails {
                field_target: "budget".into(),
                range_limit: Some(RangeLimit {
                    min_inclusive_value: Some(12.5),
                    max_inclusive_value: None,
                    max_exclusive_value: Some(1000.0),
                }),
                multiple_of: Some(2.5),
            })),
            "NUMBER_INPUT",
        ),
        (
            "separator",
            chunk(ChunkBody::Separator(SeparatorDetails {
                separator_type: Some("PARAGRAPH".into()),
            })),
            "SEPARATOR",
        ),
        (
            "error",
            chunk(ChunkBody::Error(ErrorDetails {
                message_text:
                    "Sorry, something went wrong while processing your answer. Please try again."
                        .into(),
            })),
            "ERROR",
        ),
        (
            "submission",
            chunk(ChunkBody::Submission(SubmissionDetails {
                submission_id: Some("a3c1e7f2-5b9d-4c08-8e6a-1f2d3c4b5a69".into()),
                checkout_id: Some("6e2b9c41-0d7f-4a3e-b5c8-9f1a2e3d4c5b".into()),
            })),
            "SUBMISSION",
        ),
        (
            "important_text",
            chunk(ChunkBody::ImportantText(ImportantTextDetails {
                field_target: "guests".into(),
                text: "You can bring at most 5 guests.".into(),
            })),
            "IMPORTANT_TEXT",
        ),
        (
            "debug",
            chunk(ChunkBody::Debug(DebugDetails {
                data: json!({
                    "toolsCalled": ["extract_fields", "next_question"],
                    "timingsMs": {"extract_fields": 412.5, "next_question": 188},
                    "model": "assistant-v2",
                    "cached": false
                }),
            })),
            "DEBUG",
        ),
        (
            "end_of_response",
            chunk(ChunkBody::EndOfResponse(EndOfResponseDetails {
                success: true,
            })),
            "END_OF_RESPONSE",
        ),
        (
            "file_upload",
            chunk(ChunkBody::FileUpload(target("resume"))),
            "FILE_UPLOAD",
        ),
        (
            "signature",
            chunk(ChunkBody::Signature(target("consent_signature"))),
            "SIGNATURE",
        ),
    ];
    let mut seen: Vec<&str> = Vec::new();
    for (name, expected, type_name) in &cases {
        check(&format!("chunks/{name}.json"), expected);
        assert_eq!(expected.chunk_type().name(), *type_name, "{name}");
        assert!(expected.chunk_type().is_known());
        seen.push(type_name);
    }
    for (type_name, _) in CHUNK_TYPES {
        assert!(seen.contains(&type_name), "no fixture for {type_name}");
    }
}

/// TEXT is chunkType's proto3 default, so a chunk may carry only `textDetails`.
#[test]
fn chunk_type_absent_is_text() {
    let expected = chunk(text(
        "Hi! I'll help you register for the spring meetup. What's your first name?",
        None,
    ));
    check_as("chunks/text_without_chunk_type.json", &expected, |input| {
        input["chunkType"] = json!("TEXT");
    });
    assert_eq!(expected.chunk_type(), ChunkType::Text);
}

/// A chunk type this build does not know is kept with its details and written back.
#[test]
fn unknown_chunk_type_is_kept() {
    let expected = with_input(
        ChunkBody::Unknown {
            chunk_type: "VIDEO_EMBED".into(),
            details: json!({"url": "https://example.com/welcome.mp4", "durationSeconds": 42, "autoplay": false}),
        },
        0,
        3,
    );
    check("chunks/unknown_type.json", &expected);
    assert_eq!(
        expected.chunk_type(),
        ChunkType::Unknown("VIDEO_EMBED".into())
    );
    assert_eq!(expected.chunk_type().to_string(), "UNKNOWN(VIDEO_EMBED)");
    assert_eq!(expected.field_target(), None);
}

/// An unknown `...Details` key without `chunkType` names its type; it is not an empty TEXT.
#[test]
fn unknown_details_without_type_is_unknown() {
    let expected = chunk(ChunkBody::Unknown {
        chunk_type: "DATE_INPUT".into(),
        details: json!({"fieldTarget": "arrival", "format": "YYYY-MM-DD"}),
    });
    check_as(
        "chunks/unknown_details_without_type.json",
        &expected,
        |input| {
            input["chunkType"] = json!("DATE_INPUT");
        },
    );
}

/// Fields the wire types do not know are ignored, in the chunk and in its details.
#[test]
fn unknown_fields_are_ignored() {
    let expected = chunk(text_data("guests", "Guests: 2", json!(2), "2 guests"));
    check_as("chunks/extra_fields.json", &expected, |input| {
        remove(input, "/textDataDetails/confidence");
        remove(input, "/chunkId");
        remove(input, "/renderHints");
    });
}

#[test]
fn create_response() {
    let expected = SessionResponse {
        interactive_form_session: session(),
        response_chunks: vec![
            chunk(text(
                "Welcome to the Spring meetup registration!",
                Some("BOLD"),
            )),
            chunk(ChunkBody::Separator(SeparatorDetails {
                separator_type: Some("PARAGRAPH".into()),
            })),
            chunk(text("What's your first name?", Some("NORMAL"))),
        ],
    };
    check("create_response.json", &expected);
}

/// TEXT_DATA values of every JSON type: string, integer, float, bool, list, object, null.
#[test]
fn send_response_with_every_value_type() {
    let address =
        json!({"street": "1 Main St", "city": "Springfield", "zip": null, "floors": [1, 2]});
    let expected = SessionResponse {
        interactive_form_session: session(),
        response_chunks: vec![
            with_input(
                text_data("first_name", "First name: Dana", json!("Dana"), "Dana"),
                4,
                4,
            ),
            with_input(
                text_data("guests", "Guests: 2", json!(2), "2 guests"),
                27,
                10,
            ),
            chunk(text_data("budget", "Budget: 49.99", json!(49.99), "$49.99")),
            chunk(text_data(
                "newsletter",
                "Newsletter: yes",
                json!(true),
                "Yes",
            )),
            chunk(text_data(
                "topics",
                "Topics: Rust, AI",
                json!(["rust", "ai"]),
                "Rust, AI & ML",
            )),
            chunk(text_data(
                "address",
                "Address: 1 Main St, Springfield",
                address,
                "1 Main St, Springfield",
            )),
            chunk(text_data("company", "Company: none", Value::Null, "None")),
            chunk(text("Which ticket would you like?", Some("NORMAL"))),
            chunk(ChunkBody::SingleSelectInput(SelectInputDetails {
                field_target: "ticket".into(),
                options: options(&[("standard", "Standard"), ("vip", "VIP")]),
                allowed_custom_value: None,
            })),
        ],
    };
    check("send_response.json", &expected);
    // Integers stay integers: a matcher sees 2, not 2.0.
    let parsed: SessionResponse = serde_json::from_str(&fixture("send_response.json")).unwrap();
    let ChunkBody::TextData(guests) = &parsed.response_chunks[1].body else {
        panic!()
    };
    assert!(guests.value.is_u64());
}

#[test]
fn stream_messages() {
    let first = StreamMessage {
        response_chunk: chunk(text("Welcome!", Some("NORMAL"))),
        interactive_form_session: session(),
    };
    check("stream_message_first.json", &first);
    let last = StreamMessage {
        response_chunk: chunk(ChunkBody::EndOfResponse(EndOfResponseDetails {
            success: false,
        })),
        interactive_form_session: None,
    };
    check("stream_message.json", &last);
}

#[test]
fn error_body_with_application_error() {
    let expected = ErrorBody {
        message: "Neither input nor currentValues was provided".into(),
        details: Some(ErrorDetailsBody {
            application_error: Some(ApplicationError {
                code: "EMPTY_REQUEST".into(),
                description: "Send a user input or current values".into(),
                data: json!({"interactiveFormSessionId": SESSION_ID}),
            }),
            validation_error: None,
        }),
    };
    check("error_application.json", &expected);
}

#[test]
fn error_body_with_validation_error() {
    let violation = |field: &str, description: &str, rule: &str| FieldViolation {
        field: field.into(),
        description: description.into(),
        violated_rule: rule.into(),
    };
    let expected = ErrorBody {
        message: "INVALID_ARGUMENT: input must not exceed 10000 characters".into(),
        details: Some(ErrorDetailsBody {
            application_error: None,
            validation_error: Some(ValidationError {
                field_violations: vec![
                    violation("input", "must not exceed 10000 characters", "MAX_LENGTH"),
                    violation("currentValues.guests", "must be a number", "FORMAT"),
                ],
            }),
        }),
    };
    check("error_validation.json", &expected);
}

#[test]
fn create_requests() {
    let values = json!({"newsletter": false, "guests": 1, "topics": ["rust"]});
    let full = CreateSessionRequest {
        form_id: FORM_ID.into(),
        current_values: values.as_object().cloned(),
        dry_run: true,
        client_time: Some(ClientTime {
            current_time: "2025-04-01T09:30:00Z".into(),
            time_zone: "Europe/Vilnius".into(),
        }),
    };
    check("create_request.json", &full);
    let minimal = CreateSessionRequest {
        form_id: FORM_ID.into(),
        current_values: None,
        dry_run: false,
        client_time: None,
    };
    check("create_request_minimal.json", &minimal);
}

/// The SDK's shape repeats the session id in the body; it is kept, and optional.
#[test]
fn send_requests() {
    let plain = SendMessageRequest {
        input: Some("Hi, I'm Dana, dana@example.com".into()),
        current_values: json!({"newsletter": true}).as_object().cloned(),
        interactive_form_session_id: None,
    };
    check("send_request.json", &plain);
    let sdk = SendMessageRequest {
        input: Some("VIP please".into()),
        current_values: None,
        interactive_form_session_id: Some(SESSION_ID.into()),
    };
    check("send_request_sdk.json", &sdk);
}
