//! The vocabulary every stage shares, and nothing else: it depends on no other convoy
//! module, so `suite`, `api`, `runner`, `metrics` and `report` can all use it without an
//! arrow between them.
//!
//! - [`wire`] (with [`chunk`]): the JSON types of the API, requests, responses and the
//!   13 response chunks; (de)serialization only.
//! - [`form_wire`]: the form object and the answer of Generate Form Summary.
//! - [`error_class`]: the stable name of every way a request can fail.
//! - [`duration`]: the one duration parser (`800us`, `250ms`, `1.5s`, `0`) and ranges.
//! - [`parse`]: flag values built on it (positive durations, rates, byte sizes).
//! - [`format`]: the one way a duration is printed for people.
//! - [`diagnostic`]: located, rustc-style errors with did-you-mean suggestions.
//! - [`threshold`]: the k6-style threshold expression language (`send.p95<2s`).
//! - [`rng`]: the seeded SplitMix64 generator (reproducible jitter, latency, faults).
//! - [`string_format`]: the string formats of form fields (email, phone, date, time,
//!   url): finding, normalizing and checking values of them.
//! - [`time`]: UTC timestamps (RFC 3339, compact directory stamps).

pub mod chunk;
pub mod diagnostic;
pub mod duration;
pub mod error_class;
pub mod form_wire;
pub mod format;
pub mod parse;
pub mod rng;
pub mod string_format;
pub mod threshold;
pub mod time;
pub mod wire;
