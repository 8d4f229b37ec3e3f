//! [`ShardedRecorder`]: one [`Recorder`] per shard of the load engine's workers, behind
//! locks that only the controller's once-a-second sweep ever contends, merged exactly at
//! the end of the run.

use super::recorder::{Interval, Recorder, RequestSample};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// One recorder per shard; a worker always records into the same shard (but for the
/// per-turn streaming figures, kept in their turn key's shard), so locks are rarely
/// contended, and no message is sent per request.
#[derive(Debug)]
pub struct ShardedRecorder {
    shards: Vec<Mutex<Recorder>>,
}

impl ShardedRecorder {
    pub fn new(shards: usize, turn_keys: usize, highest: Duration) -> ShardedRecorder {
        let shards = (0..shards.max(1))
            .map(|_| Mutex::new(Recorder::new(turn_keys, highest)))
            .collect();
        ShardedRecorder { shards }
    }

    /// The shard of worker `worker`. The lock is never held across an `.await`: callers
    /// record and release.
    pub fn shard(&self, worker: usize) -> MutexGuard<'_, Recorder> {
        let shard = &self.shards[worker % self.shards.len()];
        // A panic while recording cannot leave a histogram half-updated in a way that
        // matters more than losing the run's data, so recover the guard.
        shard.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Records the per-turn streaming figures and intended-start latency of `sample` in
    /// the shard of its turn key, not of its worker: up to four histograms per key in one
    /// shard instead of in every shard (~0.5 MB per key and shard for the streaming ones,
    /// measured to triple a streamed run's memory). The cost is a second, briefly held
    /// lock, taken after the worker's shard lock was released, and only for streamed or
    /// open-model samples.
    pub fn record_per_turn(&self, sample: &RequestSample<'_>) {
        if sample.stream.is_some() || sample.intended.is_some() {
            let mut shard = self.shard(sample.turn_key);
            shard.record_turn_stream(sample);
            shard.record_turn_intended(sample);
        }
    }

    /// Takes and resets the current interval of every shard, merged.
    pub fn take_interval(&self, highest: Duration) -> Interval {
        let mut total = Interval::new(highest);
        for shard in &self.shards {
            let mut recorder = shard.lock().unwrap_or_else(PoisonError::into_inner);
            total.merge(&recorder.interval);
            recorder.interval.reset();
        }
        total
    }

    /// Everything recorded so far, merged; for the end of the run. The per-turn
    /// streaming figures are moved out of the shards, not copied: each key's live in one
    /// shard, and a copy would double their memory just as the run ends.
    pub fn take_merged(&self, turn_keys: usize, highest: Duration) -> Recorder {
        let mut total = Recorder::new(turn_keys, highest);
        for shard in &self.shards {
            let mut shard = shard.lock().unwrap_or_else(PoisonError::into_inner);
            let streams = std::mem::take(&mut shard.turn_streams);
            // Small next to the streaming figures (one histogram per key), so merged as
            // every other histogram is.
            total.merge(&shard);
            for (mine, theirs) in total.turn_streams.iter_mut().zip(streams) {
                match (mine, theirs) {
                    (Some(mine), Some(theirs)) => mine.merge(&theirs),
                    (mine, theirs @ Some(_)) => *mine = theirs,
                    _ => {}
                }
            }
        }
        total
    }
}
