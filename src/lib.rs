//! convoy tests and load-tests AI form-filling conversations (Wix's Interactive Form
//! Sessions API): YAML suites describe multi-turn conversations and what the assistant must
//! extract at each turn; one engine runs them once for a regression check or many times
//! concurrently for a load test, against the real API or the mock shipped in this crate.
//!
//! # Layout (docs/architecture.md has the map and the data flow)
//!
//! - [`common`]: the shared vocabulary, depending on no other module — wire types, error
//!   classes, durations and flag-value parsers, diagnostics, thresholds, the seeded RNG,
//!   time and duration formatting.
//! - [`suite`] reads and validates suite files into plain data ([`suite::Suite`]), with
//!   `file:line:col` diagnostics, and owns the value matchers. It uses only `common`.
//! - [`api`] is the HTTP client that speaks the wire types to any base URL, mapping every
//!   failure to a typed error.
//! - [`mock`] is an HTTP server speaking the same wire format, backed by a deterministic
//!   form-filling simulator. The caller passes the bound listener and a shutdown future.
//! - [`metrics`] records latencies (and the streaming figures of streamed responses) into
//!   HDR histograms; both kinds of run measure into its [`metrics::Recorder`].
//! - [`live`] exposes a run's (or the standalone mock's) counters and latency histograms
//!   to Prometheus at `GET /metrics` while it runs (`--metrics-listen`).
//! - [`runner`] turns suites and flags into an immutable [`runner::Plan`], runs sessions
//!   through the client, evaluates every expectation into verdicts (data, not errors) and
//!   records every request.
//! - [`pipeline`] is the library entry point: [`pipeline::run`] executes a plan and builds
//!   its one [`report::RunResult`], whose [`status`](report::RunResult::status) is the
//!   run's verdict.
//! - [`report`] renders finished results and nothing else: run.json and the files made
//!   from it, the terminal summary, threshold evaluation, shard merges and comparisons.
//!   It never sees a runner type.
//! - [`record`] turns a run's observed responses into expectations merged into a copy of
//!   the suite text (`convoy record`); it reads results and text and returns text.
//! - [`cli`] parses flags, installs signals, calls the library and maps the run's status
//!   to an exit code; `main.rs` only calls it.

pub mod api;
pub mod cli;
pub mod common;
pub mod live;
pub mod metrics;
pub mod mock;
pub mod pipeline;
pub mod record;
pub mod report;
pub mod runner;
pub mod suite;
pub mod trace;
