//! The Interactive Form Sessions API as seen from a client: the HTTP client ([`client`])
//! speaking the wire types of [`crate::common::wire`], and its typed errors ([`error`]).
//! It knows nothing of suites, expectations or reports.
//!
//! Supporting pieces: [`auth`] (credentials, never printed), `body` (bodies read whole, up to a limit), `headers` (the headers of every request), [`endpoint`] (method URLs under
//! a base URL), `transport` and `connector` (the connection pool, proxies, deadlines), [`failure`]
//! (mapping wire failures to errors), [`limits`] (how much of a response is held),
//! [`pace`] (the requests-per-second cap), [`protocol`] (HTTP/1.1 or HTTP/2), [`reply`] (what a call returns), [`scrub`]
//! (the API key out of server text), [`trace`] (every exchange, redacted and bounded, for
//! observers), [`retry`] and [`retry_after`] (backoff), and the streamed methods:
//! [`stream`] (incremental framing decoder) and [`streamed`] (the calls); [`summary`] is
//! Generate Form Summary, the one method without a session.

pub mod auth;
pub(crate) mod body;
pub mod client;
pub(crate) mod connector;
pub mod endpoint;
pub mod error;
pub mod failure;
pub(crate) mod headers;
pub mod limits;
pub mod pace;
pub mod protocol;
pub mod reply;
pub mod retry;
pub mod retry_after;
pub mod scrub;
pub mod stream;
pub mod streamed;
pub mod summary;
pub mod trace;
pub(crate) mod transport;
