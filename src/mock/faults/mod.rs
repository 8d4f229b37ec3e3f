//! Fault injection for the mock: a seeded, per-endpoint plan of what goes wrong
//! (`docs/faults.md`).
//!
//! - [`profile`]: the YAML profile and `--fault`/`--stall` flags, parsed and validated.
//! - [`inject`]: per request, the latency to add and the fault (if any) to inject.
//! - [`respond`]: the middleware that applies both and counts every injected fault.

pub mod inject;
pub mod profile;
pub mod respond;

pub use inject::{Decision, Injector};
pub use profile::{FaultKind, FaultProfile, FaultRule, Stall, parse_profile};
pub use respond::{DroppedField, InjectedFault, MALFORMED_BODY};
