//! The embedded mock of the Interactive Form Sessions API: a real HTTP server on a
//! loopback port that speaks the API's wire format (docs/wire-format.md), backed by a deterministic
//! form-filling simulator (`docs/mock.md` lists its rules).
//!
//! - [`simulator`]: the pure assistant — extraction, validation, questions, submission.
//! - [`serve`]: runs the server on a listener the caller bound, until a shutdown future
//!   completes; [`spawn`] does that on `127.0.0.1:0` for the runner's embedded mock.
//! - [`latency`] and [`faults`]: seeded delay distributions and injected faults (429,
//!   5xx, resets, damaged bodies and streams, stalls), counted in the stats.
//! - [`replay`]: answers recorded by `convoy record`, for an exact request match.
//! - [`vary`]: the seeded variability profile (`--vary`) that makes the assistant ask in
//!   another order, reword, miss values, re-ask and merge questions, like an LLM.
//! - Sessions live in a bounded in-memory map (`sessions`); `GET /__convoy/stats` reports
//!   request counts by endpoint and status ([`StatsSnapshot`], `stats`).
//! - Inside: `server` and `handle` (the listener and its shutdown), `handlers` (one per
//!   method; `summary` answers Generate Form Summary), `streaming` and `precise` (framed, paced streamed answers), `errors` (the
//!   API's error bodies), `select` (form lookup), [`ids`] (GUIDs), `config`
//!   ([`MockConfig`]).
//!
//! The mock never reads suites or flags: the caller hands it resolved `(form id, Form)`
//! pairs and a [`MockConfig`].

mod config;
mod errors;
pub mod faults;
mod handle;
mod handlers;
pub mod ids;
pub mod latency;
mod precise;
pub mod replay;
mod select;
mod server;
mod sessions;
pub mod simulator;
mod stats;
mod streaming;
mod summary;
pub mod vary;

pub use config::{DEFAULT_MAX_SESSIONS, MockConfig, StreamFormat};
pub use errors::MockError;
pub use faults::{FaultKind, FaultProfile, Stall};
pub use handle::{MockHandle, SHUTDOWN_GRACE, spawn};
pub use handlers::MAX_INPUT_CHARS;
pub use latency::{Delay, Latency};
pub use replay::{Replay, Transcript};
pub use select::EndpointSelector;
pub use server::{
    API_PREFIX, PreparedMock, REQUEST_ID_HEADER, StatsProbe, serve, serve_with_stats,
};
pub use stats::{Endpoint, EndpointStats, STATS_PATH, SessionStats, StatsSnapshot};
pub use vary::{VaryError, VaryProfile};
