//! Personas: conversations whose user messages are decided turn by turn by a simulated
//! user from what the assistant asks, instead of being fixed in advance — so a suite
//! survives an assistant that asks in another order, rewords, asks twice or misses a value.
//!
//! - [`asked`]: which field a response asks for, from its structured signals.
//! - [`phrase`]: how a fact is said (per field type, persona phrasings, mistakes).
//! - [`simulator`]: the simulated user's state and its next message, with reasons.
//! - [`run`]: one persona conversation through the client, and its `expect:` judged.
//!
//! All but `run` are pure; `run` sends the messages and records the requests like any
//! other turn.

pub mod asked;
pub mod phrase;
pub mod run;
pub mod simulator;

pub use crate::suite::Style;
pub use simulator::{Ending, Message, Next, Simulator, UserModel};

#[cfg(test)]
mod tests;
