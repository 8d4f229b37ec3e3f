//! Tests of the stream decoder: each framing, edge cases, and a property test that any
//! split of the bytes decodes to the same messages as the whole body.

use super::*;
use crate::common::wire::{Chunk, ChunkBody, EndOfResponseDetails, Session, TextDetails};
use proptest::prelude::*;

fn text(text: &str) -> StreamMessage {
    StreamMessage {
        response_chunk: Chunk::from(ChunkBody::Text(TextDetails {
            text: text.to_string(),
            style: None,
        })),
        interactive_form_session: None,
    }
}

fn end() -> StreamMessage {
    StreamMessage {
        response_chunk: Chunk::from(ChunkBody::EndOfResponse(EndOfResponseDetails {
            success: true,
        })),
        interactive_form_session: None,
    }
}

fn sample() -> Vec<StreamMessage> {
    let mut first = text("Hi \"there\" [{}] \\ é😀\n");
    first.interactive_form_session = Some(Session {
        id: "s1".into(),
        form_id: "f1".into(),
    });
    vec![first, text("}]\\\""), end()]
}

fn encode(framing: Framing, messages: &[StreamMessage]) -> Vec<u8> {
    let json: Vec<String> = messages
        .iter()
        .map(|m| serde_json::to_string(m).unwrap())
        .collect();
    match framing {
        Framing::Array => format!("[{}]", json.join(",")),
        Framing::Ndjson => json.iter().map(|j| format!("{j}\n")).collect(),
        Framing::Sse => json.iter().map(|j| format!("data: {j}\n\n")).collect(),
    }
    .into_bytes()
}

fn content_type(framing: Framing) -> &'static str {
    match framing {
        Framing::Array => "application/json",
        Framing::Ndjson => "application/x-ndjson",
        Framing::Sse => "text/event-stream; charset=utf-8",
    }
}

/// Feeds `pieces` one by one, draining after each, then finishes.
fn decode_pieces<'a>(
    content_type: Option<&str>,
    pieces: impl IntoIterator<Item = &'a [u8]>,
) -> Result<Vec<StreamMessage>, StreamError> {
    let mut decoder = StreamDecoder::new(content_type);
    let mut out = Vec::new();
    for piece in pieces {
        decoder.push(piece)?;
        out.extend(std::iter::from_fn(|| decoder.next_message()));
    }
    decoder.finish()?;
    out.extend(std::iter::from_fn(|| decoder.next_message()));
    Ok(out)
}

fn decode(content_type: Option<&str>, body: &[u8]) -> Result<Vec<StreamMessage>, StreamError> {
    decode_pieces(content_type, [body])
}

const FRAMINGS: [Framing; 3] = [Framing::Array, Framing::Ndjson, Framing::Sse];

#[test]
fn each_framing_decodes_whole_and_byte_by_byte() {
    for framing in FRAMINGS {
        let body = encode(framing, &sample());
        let ct = Some(content_type(framing));
        assert_eq!(decode(ct, &body).unwrap(), sample(), "{framing:?}");
        let bytes = body.chunks(1);
        assert_eq!(decode_pieces(ct, bytes).unwrap(), sample(), "{framing:?}");
    }
}

#[test]
fn messages_are_available_before_the_body_ends() {
    let body = encode(Framing::Array, &sample());
    let mut decoder = StreamDecoder::new(Some("application/json"));
    // `[` and the first element, without the comma that follows it.
    let json = serde_json::to_string(&sample()[0]).unwrap();
    decoder.push(&body[..json.len() + 1]).unwrap();
    assert_eq!(decoder.next_message(), Some(sample()[0].clone()));
    assert_eq!(decoder.next_message(), None);
}

#[test]
fn framing_comes_from_the_first_byte_when_content_type_is_json() {
    let ndjson = encode(Framing::Ndjson, &sample());
    assert_eq!(decode(Some("application/json"), &ndjson).unwrap(), sample());
    let sse = encode(Framing::Sse, &sample());
    assert_eq!(decode(None, &sse).unwrap(), sample());
    let mut decoder = StreamDecoder::new(None);
    decoder.push(b"  \n [").unwrap();
    assert_eq!(decoder.framing(), Some(Framing::Array));
    assert!(matches!(
        decode(None, b"<html>"),
        Err(StreamError::UnknownFraming('<'))
    ));
}

