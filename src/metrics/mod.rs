//! Latency recording: HDR histograms (µs, 3 significant digits), the streaming figures of
//! streamed responses, and the recorders both kinds of run measure into. Recording never
//! allocates once a key has its buckets; merging is exact (`add`), so shards and workers
//! combine into true percentiles. Knows nothing of suites, HTTP or reports.
//!
//! - `histogram`: [`LatencyHistogram`], clamped and counted above its ceiling, raw while
//!   it holds few values.
//! - [`stream`]: [`StreamHistograms`] (time to first chunk, gaps, time to
//!   END_OF_RESPONSE) and [`ChunkCounts`].
//! - [`recorder`]: [`Recorder`], one run's (or one worker's) counters and histograms per
//!   operation and per conversation × turn.
//! - [`persona`]: [`PersonaTally`], one persona's runs, endings and turns to completion.
//! - `sharded`: [`ShardedRecorder`], one recorder per load worker behind uncontended locks.
//! - [`timeline`]: the per-second points of a load run's time series.

mod histogram;
pub mod persona;
pub mod recorder;
mod sharded;
pub mod stream;
pub mod timeline;

pub use histogram::{LatencyHistogram, Percentiles};
pub use persona::{PersonaCounts, PersonaEnd, PersonaRun, PersonaTally};
pub use recorder::{Recorder, RequestSample, SessionEnd};
pub use sharded::ShardedRecorder;
pub use stream::{ChunkCounts, StreamHistograms, StreamSample};
pub use timeline::TimelinePoint;
