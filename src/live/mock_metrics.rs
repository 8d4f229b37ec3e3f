//! The standalone mock's counters as OpenMetrics: requests by endpoint and status, faults
//! injected by endpoint and kind, and its sessions (created, live, evicted), encoded from
//! a [`StatsSnapshot`] at each scrape.
//!
//! A fresh registry per scrape keeps the mock's request path untouched (it already counts
//! for `/__convoy/stats`); it must not count anything itself.

use crate::mock::StatsSnapshot;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;

type Labels = [(&'static str, String); 2];

/// The OpenMetrics text of `stats`, `# EOF` included.
pub fn encode_mock_stats(stats: &StatsSnapshot) -> String {
    let mut registry = Registry::with_prefix("convoy_mock");
    let requests = Family::<Labels, Counter>::default();
    let faults = Family::<Labels, Counter>::default();
    for (endpoint, counts) in &stats.endpoints {
        for (status, count) in &counts.by_status {
            let labels = [("endpoint", endpoint.clone()), ("status", status.clone())];
            requests.get_or_create(&labels).inc_by(*count);
        }
        for (kind, count) in &counts.faults {
            let labels = [("endpoint", endpoint.clone()), ("kind", kind.clone())];
            faults.get_or_create(&labels).inc_by(*count);
        }
    }
    registry.register(
        "requests",
        "Requests answered, by endpoint and status (0: reset without a status)",
        requests,
    );
    registry.register(
        "faults_injected",
        "Faults injected, by endpoint and kind",
        faults,
    );
    let sessions = &stats.sessions;
    let created = Counter::<u64>::default();
    created.inc_by(sessions.created);
    registry.register("sessions_created", "Sessions created", created);
    let evicted = Counter::<u64>::default();
    evicted.inc_by(sessions.evicted);
    registry.register(
        "sessions_evicted",
        "Sessions evicted by the session cap",
        evicted,
    );
    let live = Gauge::<i64>::default();
    live.set(i64::try_from(sessions.live).unwrap_or(i64::MAX));
    registry.register("sessions_live", "Sessions held in memory", live);
    let mut text = String::new();
    // Writing to a String cannot fail.
    let _ = encode(&mut text, &registry);
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::{EndpointStats, SessionStats};

    #[test]
    fn snapshot_counts_become_labelled_series() {
        let mut stats = StatsSnapshot::default();
        let mut create = EndpointStats::default();
        create.by_status.insert("200".into(), 7);
        create.by_status.insert("503".into(), 2);
        create.faults.insert("http_503".into(), 2);
        stats.endpoints.insert("create".into(), create);
        stats.sessions = SessionStats {
            created: 7,
            live: 5,
            evicted: 2,
        };
        let text = encode_mock_stats(&stats);
        for line in [
            r#"convoy_mock_requests_total{endpoint="create",status="200"} 7"#,
            r#"convoy_mock_requests_total{endpoint="create",status="503"} 2"#,
            r#"convoy_mock_faults_injected_total{endpoint="create",kind="http_503"} 2"#,
            "convoy_mock_sessions_created_total 7",
            "convoy_mock_sessions_evicted_total 2",
            "convoy_mock_sessions_live 5",
        ] {
            assert!(text.lines().any(|l| l == line), "no `{line}` in:\n{text}");
        }
        assert!(text.ends_with("# EOF\n"));
    }
}
