//! The mock's settings: the session cap, the latency model, the fault profile and its
//! seed, the variability profile, and the streamed responses' framing and pacing.
//!
//! Owns plain data and its defaults; it must not read flags or files (the CLI does).

use super::faults::FaultProfile;
use super::latency::Latency;
use super::replay::Replay;
use super::vary::VaryProfile;
use std::sync::Arc;
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
    /// A delay distribution per endpoint, sampled before answering (for a streamed
    /// endpoint, before the response head).
    pub latency: Latency,
    /// Faults to inject (none by default), see `docs/faults.md`.
    pub faults: FaultProfile,
    /// Seeds latency sampling and fault draws (same seed and same request order per
    /// endpoint, same delays and faults) and the variability draws (same seed, session
    /// id and turn, same variation).
    pub seed: u64,
    /// How the assistant varies like an LLM (`--vary`); off by default, which keeps the
    /// simulator's answers exactly deterministic.
    pub vary: VaryProfile,
    /// How the streamed endpoints frame their messages.
    pub stream_format: StreamFormat,
    /// Delay between a streamed response's head and its first message.
    pub stream_ttfc: Duration,
    /// Delay between consecutive messages of a streamed response.
    pub stream_gap: Duration,
    /// Recorded transcripts to answer from before asking the simulator (`--replay`).
    pub replay: Option<Arc<Replay>>,
}

/// The framing of streamed responses (docs/wire-format.md, "Streamed responses").
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
            faults: FaultProfile::default(),
            seed: 0,
            vary: VaryProfile::default(),
            stream_format: StreamFormat::default(),
            stream_ttfc: Duration::ZERO,
            stream_gap: Duration::ZERO,
            replay: None,
        }
    }
}
