//! The mock's settings. Only what the server needs today: the session cap and a fixed
//! per-endpoint delay; room is left for latency distributions and fault rates.
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
    /// A fixed delay added before answering, per endpoint.
    pub latency: Latency,
}

impl Default for MockConfig {
    fn default() -> Self {
        MockConfig {
            max_sessions: DEFAULT_MAX_SESSIONS,
            latency: Latency::default(),
        }
    }
}

/// Fixed service time per endpoint (zero by default).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Latency {
    pub create: Duration,
    pub send: Duration,
}
