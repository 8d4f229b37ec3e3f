//! Renders finished runs for people and machines. Writers only read results; they never
//! run anything, and everything that came from the API is shown as data, not markup.

pub mod console;
pub mod diff;
