//! The worker threads of a load run: one single-threaded tokio runtime per CPU. Sessions
//! are spread over them, and each worker has its own connection pool and recorder shard,
//! so a session, its connection and its samples stay on one thread: no work stealing, no
//! cross-thread wake-ups and no contended lock on the hot path.
//!
//! Owns the threads' lifetimes only; what runs on them is the models' business.

use std::thread::JoinHandle;
use tokio::runtime::{Builder, Handle};
use tokio::sync::oneshot;

/// Running worker threads; dropping it stops them (tasks still on them are cancelled).
pub(crate) struct Workers {
    handles: Vec<Handle>,
    stops: Vec<oneshot::Sender<()>>,
    threads: Vec<JoinHandle<()>>,
}

impl Workers {
    /// Starts `count` workers (at least one).
    pub fn start(count: usize) -> std::io::Result<Workers> {
        let mut workers = Workers {
            handles: Vec::new(),
            stops: Vec::new(),
            threads: Vec::new(),
        };
        for index in 0..count.max(1) {
            let runtime = Builder::new_current_thread().enable_all().build()?;
            let (stop_tx, stop_rx) = oneshot::channel::<()>();
            let handle = runtime.handle().clone();
            let thread = std::thread::Builder::new()
                .name(format!("convoy-worker-{index}"))
                .spawn(move || {
                    // Both a stop and a dropped sender end the worker.
                    let _ = runtime.block_on(stop_rx);
                })?;
            workers.handles.push(handle);
            workers.stops.push(stop_tx);
            workers.threads.push(thread);
        }
        Ok(workers)
    }

    /// No threads of its own: everything runs on the calling runtime (the fallback when
    /// threads cannot be started).
    pub fn current() -> Workers {
        Workers {
            handles: vec![Handle::current()],
            stops: Vec::new(),
            threads: Vec::new(),
        }
    }

    /// The runtimes, one per worker.
    pub fn handles(&self) -> &[Handle] {
        &self.handles
    }
}

impl Drop for Workers {
    fn drop(&mut self) {
        for stop in self.stops.drain(..) {
            let _ = stop.send(());
        }
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

/// The default number of workers: one per CPU this process may use.
pub(crate) fn default_count() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// Work spawned on each worker runs on that worker's own thread.
    #[test]
    fn each_worker_runs_its_tasks_on_its_own_thread() {
        let workers = Workers::start(3).expect("workers start");
        let runtime = Builder::new_current_thread().enable_all().build().unwrap();
        let names: BTreeSet<String> = runtime.block_on(async {
            let mut names = BTreeSet::new();
            for index in 0..6 {
                let handles = workers.handles();
                let name = handles[index % handles.len()]
                    .spawn(async { std::thread::current().name().map(str::to_string) })
                    .await
                    .expect("task ran");
                names.insert(name.expect("named thread"));
            }
            names
        });
        assert_eq!(names.len(), 3, "{names:?}");
        assert!(names.contains("convoy-worker-2"));
        drop(workers);
    }
}