#[test]
fn whitespace_and_missing_trailing_newlines_are_fine() {
    let json = serde_json::to_string(&end()).unwrap();
    let array = format!(" \n[ \n{json} ,\r\n\t{json}\n] \n");
    assert_eq!(decode(None, array.as_bytes()).unwrap(), vec![end(), end()]);
    assert_eq!(decode(None, b"[]").unwrap(), vec![]);
    let ndjson = format!("\n{json}\r\n\n{json}");
    assert_eq!(decode(None, ndjson.as_bytes()).unwrap(), vec![end(), end()]);
    let sse = format!("data: {json}\n\ndata:{json}");
    let ct = Some("text/event-stream");
    assert_eq!(decode(ct, sse.as_bytes()).unwrap(), vec![end(), end()]);
}

#[test]
fn sse_handles_crlf_comments_fields_and_multiline_data() {
    let json = serde_json::to_string_pretty(&sample()[0]).unwrap();
    let data: String = json.lines().map(|l| format!("data: {l}\r\n")).collect();
    let body = format!(
        ": keep-alive\r\nevent: chunk\r\nid: 1\r\nretry: 10\r\n{data}\r\n: again\r\n\r\ndata: {}\r\n\r\n",
        serde_json::to_string(&end()).unwrap()
    );
    let ct = Some("text/event-stream");
    assert_eq!(
        decode(ct, body.as_bytes()).unwrap(),
        vec![sample()[0].clone(), end()]
    );
    // Byte by byte, so some `\r\n` pairs are split between pushes.
    for size in [1, 3] {
        assert_eq!(
            decode_pieces(ct, body.as_bytes().chunks(size)).unwrap(),
            vec![sample()[0].clone(), end()]
        );
    }
}

#[test]
fn malformed_input_is_an_error() {
    let json = serde_json::to_string(&end()).unwrap();
    let malformed = |body: &str, ct: Option<&str>| {
        matches!(
            decode(ct, body.as_bytes()),
            Err(StreamError::Malformed { .. })
        )
    };
    assert!(malformed(&format!("[{json} {json}]"), None));
    assert!(malformed(&format!("[{json},]"), None));
    assert!(malformed(&format!("[{json}] x"), None));
    assert!(malformed("[1, 2]", None));
    assert!(malformed("[{\"responseChunk\": 5}]", None));
    assert!(malformed("{\"a\" 1}\n", None));
    assert!(malformed("data: {nope}\n\n", Some("text/event-stream")));
}

#[test]
fn truncated_streams_are_detected_at_finish() {
    let json = serde_json::to_string(&end()).unwrap();
    let cut = &json[..json.len() - 3];
    let truncated = |body: &str, ct: Option<&str>| {
        matches!(
            decode(ct, body.as_bytes()),
            Err(StreamError::Truncated { .. })
        )
    };
    assert!(truncated(&format!("[{json},{cut}"), None));
    assert!(truncated(&format!("[{json}"), None));
    assert!(truncated(&format!("[{json},"), None));
    assert!(truncated("", None));
    assert!(truncated(&format!("{json}\n{cut}"), None));
    assert!(truncated(
        &format!("data: {cut}"),
        Some("text/event-stream")
    ));
    assert!(truncated(
        &format!("data: {cut}\n"),
        Some("text/event-stream")
    ));
}

#[test]
fn a_message_over_the_limit_is_an_error() {
    let json = serde_json::to_string(&sample()[0]).unwrap();
    for framing in FRAMINGS {
        let body = encode(framing, &sample());
        let mut decoder = StreamDecoder::with_limit(Some(content_type(framing)), json.len() / 2);
        let result = body.chunks(7).try_for_each(|piece| decoder.push(piece));
        assert!(
            matches!(result, Err(StreamError::TooLarge { .. })),
            "{framing:?}"
        );
    }
    // Many small messages never accumulate against the limit.
    let many = vec![end(); 200];
    let body = encode(Framing::Array, &many);
    let mut decoder = StreamDecoder::with_limit(None, json.len());
    for piece in body.chunks(5) {
        decoder.push(piece).unwrap();
        while decoder.next_message().is_some() {}
    }
    decoder.finish().unwrap();
}

