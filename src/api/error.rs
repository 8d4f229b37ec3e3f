//! Client errors (to be built).
