//! The embedded mock of the Interactive Form Sessions API.
pub mod ids;
pub mod simulator;
