//! The streamed methods of the client: Create Interactive Form Session Streamed and Send
//! User Message Streamed. The request goes out like a unary one ([`Client::start`]); the
//! body is then read piece by piece as it arrives and decoded message by message
//! ([`StreamDecoder`]), so each chunk's arrival time is known.
//!
//! Owns the mapping of stream failures onto [`ApiError`]: a cut before END_OF_RESPONSE is
//! `StreamIncomplete`, an undecodable stream `Decode`, a deadline `Timeout`. A stream that
//! ends cleanly without END_OF_RESPONSE is returned as is (`end: None`): whether that
//! fails a turn is the runner's call.

use crate::api::client::{Client, Head};
use crate::api::endpoint::{Endpoint, SessionUris};
use crate::api::error::ApiError;
use crate::api::failure;
use crate::api::stream::{StreamDecoder, StreamError};
use crate::api::trace::Tap;
use crate::api::transport::{Response, TransportError};
use crate::common::wire::{
    Chunk, ChunkBody, CreateSessionRequest, SendMessageRequest, Session, StreamMessage,
};
use http::Uri;
use http::header::CONTENT_TYPE;
use serde::Serialize;
use std::time::{Duration, Instant};

/// How much of the start of a streamed body is kept to describe a decode error.
const EXCERPT_BYTES: usize = 1024;

/// A streamed response and what was observed about it.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamReply {
    /// The session of the first message, if it carried one.
    pub session: Option<Session>,
    /// Every chunk in arrival order, END_OF_RESPONSE included.
    pub chunks: Vec<Chunk>,
    /// When each chunk arrived, from the start of the request (same length as `chunks`).
    pub arrivals: Vec<Duration>,
    /// Time to first chunk: when the first message was decoded, from the request start.
    pub ttfc: Option<Duration>,
    pub status: u16,
    /// `x-wix-request-id`, when the server sent one.
    pub request_id: Option<String>,
    /// The HTTP version of the response: `HTTP/1.1`, `HTTP/2`.
    pub protocol: &'static str,
    /// `Some(success)` of the first END_OF_RESPONSE chunk; `None` when none arrived.
    pub end: Option<bool>,
    /// Attempts made, the first included (more than 1 only with retries; a stream is
    /// only retried before its head arrived, so no chunk is ever received twice).
    pub attempts: u32,
    /// Time before the last attempt started: failed attempts and backoff waits.
    /// `arrivals` and `ttfc` are measured from the last attempt's start.
    pub retry_time: Duration,
    /// Time spent waiting for the rate cap (not service time).
    pub pacing: Duration,
}

impl StreamReply {
    /// True when the stream ended with `END_OF_RESPONSE {success: true}`.
    pub fn is_complete(&self) -> bool {
        self.end == Some(true)
    }

    fn record(&mut self, message: StreamMessage, at: Duration) {
        if self.ttfc.is_none() {
            self.ttfc = Some(at);
        }
        if self.session.is_none() {
            self.session = message.interactive_form_session;
        }
        if let (None, ChunkBody::EndOfResponse(end)) = (self.end, &message.response_chunk.body) {
            self.end = Some(end.success);
        }
        self.chunks.push(message.response_chunk);
        self.arrivals.push(at);
    }
}

impl Client {
    /// Create Interactive Form Session Streamed: `POST {base}/create-streamed`.
    pub async fn create_streamed(
        &self,
        req: &CreateSessionRequest,
    ) -> Result<StreamReply, ApiError> {
        let uri = self.base_url_of(Endpoint::CreateStreamed)?;
        self.streamed(uri, req).await
    }

    /// Send User Message Streamed: `POST {base}/{session_id}/send-user-message-streamed`.
    pub async fn send_streamed(
        &self,
        session_id: &str,
        req: &SendMessageRequest,
    ) -> Result<StreamReply, ApiError> {
        let uri = self.base_url_of(Endpoint::SendStreamed { session_id })?;
        self.streamed(uri, req).await
    }

    /// Send User Message Streamed to a session whose URIs were built with
    /// [`Client::session_uris`].
    pub async fn send_streamed_at(
        &self,
        session: &SessionUris,
        req: &SendMessageRequest,
    ) -> Result<StreamReply, ApiError> {
        self.streamed(session.send_streamed.clone(), req).await
    }

    async fn streamed(&self, uri: Uri, body: &impl Serialize) -> Result<StreamReply, ApiError> {
        let (mut reply, seen) = self
            .attempt(|| self.streamed_once(uri.clone(), body))
            .await?;
        reply.attempts = seen.attempts;
        reply.retry_time = seen.retry_time;
        reply.pacing = seen.pacing;
        Ok(reply)
    }

