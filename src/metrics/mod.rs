//! Latency histograms and counters (to be built).
