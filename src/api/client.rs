//! The HTTP client (to be built).
