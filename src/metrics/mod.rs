//! Latency recording: HDR histograms (µs, 3 significant digits), the streaming figures of
//! streamed responses, and the per-shard recorders of the load engine. Recording never
//! allocates once a key has been seen; merging is exact (`add`), so shards and workers
//! combine into true percentiles.

mod histogram;
pub mod recorder;
mod sharded;
pub mod stream;
pub mod timeline;

pub use histogram::{LatencyHistogram, Percentiles};
pub use recorder::{Recorder, RequestSample, SessionEnd};
pub use sharded::ShardedRecorder;
pub use stream::{ChunkCounts, StreamHistograms, StreamSample};
pub use timeline::TimelinePoint;