/// A message over the limit is refused whether it arrives whole or in pieces: the limit
/// once applied only to the message in progress, so a large message (or an ignored SSE
/// field line) that came in one read passed and the same bytes trickled in failed
/// (found by `cargo fuzz run stream_decoder`, docs/fuzzing.md).
#[test]
fn the_limit_does_not_depend_on_how_the_body_is_split() {
    let json = serde_json::to_string(&sample()[0]).unwrap();
    let limit = json.len() / 2;
    let long_field = format!(
        ": note\r\nevent: message\r\nx-data: {}\r\n\r\n",
        "y".repeat(limit)
    );
    let bodies = FRAMINGS
        .iter()
        .map(|f| (Some(content_type(*f)), encode(*f, &sample())))
        .chain([(Some(content_type(Framing::Sse)), long_field.into_bytes())]);
    for (ct, body) in bodies {
        let outcome = |pieces: Vec<&[u8]>| {
            let mut decoder = StreamDecoder::with_limit(ct, limit);
            pieces.into_iter().try_for_each(|p| decoder.push(p))?;
            decoder.finish()
        };
        let whole = outcome(vec![&body[..]]);
        let trickled = outcome(body.chunks(1).collect());
        assert!(
            matches!(whole, Err(StreamError::TooLarge { .. })),
            "{ct:?}: {whole:?}"
        );
        assert_eq!(whole, trickled, "{ct:?}");
    }
}

/// Whitespace before the first message is dropped whether it arrives alone or with what
/// follows: it once was only when it came in reads of its own, so `\r\rdata: {...` was an
/// ignored field read whole and a message read byte by byte (found by fuzzing).
#[test]
fn leading_whitespace_is_dropped_whatever_the_split() {
    let json = serde_json::to_string(&sample()[0]).unwrap();
    let bodies = [
        format!("\r\r data: {json}\n\n"),
        format!(" \n\t{json}\n"),
        format!("\r\n [{json}]"),
    ];
    for body in bodies {
        let whole = decode(None, body.as_bytes()).unwrap();
        assert_eq!(whole, vec![sample()[0].clone()], "{body:?}");
        assert_eq!(
            decode_pieces(None, body.as_bytes().chunks(1)).unwrap(),
            whole
        );
    }
}

fn message_strategy() -> impl Strategy<Value = StreamMessage> {
    let text = "[a-z \"\\\\\\[\\]{},:é😀\n\r]{0,24}";
    (text, any::<bool>(), any::<bool>()).prop_map(|(t, with_session, is_end)| {
        let mut message = if is_end { end() } else { self::text(&t) };
        if with_session {
            message.interactive_form_session = Some(Session {
                id: t.clone(),
                form_id: "f".into(),
            });
        }
        message
    })
}

proptest! {
    /// Any split of the byte stream, at any byte, decodes to the same messages.
    #[test]
    fn any_split_decodes_like_the_whole(
        messages in prop::collection::vec(message_strategy(), 0..6),
        cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..12),
        framing in prop::sample::select(FRAMINGS.to_vec()),
    ) {
        let body = encode(framing, &messages);
        let ct = Some(content_type(framing));
        let whole = decode(ct, &body).unwrap();
        prop_assert_eq!(&whole, &messages);
        let mut points: Vec<usize> = cuts.iter().map(|c| c.index(body.len() + 1)).collect();
        points.sort_unstable();
        let mut pieces = Vec::new();
        let mut from = 0;
        for point in points {
            pieces.push(&body[from..point]);
            from = point;
        }
        pieces.push(&body[from..]);
        prop_assert_eq!(decode_pieces(ct, pieces).unwrap(), whole);
    }
}
