//! convoy tests and load-tests AI form-filling conversations (Wix's Interactive Form
//! Sessions API): YAML suites describe multi-turn conversations and what the assistant must
//! extract at each turn; one engine runs them once for a regression check or many times
//! concurrently for a load test, against the real API or the mock shipped in this crate.
//!
//! # Layout
//!
//! - [`suite`] reads and validates suite files into plain data ([`suite::Suite`]), with
//!   `file:line:col` diagnostics, and owns the value matchers. It does no I/O but reading
//!   files and knows nothing of HTTP.
//! - [`api`] holds the wire types of the API and the HTTP client that speaks them to any
//!   base URL, mapping every failure to a typed error.
//! - [`mock`] is an HTTP server speaking the same wire format, backed by a deterministic
//!   form-filling simulator. The caller passes the bound listener and a shutdown future.
//! - [`runner`] turns suites and flags into an immutable [`runner::Plan`], runs sessions
//!   through the client, and evaluates every expectation into verdicts (data, not errors).
//! - [`metrics`] records latencies (and the streaming figures of streamed responses) into
//!   HDR histograms owned by each worker.
//! - [`report`] renders finished results: the versioned [`report::RunResult`] (run.json)
//!   and the files made from it (turns.csv, latency.csv, fields.csv, junit.xml,
//!   summary.md, the self-contained report.html), evaluates thresholds on it, merges the
//!   results of a sharded run's shards, renders the terminal report, and compares two
//!   results (`report::compare`, for `convoy compare`). Writers only read results.
//! - [`record`] turns a run's observed responses into expectations merged into a copy of
//!   the suite text (`convoy record`); it reads results and text and returns text.
//! - [`threshold`] parses k6-style threshold expressions (`send.p95<2s`); the reports
//!   evaluate them on a finished run.
//! - [`cli`] parses flags and maps outcomes to exit codes; `main.rs` only calls it.

pub mod api;
pub mod cli;
pub mod common;
pub mod metrics;
pub mod mock;
pub mod pipeline;
pub mod record;
pub mod report;
pub mod runner;
pub mod suite;
