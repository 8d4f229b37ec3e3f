//! Latency recording: HDR histograms (µs, 3 significant digits) and the per-shard
//! recorders of the load engine. Recording never allocates once a key has been seen;
//! merging is exact (`add`), so shards and workers combine into true percentiles.

mod histogram;
pub mod recorder;

pub use histogram::{LatencyHistogram, Percentiles};
pub use recorder::{Recorder, RequestSample, SessionEnd, ShardedRecorder};
pub mod timeline;

pub use timeline::TimelinePoint;
