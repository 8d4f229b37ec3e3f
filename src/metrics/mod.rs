//! Latency recording: HDR histograms (µs, 3 significant digits) and the per-worker
//! recorder that owns them. Recording never allocates once a key has been seen; merging
//! is exact (`add`), so shards and workers combine into true percentiles.

mod histogram;

pub use histogram::{LatencyHistogram, Percentiles};
