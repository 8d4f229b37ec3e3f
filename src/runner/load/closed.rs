//! The closed model: virtual users, each running conversations back to back. The number
//! of active users follows the VU shape; users above the current target idle, so a ramp
//! down never cuts a session short.

use crate::runner::load::rng::Rng;
use crate::runner::load::schedule::Shape;
use crate::runner::load::session_task::{Shared, pause_unless_stopping, run_session};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::task::JoinSet;

/// How often idle users and the spawner look at the shape again.
const SHAPE_POLL: Duration = Duration::from_millis(100);

/// Runs the closed model until the stop (or the iteration budget runs out), then gives
/// sessions in flight `grace` to finish. Returns how many sessions were aborted.
pub(crate) async fn drive(
    shared: Arc<Shared>,
    vus: Shape,
    iterations: Option<u64>,
    grace: Duration,
) -> u64 {
    let budget = iterations.map(|n| Arc::new(AtomicU64::new(n)));
    let most = vus.max_value().round() as usize;
    let mut users = JoinSet::new();
    let mut spawned = 0usize;
    let mut stop = shared.stop.clone();
    loop {
        let target = (vus.value_at(shared.started.elapsed()).round() as usize).min(most);
        while spawned < target {
            let (_, runtime) = shared.worker(spawned);
            let user = user(Arc::clone(&shared), spawned, vus.clone(), budget.clone());
            users.spawn_on(user, runtime);
            spawned += 1;
        }
        let exhausted = budget
            .as_ref()
            .is_some_and(|b| b.load(Ordering::Relaxed) == 0);
        if spawned >= most || exhausted {
            break;
        }
        if pause_unless_stopping(&mut stop, SHAPE_POLL).await {
            break;
        }
    }
    super::controller::drain(users, &mut stop, &shared.abort, grace).await
}

/// One virtual user.
async fn user(shared: Arc<Shared>, index: usize, vus: Shape, budget: Option<Arc<AtomicU64>>) {
    let mut rng = Rng::for_worker(shared.seed, index as u64);
    let (worker, _) = shared.worker(index);
    let mut stop = shared.stop.clone();
    loop {
        if shared.stopping() {
            return;
        }
        let target = vus.value_at(shared.started.elapsed()).round();
        if index as f64 >= target {
            if pause_unless_stopping(&mut stop, SHAPE_POLL).await {
                return;
            }
            continue;
        }
        if let Some(budget) = &budget
            && budget
                .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1))
                .is_err()
        {
            return;
        }
        let conversation = rng.weighted(&shared.cumulative_weights);
        run_session(&shared, worker, conversation, None, &mut rng).await;
    }
}
