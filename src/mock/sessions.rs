//! The mock's in-memory sessions: id → (form, simulator state), bounded so that memory
//! stays flat however long a load test runs.
//!
//! Owns session ids, lookup and eviction. It must not run the simulator or build
//! responses (the handlers do).

use super::ids::{IdKind, guid};
use super::server::ServedForm;
use super::simulator::SessionState;
use super::stats::SessionStats;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// One session: the form it fills and what it has collected.
#[derive(Debug)]
pub struct Session {
    pub form: Arc<ServedForm>,
    pub state: SessionState,
    /// User messages answered so far: the turn index replay matches on.
    pub turns: usize,
}

/// A session shared between the map and the request working on it. Its own lock
/// serialises messages to the same session (as a real service would) without making
/// messages to different sessions wait for each other.
pub type SharedSession = Arc<Mutex<Session>>;

/// The session map. Std mutexes throughout: every lock is held for a map operation or one
/// simulator step, both synchronous and short, and never across an `.await`, so an async
/// lock would only add cost.
#[derive(Debug)]
pub struct SessionStore {
    cap: usize,
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    map: HashMap<String, SharedSession>,
    /// Ids in creation order, for evicting the oldest first.
    order: VecDeque<String>,
    created: u64,
    evicted: u64,
}

/// Locks a mutex, also after a panic elsewhere: the simulator and the map updates leave
/// no half-done state behind a panic that later requests could trip over.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl SessionStore {
    pub fn new(cap: usize) -> SessionStore {
        SessionStore {
            cap: cap.max(1),
            inner: Mutex::new(Inner::default()),
        }
    }

    /// Reserves the next session number and its id. The number seeds the session's
    /// state so its submission id is deterministic too.
    pub fn next_id(&self) -> (u64, String) {
        let mut inner = lock(&self.inner);
        inner.created += 1;
        let n = inner.created;
        (n, guid(IdKind::Session, n))
    }

    /// Stores a session, evicting the oldest ones beyond the cap.
    pub fn insert(&self, id: String, session: Session) {
        let mut inner = lock(&self.inner);
        inner.order.push_back(id.clone());
        inner.map.insert(id, Arc::new(Mutex::new(session)));
        while inner.map.len() > self.cap {
            let Some(oldest) = inner.order.pop_front() else {
                break;
            };
            if inner.map.remove(&oldest).is_some() {
                inner.evicted += 1;
            }
        }
    }

    pub fn get(&self, id: &str) -> Option<SharedSession> {
        lock(&self.inner).map.get(id).cloned()
    }

    pub fn stats(&self) -> SessionStats {
        let inner = lock(&self.inner);
        SessionStats {
            created: inner.created,
            live: inner.map.len() as u64,
            evicted: inner.evicted,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::simulator::Simulator;
    use crate::suite::model::{Form, FormId};

    fn session() -> Session {
        let form = Form {
            id: FormId::Guid("x".into()),
            name: None,
            fields: Vec::new(),
        };
        Session {
            form: Arc::new(ServedForm {
                id: "x".into(),
                simulator: Simulator::new(&form),
            }),
            state: SessionState::default(),
            turns: 0,
        }
    }

    #[test]
    fn the_oldest_sessions_are_evicted_beyond_the_cap() {
        let store = SessionStore::new(2);
        let ids: Vec<String> = (0..3)
            .map(|_| {
                let (_, id) = store.next_id();
                store.insert(id.clone(), session());
                id
            })
            .collect();
        assert!(store.get(&ids[0]).is_none());
        assert!(store.get(&ids[1]).is_some());
        assert!(store.get(&ids[2]).is_some());
        assert_eq!(
            store.stats(),
            SessionStats {
                created: 3,
                live: 2,
                evicted: 1
            }
        );
    }

    #[test]
    fn ids_are_distinct_guids() {
        let store = SessionStore::new(10);
        let (a, id_a) = store.next_id();
        let (b, id_b) = store.next_id();
        assert_eq!((a, b), (1, 2));
        assert_ne!(id_a, id_b);
    }
}
