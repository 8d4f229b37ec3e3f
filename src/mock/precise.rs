//! Sleeps for the mock's latency model and stream pacing that end within ~0.1 ms of the
//! asked delay. tokio's timer has 1 ms granularity and is never early, so a 50 ms delay
//! became 50.5–51.5 ms — a mock that is meant to be the exact reference for convoy's own
//! measurement error (docs/performance.md, "Accuracy") must not add that.
//!
//! One timer thread keeps the pending deadlines in a heap and waits for the next one with
//! the OS's precise timed wait; when a deadline passes it wakes the waiting task. Never
//! early. Owns only timing: what is delayed and why is the handlers' business.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::OnceLock;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

/// Delays shorter than this are left to tokio (nothing to gain; its wake-up is cheaper).
const MIN_PRECISE: Duration = Duration::from_millis(2);
/// Delays longer than this are left to tokio (stalls, long waits: ±1 ms does not matter).
const MAX_PRECISE: Duration = Duration::from_secs(30);

struct Pending {
    deadline: Instant,
    seq: u64,
    wake: oneshot::Sender<()>,
}

impl PartialEq for Pending {
    fn eq(&self, other: &Self) -> bool {
        (self.deadline, self.seq) == (other.deadline, other.seq)
    }
}
impl Eq for Pending {}
impl PartialOrd for Pending {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Pending {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.deadline, self.seq).cmp(&(other.deadline, other.seq))
    }
}

/// A deadline and the task to wake at it.
type Request = (Instant, oneshot::Sender<()>);

fn timer() -> Option<&'static Sender<Request>> {
    static TIMER: OnceLock<Option<Sender<Request>>> = OnceLock::new();
    TIMER
        .get_or_init(|| {
            let (tx, rx) = mpsc::channel();
            std::thread::Builder::new()
                .name("convoy-mock-timer".into())
                .spawn(move || run(&rx))
                .ok()
                .map(|_| tx)
        })
        .as_ref()
}

fn run(requests: &Receiver<Request>) {
    let mut pending: BinaryHeap<Reverse<Pending>> = BinaryHeap::new();
    let mut seq = 0u64;
    loop {
        let now = Instant::now();
        while pending.peek().is_some_and(|next| next.0.deadline <= now) {
            if let Some(Reverse(due)) = pending.pop() {
                // The waiter may be gone (client hung up): nothing to wake.
                let _ = due.wake.send(());
            }
        }
        let received = match pending.peek() {
            Some(next) => requests.recv_timeout(next.0.deadline.saturating_duration_since(now)),
            None => requests.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        match received {
            Ok((deadline, wake)) => {
                seq += 1;
                pending.push(Reverse(Pending {
                    deadline,
                    seq,
                    wake,
                }));
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}

/// Sleeps `delay`, ending within ~0.1 ms after it (never before).
pub(crate) async fn sleep(delay: Duration) {
    let deadline = Instant::now() + delay;
    if !(MIN_PRECISE..=MAX_PRECISE).contains(&delay) {
        return tokio::time::sleep(delay).await;
    }
    let (wake, woken) = oneshot::channel();
    let queued = timer().is_some_and(|timer| timer.send((deadline, wake)).is_ok());
    if !queued || woken.await.is_err() {
        tokio::time::sleep_until(deadline.into()).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Never early. (How close it ends is a benchmark figure, not a test: `bench/run.sh
    /// accuracy`, docs/performance.md.)
    #[tokio::test]
    async fn never_ends_early() {
        for millis in [2u64, 3, 5, 8] {
            let started = Instant::now();
            sleep(Duration::from_millis(millis)).await;
            let took = started.elapsed();
            assert!(took >= Duration::from_millis(millis), "early: {took:?}");
        }
    }

    #[tokio::test]
    async fn concurrent_sleeps_end_in_deadline_order() {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        for (index, millis) in [9u64, 3, 6].into_iter().enumerate() {
            let tx = tx.clone();
            tokio::spawn(async move {
                sleep(Duration::from_millis(millis)).await;
                let _ = tx.send(index);
            });
        }
        drop(tx);
        let mut order = Vec::new();
        while let Some(index) = rx.recv().await {
            order.push(index);
        }
        assert_eq!(order, vec![1, 2, 0]);
    }
}
