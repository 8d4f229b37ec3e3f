//! The mock's settings. Only what the server needs today: the session cap, a fixed
//! per-endpoint delay and the streamed responses' framing and pacing;
//! room is left for latency distributions and fault rates.
//!
//! Owns plain data and its defaults; it must not read flags or files (the CLI does).

use std::time::Duration;

/// Sessions kept by default before the oldest are evicted: far more than any functional
/// run creates, and a few hundred MB at most in a long load test.
pub const DEFAULT_MAX_SESSIONS: usize = 100_000;

/// How the mock behaves. Build it with struct-update syntax over `MockConfig::default()`
/// so that fields added later keep callers compiling.
#[derive(Debug, Clone, PartialEq)]
pub struct MockConfig {
    /// At most this many sessions are kept; creating one more evicts the oldest, whose id
    /// then gets 404 like any unknown session. At least 1.
    pub max_sessions: usize,
    /// A fixed delay added before answering, per endpoint (streamed twins included:
    /// it passes before the response head).
    pub latency: Latency,
    /// How the streamed endpoints frame their messages.
    pub stream_format: StreamFormat,
    /// Delay between a streamed response's head and its first message.
    pub stream_ttfc: Duration,
    /// Delay between consecutive messages of a streamed response.
    pub stream_gap: Duration,
}

/// The framing of streamed responses (API.md "Streaming framing").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum StreamFormat {
    /// `[{...},{...}]`, `application/json`: the only framing the JS SDK reads whole.
    #[default]
    Array,
    /// One message per line, `application/x-ndjson`.
    Ndjson,
    /// `data: {...}` events, `text/event-stream`.
    Sse,
}

impl StreamFormat {
    pub fn content_type(self) -> &'static str {
        match self {
            StreamFormat::Array => "application/json",
            StreamFormat::Ndjson => "application/x-ndjson",
            StreamFormat::Sse => "text/event-stream",
        }
    }
}

impl Default for MockConfig {
    fn default() -> Self {
        MockConfig {
            max_sessions: DEFAULT_MAX_SESSIONS,
            latency: Latency::default(),
            stream_format: StreamFormat::default(),
            stream_ttfc: Duration::ZERO,
            stream_gap: Duration::ZERO,
        }
    }
}

/// Fixed service time per endpoint (zero by default).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Latency {
    pub create: Duration,
    pub send: Duration,
}
