//! One request of a conversation, unary or streamed, reduced to what evaluation needs
//! ([`Received`]), so that both kinds are judged by the same expectations.
//!
//! Owns the streamed-turn rules: END_OF_RESPONSE ends the stream and is not one of the
//! chunks expectations see (a suite must pass the same whether streamed or not), and a
//! stream without `END_OF_RESPONSE {success: true}` is a `stream_incomplete` error.

use crate::api::client::Client;
use crate::api::endpoint::SessionUris;
use crate::api::error::ApiError;
use crate::api::streamed::StreamReply;
use crate::common::wire::{Chunk, ChunkBody, CreateSessionRequest, SendMessageRequest};
use std::time::Duration;

/// What a request is.
pub(crate) enum Call<'a> {
    Create(&'a CreateSessionRequest),
    Send {
        /// The session's URIs, or why it has none (an id that cannot be a path segment).
        session: &'a Result<SessionUris, ApiError>,
        request: &'a SendMessageRequest,
    },
}

/// A response, unary or streamed.
pub(crate) struct Received {
    pub status: u16,
    pub request_id: Option<String>,
    /// The HTTP version of the response: `HTTP/1.1`, `HTTP/2`.
    pub protocol: &'static str,
    /// `interactiveFormSession.id`, when the response carried a non-empty one.
    pub session_id: Option<String>,
    /// The chunks, END_OF_RESPONSE excluded.
    pub chunks: Vec<Chunk>,
    pub ttfc: Option<Duration>,
    /// When each message arrived, END_OF_RESPONSE included, from the start of the attempt
    /// that produced the stream (streamed only; empty otherwise).
    pub arrivals: Vec<Duration>,
    /// When the first END_OF_RESPONSE arrived, on the same clock (streamed only).
    pub end: Option<Duration>,
    /// Why a streamed response did not end well, when it did not.
    pub incomplete: Option<String>,
    /// Time the client waited for the rate cap (`--max-rps`): not part of the latency.
    pub pacing: Duration,
    /// Requests sent for this call (1 without retries) and the time spent on the retried
    /// attempts and their backoff (part of the latency: a retried request never looks fast).
    pub attempts: u32,
    pub retry_time: Duration,
}

/// Retries made and the time they took, for a call answered or not.
pub(crate) fn retries(reply: &Result<Received, ApiError>) -> (u32, Duration) {
    match reply {
        Ok(received) => (received.attempts.saturating_sub(1), received.retry_time),
        Err(err) => (err.attempts().saturating_sub(1), err.retry_time()),
    }
}

/// The rate-cap wait of a request, answered or not (subtracted from its latency).
pub(crate) fn pacing(reply: &Result<Received, ApiError>) -> Duration {
    match reply {
        Ok(received) => received.pacing,
        Err(err) => err.pacing(),
    }
}

/// Sends `call` to the unary or the streamed endpoint.
pub(crate) async fn send(
    client: &Client,
    call: Call<'_>,
    streamed: bool,
) -> Result<Received, ApiError> {
    match (call, streamed) {
        (Call::Create(request), false) => {
            let reply = client.create(request).await?;
            Ok(unary(reply))
        }
        (Call::Send { session, request }, false) => {
            let session = session.as_ref().map_err(Clone::clone)?;
            Ok(unary(client.send_at(session, request).await?))
        }
        (Call::Create(request), true) => Ok(stream(client.create_streamed(request).await?)),
        (Call::Send { session, request }, true) => {
            let session = session.as_ref().map_err(Clone::clone)?;
            Ok(stream(client.send_streamed_at(session, request).await?))
        }
    }
}

fn unary(reply: crate::api::client::Reply) -> Received {
    Received {
        status: reply.status,
        request_id: reply.request_id,
        protocol: reply.protocol,
        session_id: reply
            .response
            .interactive_form_session
            .map(|s| s.id)
            .filter(|id| !id.is_empty()),
        chunks: reply.response.response_chunks,
        ttfc: None,
        arrivals: Vec::new(),
        end: None,
        incomplete: None,
        pacing: reply.pacing,
        attempts: reply.attempts,
        retry_time: reply.retry_time,
    }
}

fn stream(reply: StreamReply) -> Received {
    let incomplete = match reply.end {
        Some(true) => None,
        Some(false) => Some("END_OF_RESPONSE reported success: false".to_string()),
        None => Some(format!(
            "the stream ended after {} chunk(s) without END_OF_RESPONSE",
            reply.chunks.len()
        )),
    };
    let end = reply
        .chunks
        .iter()
        .position(|chunk| matches!(chunk.body, ChunkBody::EndOfResponse(_)))
        .and_then(|index| reply.arrivals.get(index).copied());
    let mut chunks = reply.chunks;
    chunks.retain(|chunk| !matches!(chunk.body, ChunkBody::EndOfResponse(_)));
    Received {
        status: reply.status,
        request_id: reply.request_id,
        protocol: reply.protocol,
        session_id: reply.session.map(|s| s.id).filter(|id| !id.is_empty()),
        chunks,
        ttfc: reply.ttfc,
        arrivals: reply.arrivals,
        end,
        incomplete,
        pacing: reply.pacing,
        attempts: reply.attempts,
        retry_time: reply.retry_time,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::wire::{EndOfResponseDetails, Session, TextDetails};

    fn reply(end: Option<bool>) -> StreamReply {
        let mut chunks = vec![Chunk::from(ChunkBody::Text(TextDetails::default()))];
        if let Some(success) = end {
            chunks.push(Chunk::from(ChunkBody::EndOfResponse(
                EndOfResponseDetails { success },
            )));
        }
        StreamReply {
            session: Some(Session {
                id: "s1".into(),
                form_id: "f".into(),
            }),
            arrivals: (1..=chunks.len() as u64)
                .map(Duration::from_millis)
                .collect(),
            chunks,
            ttfc: Some(Duration::from_millis(3)),
            status: 200,
            request_id: None,
            protocol: "HTTP/1.1",
            end,
            attempts: 1,
            retry_time: Duration::ZERO,
            pacing: Duration::ZERO,
        }
    }

    /// END_OF_RESPONSE is dropped from the chunks; a missing or failed one is incomplete.
    #[test]
    fn end_of_response_ends_the_stream_and_is_not_a_chunk() {
        let ok = stream(reply(Some(true)));
        assert_eq!(ok.chunks.len(), 1);
        assert!(ok.incomplete.is_none());
        assert_eq!(ok.session_id.as_deref(), Some("s1"));
        assert_eq!(ok.ttfc, Some(Duration::from_millis(3)));
        assert_eq!(ok.arrivals.len(), 2, "END_OF_RESPONSE keeps its arrival");
        assert_eq!(ok.end, Some(Duration::from_millis(2)));
        let failed = stream(reply(Some(false)));
        assert_eq!(failed.chunks.len(), 1);
        assert!(failed.incomplete.unwrap().contains("success: false"));
        let unended = stream(reply(None));
        assert!(unended.incomplete.is_some());
        assert_eq!(unended.end, None);
    }
}
