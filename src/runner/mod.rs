//! Runs planned conversations and evaluates expectations (to be built).
