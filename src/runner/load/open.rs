//! The open model: sessions arrive on a schedule (constant or Poisson, following the rate
//! shape) whatever the service does. At most `max_sessions` run at once; an arrival that
//! finds no free slot waits and starts late (its lag is recorded, and its create latency
//! from the intended start shows the queueing), or is dropped if the run ends first.

use crate::runner::load::rng::Rng;
use crate::runner::load::schedule::{Arrival, ArrivalSchedule, Shape};
use crate::runner::load::session_task::{Shared, run_session};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;

/// A session starting later than this after its intended time counts as late.
pub(crate) const LATE_AFTER: Duration = Duration::from_millis(10);

pub(crate) struct OpenModel {
    pub rate: Shape,
    pub arrival: Arrival,
    pub max_sessions: usize,
    pub horizon: Option<Duration>,
    pub iterations: Option<u64>,
    pub grace: Duration,
    pub phase: f64,
}

/// Runs the arrivals until the horizon, the iteration count or the stop; then gives
/// sessions in flight `grace` to finish. Returns how many sessions were aborted.
pub(crate) async fn drive(shared: Arc<Shared>, model: OpenModel) -> u64 {
    let mut schedule = ArrivalSchedule::new(model.rate, model.arrival, shared.seed, model.phase);
    let limit = model.horizon.unwrap_or(Duration::MAX);
    let slots = Arc::new(Semaphore::new(model.max_sessions.max(1)));
    let mut sessions = JoinSet::new();
    let mut stop = shared.stop.clone();
    let mut arrived = 0u64;
    while let Some(at) = schedule.next_before(limit) {
        if model.iterations.is_some_and(|n| arrived >= n) {
            break;
        }
        let intended = shared.started + at;
        let Some(slot) = wait_for_start(&shared, &slots, intended, &mut stop).await else {
            // The stop came while this arrival waited: it and every later arrival that
            // was due by now never started.
            let now = shared.started.elapsed();
            let mut dropped = u64::from(Instant::now() >= intended);
            while schedule.next_before(now.min(limit)).is_some() {
                dropped += 1;
            }
            let mut shard = shared.recorder.shard(0);
            (0..dropped).for_each(|_| shard.session_dropped());
            if let Some(live) = &shared.plan.live {
                live.sessions_dropped(dropped);
            }
            break;
        };
        arrived += 1;
        let (worker, runtime) = shared.worker(arrived as usize);
        let session = {
            let shared = Arc::clone(&shared);
            async move {
                let _slot = slot;
                let mut rng = Rng::for_worker(shared.seed, arrived);
                let conversation = rng.weighted(&shared.cumulative_weights);
                run_session(&shared, worker, conversation, Some(intended), &mut rng).await;
            }
        };
        sessions.spawn_on(session, runtime);
        // Reap finished sessions so the set stays as small as the sessions in flight.
        while sessions.try_join_next().is_some() {}
    }
    super::controller::drain(sessions, &mut stop, &shared.abort, model.grace).await
}

/// Sleeps until `intended`, then takes a slot; `None` if the run stops first.
async fn wait_for_start(
    shared: &Shared,
    slots: &Arc<Semaphore>,
    intended: Instant,
    stop: &mut tokio::sync::watch::Receiver<bool>,
) -> Option<OwnedSemaphorePermit> {
    if shared.stopping() {
        return None;
    }
    tokio::select! {
        () = tokio::time::sleep_until(intended.into()) => {}
        _ = stop.changed() => return None,
    }
    if let Ok(slot) = Arc::clone(slots).try_acquire_owned() {
        return Some(slot);
    }
    tokio::select! {
        slot = Arc::clone(slots).acquire_owned() => slot.ok(),
        _ = stop.changed() => None,
    }
}
