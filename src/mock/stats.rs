//! Request counters of the mock, served at `GET /__convoy/stats` so that tests can
//! cross-check the harness's own counts against what the server saw.
//!
//! Owns classifying a request path into an endpoint and counting by endpoint and status.
//! It must not know how requests are handled.

use super::faults::FaultKind;
use super::server::API_PREFIX;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};

/// Path of the stats endpoint (at the server root only).
pub const STATS_PATH: &str = "/__convoy/stats";

/// What a request was for, judged from its path alone (so unrouted paths count too).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Endpoint {
    Create,
    SendUserMessage,
    CreateStreamed,
    SendUserMessageStreamed,
    GenerateFormSummary,
    Stats,
    Other,
}

impl Endpoint {
    /// The key used in the stats JSON.
    pub fn name(self) -> &'static str {
        match self {
            Endpoint::Create => "create",
            Endpoint::SendUserMessage => "sendUserMessage",
            Endpoint::CreateStreamed => "createStreamed",
            Endpoint::SendUserMessageStreamed => "sendUserMessageStreamed",
            Endpoint::GenerateFormSummary => "generateFormSummary",
            Endpoint::Stats => "stats",
            Endpoint::Other => "other",
        }
    }

    /// The endpoint of a request path, served at the root or under [`API_PREFIX`].
    pub fn classify(path: &str) -> Endpoint {
        if path == STATS_PATH {
            return Endpoint::Stats;
        }
        let rest = path.strip_prefix(API_PREFIX).unwrap_or(path);
        let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
        match segments.as_slice() {
            [] => Endpoint::Create,
            ["create-streamed"] => Endpoint::CreateStreamed,
            ["generate-form-summary"] => Endpoint::GenerateFormSummary,
            [_, "send-user-message"] => Endpoint::SendUserMessage,
            [_, "send-user-message-streamed"] => Endpoint::SendUserMessageStreamed,
            _ => Endpoint::Other,
        }
    }
}

/// Counts of one endpoint.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EndpointStats {
    pub total: u64,
    /// HTTP status (as a string, a JSON object key) → count. A `reset` fault, which
    /// sends no status at all, counts as `"0"`.
    pub by_status: BTreeMap<String, u64>,
    /// Injected fault kind (`http_429`, `reset`, ...) → count, for this endpoint.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub faults: BTreeMap<String, u64>,
}

/// Session bookkeeping, to show that the session cap holds memory flat.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionStats {
    pub created: u64,
    pub live: u64,
    pub evicted: u64,
}

/// The JSON body of `GET /__convoy/stats`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatsSnapshot {
    /// Requests answered, all endpoints (the stats request being answered excluded).
    pub total: u64,
    /// Endpoint name ("create", "sendUserMessage", "createStreamed",
    /// "sendUserMessageStreamed", "generateFormSummary", "stats", "other") → counts.
    pub endpoints: BTreeMap<String, EndpointStats>,
    pub sessions: SessionStats,
    /// Injected fault kind → count, all endpoints.
    #[serde(default)]
    pub faults: BTreeMap<String, u64>,
}

impl StatsSnapshot {
    /// Faults of `kind` (a name as in the JSON) injected on all endpoints.
    pub fn fault_count(&self, kind: &str) -> u64 {
        self.faults.get(kind).copied().unwrap_or(0)
    }

    /// Requests to `endpoint` (a name as in the JSON) answered with `status`.
    pub fn count(&self, endpoint: &str, status: u16) -> u64 {
        self.endpoints
            .get(endpoint)
            .and_then(|e| e.by_status.get(&status.to_string()))
            .copied()
            .unwrap_or(0)
    }
}

/// The counters. A std mutex: the lock is held for one map update and never across an
/// `.await`, so it is cheaper than an async lock and cannot deadlock the runtime.
#[derive(Debug, Default)]
pub struct Stats {
    counts: Mutex<BTreeMap<(Endpoint, u16), u64>>,
    faults: Mutex<BTreeMap<(Endpoint, FaultKind), u64>>,
}

impl Stats {
    pub fn record(&self, endpoint: Endpoint, status: u16) {
        // A panic elsewhere while holding the lock cannot leave a counter map half
        // updated, so a poisoned lock is still safe to use.
        let mut counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        *counts.entry((endpoint, status)).or_insert(0) += 1;
    }

    pub fn record_fault(&self, endpoint: Endpoint, kind: FaultKind) {
        let mut faults = self.faults.lock().unwrap_or_else(PoisonError::into_inner);
        *faults.entry((endpoint, kind)).or_insert(0) += 1;
    }

    pub fn snapshot(&self, sessions: SessionStats) -> StatsSnapshot {
        let mut snapshot = self.counts_snapshot(sessions);
        let faults = self.faults.lock().unwrap_or_else(PoisonError::into_inner);
        for ((endpoint, kind), n) in faults.iter() {
            let entry = snapshot
                .endpoints
                .entry(endpoint.name().to_string())
                .or_default();
            *entry.faults.entry(kind.name().to_string()).or_insert(0) += n;
            *snapshot.faults.entry(kind.name().to_string()).or_insert(0) += n;
        }
        snapshot
    }

    fn counts_snapshot(&self, sessions: SessionStats) -> StatsSnapshot {
        let counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        let mut snapshot = StatsSnapshot {
            sessions,
            ..StatsSnapshot::default()
        };
        for ((endpoint, status), n) in counts.iter() {
            let entry = snapshot
                .endpoints
                .entry(endpoint.name().to_string())
                .or_default();
            entry.total += n;
            *entry.by_status.entry(status.to_string()).or_insert(0) += n;
            snapshot.total += n;
        }
        snapshot
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_classify_at_root_and_under_the_prefix() {
        assert_eq!(Endpoint::classify("/"), Endpoint::Create);
        assert_eq!(Endpoint::classify(API_PREFIX), Endpoint::Create);
        assert_eq!(
            Endpoint::classify(&format!("{API_PREFIX}/")),
            Endpoint::Create
        );
        assert_eq!(
            Endpoint::classify("/abc/send-user-message"),
            Endpoint::SendUserMessage
        );
        assert_eq!(
            Endpoint::classify(&format!("{API_PREFIX}/abc/send-user-message")),
            Endpoint::SendUserMessage
        );
        assert_eq!(
            Endpoint::classify(&format!("{API_PREFIX}/create-streamed")),
            Endpoint::CreateStreamed
        );
        assert_eq!(
            Endpoint::classify("/abc/send-user-message-streamed"),
            Endpoint::SendUserMessageStreamed
        );
        assert_eq!(Endpoint::classify(STATS_PATH), Endpoint::Stats);
        assert_eq!(Endpoint::classify("/abc/other"), Endpoint::Other);
    }

    #[test]
    fn snapshot_sums_by_endpoint_and_status() {
        let stats = Stats::default();
        stats.record(Endpoint::Create, 200);
        stats.record(Endpoint::Create, 200);
        stats.record(Endpoint::Create, 404);
        stats.record(Endpoint::SendUserMessage, 400);
        let snapshot = stats.snapshot(SessionStats::default());
        assert_eq!(snapshot.total, 4);
        assert_eq!(snapshot.count("create", 200), 2);
        assert_eq!(snapshot.count("create", 404), 1);
        assert_eq!(snapshot.endpoints["create"].total, 3);
        assert_eq!(snapshot.count("sendUserMessage", 400), 1);
        assert_eq!(snapshot.count("sendUserMessage", 200), 0);
    }
}
