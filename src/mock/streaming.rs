//! The body of the mock's streamed responses: a simulator reply turned into one message
//! per chunk (the session in the first only), then END_OF_RESPONSE `{success: true}`,
//! written as a real streamed HTTP body in the configured framing and pacing.
//!
//! Owns framing and pacing, and the stream-shaped faults (`stream_cut`, `end_failure`,
//! `error_chunk`); what the chunks say is the simulator's business.

use super::config::{MockConfig, StreamFormat};
use super::faults::FaultKind;
use super::handlers::error_chunk;
use crate::common::wire::{Chunk, ChunkBody, EndOfResponseDetails, SessionResponse, StreamMessage};
use axum::body::{Body, Bytes};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// A `200` whose body streams `reply`'s chunks as separate messages.
/// `fault` is the stream-shaped fault to apply, if any: `stream_cut` sends about half
/// of the messages (at least one, never END_OF_RESPONSE) and then fails the body so the
/// connection closes; `end_failure` ends with `success: false`; `error_chunk` adds an
/// ERROR chunk before END_OF_RESPONSE.
pub(crate) fn stream_response(
    mut reply: SessionResponse,
    config: &MockConfig,
    fault: Option<FaultKind>,
) -> Response {
    if fault == Some(FaultKind::ErrorChunk) {
        reply.response_chunks.push(error_chunk());
    }
    let mut frames = frames(
        reply,
        config.stream_format,
        fault != Some(FaultKind::EndFailure),
    );
    let cut = fault == Some(FaultKind::StreamCut);
    if cut {
        let keep = (frames.len() / 2).max(1).min(frames.len() - 1);
        frames.truncate(keep);
    }
    let (ttfc, gap) = (config.stream_ttfc, config.stream_gap);
    let frames = frames.into_iter().map(Ok).chain(
        // An error frame makes hyper drop the connection without the final empty chunk.
        cut.then(|| Err(std::io::Error::other("injected stream cut"))),
    );
    let body = futures_util::stream::unfold(
        (frames.enumerate(), ttfc, gap),
        |(mut frames, ttfc, gap)| async move {
            let (index, frame) = frames.next()?;
            let delay = if index == 0 { ttfc } else { gap };
            // A zero delay never touches the timer, so unpaced streams cost nothing extra.
            if !delay.is_zero() {
                crate::mock::precise::sleep(delay).await;
            } else if frame.is_err() {
                // Let hyper flush the messages already sent before the connection drops.
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
            Some((frame, (frames, ttfc, gap)))
        },
    );
    let mut response = (StatusCode::OK, Body::from_stream(body)).into_response();
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static(config.stream_format.content_type()),
    );
    response
}

/// One body frame per message, already framed; the array's closing `]` rides with the
/// last message so that no pause separates them.
fn frames(reply: SessionResponse, format: StreamFormat, success: bool) -> Vec<Bytes> {
    let mut session = reply.interactive_form_session;
    let end = Chunk::from(ChunkBody::EndOfResponse(EndOfResponseDetails { success }));
    let chunks = reply.response_chunks.into_iter().chain([end]);
    let mut frames: Vec<Vec<u8>> = chunks
        .enumerate()
        .map(|(index, response_chunk)| {
            let message = StreamMessage {
                response_chunk,
                interactive_form_session: session.take(),
            };
            frame(&message, format, index == 0)
        })
        .collect();
    if let (StreamFormat::Array, Some(last)) = (format, frames.last_mut()) {
        last.push(b']');
    }
    frames.into_iter().map(Bytes::from).collect()
}

fn frame(message: &StreamMessage, format: StreamFormat, first: bool) -> Vec<u8> {
    // The wire types hold only strings and JSON values, so encoding cannot fail; an empty
    // object would still be a well-framed (if odd) message.
    let json = serde_json::to_vec(message).unwrap_or_else(|_| b"{}".to_vec());
    let mut out = Vec::with_capacity(json.len() + 8);
    match format {
        StreamFormat::Array => {
            out.push(if first { b'[' } else { b',' });
            out.extend_from_slice(&json);
        }
        StreamFormat::Ndjson => {
            out.extend_from_slice(&json);
            out.push(b'\n');
        }
        StreamFormat::Sse => {
            out.extend_from_slice(b"data: ");
            out.extend_from_slice(&json);
            out.extend_from_slice(b"\n\n");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::stream::StreamDecoder;
    use crate::common::wire::{Session, TextDetails};

    fn reply() -> SessionResponse {
        let text = |t: &str| {
            Chunk::from(ChunkBody::Text(TextDetails {
                text: t.into(),
                style: None,
            }))
        };
        SessionResponse {
            interactive_form_session: Some(Session {
                id: "s".into(),
                form_id: "f".into(),
            }),
            response_chunks: vec![text("a]"), text("b\"")],
        }
    }

    #[test]
    fn every_format_decodes_to_the_chunks_then_end_of_response() {
        for format in [StreamFormat::Array, StreamFormat::Ndjson, StreamFormat::Sse] {
            let body: Vec<u8> = frames(reply(), format, true).concat();
            let mut decoder = StreamDecoder::new(Some(format.content_type()));
            decoder.push(&body).unwrap();
            decoder.finish().unwrap();
            let messages: Vec<_> = std::iter::from_fn(|| decoder.next_message()).collect();
            assert_eq!(messages.len(), 3, "{format:?}");
            assert!(messages[0].interactive_form_session.is_some());
            assert!(
                messages[1..]
                    .iter()
                    .all(|m| m.interactive_form_session.is_none())
            );
            assert!(matches!(
                messages[2].response_chunk.body,
                ChunkBody::EndOfResponse(EndOfResponseDetails { success: true })
            ));
        }
    }
}