    async fn streamed_once(
        &self,
        uri: Uri,
        body: &impl Serialize,
    ) -> Result<StreamReply, ApiError> {
        let started = Instant::now();
        let Head {
            response,
            status,
            request_id,
            protocol,
            mut tap,
            ..
        } = self.start(uri, body).await?;
        let mut reply = StreamReply {
            session: None,
            chunks: Vec::new(),
            arrivals: Vec::new(),
            ttfc: None,
            status,
            request_id,
            protocol,
            end: None,
            attempts: 1,
            retry_time: Duration::ZERO,
            pacing: Duration::ZERO,
        };
        let result = self
            .read_stream(response, &mut reply, started, tap.as_mut())
            .await;
        if let Some(mut tap) = tap {
            tap.messages(&reply.chunks, &reply.arrivals);
            tap.finish(result.as_ref().err().map(ToString::to_string));
        }
        result.map(|()| reply)
    }

    /// Reads and decodes a streamed body into `reply`, message by message.
    async fn read_stream(
        &self,
        mut response: Response,
        reply: &mut StreamReply,
        started: Instant,
        mut tap: Option<&mut Tap>,
    ) -> Result<(), ApiError> {
        let content_type = response
            .headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let message_limit = crate::api::stream::MAX_MESSAGE_BYTES.min(self.limits.max_bytes);
        let mut decoder = StreamDecoder::with_limit(content_type.as_deref(), message_limit)
            .scrubbing(self.scrubber().clone());
        let mut excerpt = Vec::new();
        let mut received = 0usize;
        loop {
            let piece = match response.chunk().await {
                Ok(Some(piece)) => piece,
                Ok(None) => break,
                Err(err) => return Err(self.cut_error(err, reply)),
            };
            if let Some(tap) = &mut tap {
                tap.body_piece(&piece);
            }
            received = received.saturating_add(piece.len());
            if received > self.limits.max_bytes {
                let message = format!("streamed body larger than {} bytes", self.limits.max_bytes);
                return Err(self.too_large(message, reply));
            }
            if excerpt.len() < EXCERPT_BYTES {
                let room = EXCERPT_BYTES - excerpt.len();
                excerpt.extend_from_slice(&piece[..piece.len().min(room)]);
            }
            decoder
                .push(&piece)
                .map_err(|err| self.stream_error(err, &excerpt, reply))?;
            self.take_messages(&mut decoder, reply, started.elapsed())?;
        }
        decoder
            .finish()
            .map_err(|err| self.stream_error(err, &excerpt, reply))?;
        self.take_messages(&mut decoder, reply, started.elapsed())
    }

    /// Moves the decoded messages into the reply, failing past the chunk limit so that a
    /// server streaming tiny messages cannot grow the reply without end.
    fn take_messages(
        &self,
        decoder: &mut StreamDecoder,
        reply: &mut StreamReply,
        at: Duration,
    ) -> Result<(), ApiError> {
        while let Some(message) = decoder.next_message() {
            if reply.chunks.len() >= self.limits.max_chunks {
                let message = format!("more than {} streamed messages", self.limits.max_chunks);
                return Err(self.too_large(message, reply));
            }
            reply.record(message, at);
        }
        Ok(())
    }

    fn too_large(&self, message: String, reply: &StreamReply) -> ApiError {
        ApiError::TooLarge {
            message: format!("after {} chunk(s): {message}", reply.chunks.len()),
            request_id: reply.request_id.clone(),
        }
    }

    /// A transport error while the body was being read. A deadline stays `Timeout`; any
    /// other failure cut the stream, so it is `StreamIncomplete` unless END_OF_RESPONSE
    /// had already arrived (then it is the connection's fault: `Reset`).
    fn cut_error(&self, err: TransportError, reply: &StreamReply) -> ApiError {
        let error = failure::transport_error(err, reply.request_id.clone(), self.scrubber());
        match error {
            ApiError::Reset {
                message,
                request_id,
            } if reply.end.is_none() => ApiError::StreamIncomplete {
                message: format!("after {} chunk(s): {message}", reply.chunks.len()),
                request_id,
            },
            other => other,
        }
    }

    fn stream_error(&self, err: StreamError, excerpt: &[u8], reply: &StreamReply) -> ApiError {
        match err {
            StreamError::Truncated { reason } => ApiError::StreamIncomplete {
                message: format!("after {} chunk(s), {reason}", reply.chunks.len()),
                request_id: reply.request_id.clone(),
            },
            other => failure::decode_error(
                reply.status,
                other.to_string(),
                excerpt,
                reply.request_id.clone(),
                self.scrubber(),
            ),
        }
    }
}
