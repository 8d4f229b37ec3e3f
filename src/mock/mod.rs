//! The embedded mock of the Interactive Form Sessions API (to be built).
