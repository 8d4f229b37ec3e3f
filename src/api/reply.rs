//! What a call returns: the decoded [`Reply`] of a unary call with what was observed
//! about it, the [`Attempts`] the retry loop made, and the `Head` of a success response
//! whose body the caller still has to read (unary or streamed).
//!
//! Plain data: sending, reading and decoding are [`crate::api::client`]'s.

use crate::api::trace::Tap;
use crate::api::transport::Response;
use crate::common::wire::SessionResponse;
use std::time::Duration;

/// A decoded success response (a session's by default; Generate Form Summary's for
/// [`crate::api::client::Client::generate_summary`]) and what was observed about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply<T = SessionResponse> {
    pub response: T,
    pub status: u16,
    /// `x-wix-request-id`, when the server sent one.
    pub request_id: Option<String>,
    /// The HTTP version of the response: `HTTP/1.1`, `HTTP/2`.
    pub protocol: &'static str,
    /// From handing the request to the connection pool until the response headers arrived
    /// (includes connecting when no pooled connection was free).
    pub ttfb: Duration,
    /// Size of the response body.
    pub body_bytes: usize,
    /// Attempts made, the first included (more than 1 only with retries).
    pub attempts: u32,
    /// Time before the last attempt started: failed attempts and backoff waits.
    pub retry_time: Duration,
    /// Time spent waiting for the rate cap before the attempts (not service time).
    pub pacing: Duration,
}

/// What the retry loop observed about one call.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Attempts {
    pub attempts: u32,
    pub retry_time: Duration,
    pub pacing: Duration,
}

/// The head of a success response whose body is still to be read.
pub(crate) struct Head {
    pub response: Response,
    pub status: u16,
    pub request_id: Option<String>,
    pub ttfb: Duration,
    /// The HTTP version of the response, as [`protocol_name`] names it.
    pub protocol: &'static str,
    /// What is being collected for the trace, when tracing.
    pub tap: Option<Tap>,
}
