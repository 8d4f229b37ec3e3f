//! The Interactive Form Sessions API as seen from a client: wire types ([`wire`]), the HTTP
//! client ([`client`]) and its error taxonomy ([`error`]). It knows nothing of suites,
//! expectations or reports.

pub mod client;
pub mod error;
pub mod wire;
