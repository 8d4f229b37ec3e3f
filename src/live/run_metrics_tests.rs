use super::*;

/// The value of series `name` whose labels include every one of `labels`.
fn sample(text: &str, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    text.lines().find_map(|line| {
        let (series, value) = line.rsplit_once(' ')?;
        let (series_name, rest) = series.split_once('{').unwrap_or((series, "}"));
        let all = labels
            .iter()
            .all(|(k, v)| rest.contains(&format!("{k}=\"{v}\"")));
        (series_name == name && all).then(|| value.parse().ok())?
    })
}

#[test]
fn requests_errors_and_latency_are_counted_by_operation_with_run_labels() {
    let live = LiveMetrics::new("r-1", "2/4");
    live.request_finished(LiveOperation::Create, Duration::from_millis(3), None);
    live.request_finished(LiveOperation::Send, Duration::from_millis(40), None);
    live.request_finished(LiveOperation::Send, Duration::from_millis(40), None);
    live.request_finished(
        LiveOperation::Send,
        Duration::from_secs(1),
        Some(ErrorClass::Http5xx(503)),
    );
    let text = live.encode();
    let run = [("run_id", "r-1"), ("shard", "2/4")];
    let send = [run[0], run[1], ("operation", "send")];
    let create = [run[0], run[1], ("operation", "create")];
    assert_eq!(
        sample(&text, "convoy_requests_total", &send),
        Some(3.0),
        "{text}"
    );
    assert_eq!(
        sample(&text, "convoy_requests_total", &create),
        Some(1.0),
        "{text}"
    );
    let errors = [run[0], ("operation", "send"), ("class", "http_503")];
    let errors = sample(&text, "convoy_request_errors_total", &errors);
    assert_eq!(errors, Some(1.0), "{text}");
    // The errored request is not a latency sample.
    let count = sample(&text, "convoy_request_duration_seconds_count", &send);
    assert_eq!(count, Some(2.0), "{text}");
    let fast = [("operation", "create"), ("le", "0.004")];
    let bucket = sample(&text, "convoy_request_duration_seconds_bucket", &fast);
    assert_eq!(bucket, Some(1.0), "{text}");
    let fast_send = [("operation", "send"), ("le", "0.032")];
    let bucket = sample(&text, "convoy_request_duration_seconds_bucket", &fast_send);
    assert_eq!(bucket, Some(0.0), "{text}");
    assert!(text.ends_with("# EOF\n"), "{text}");
}

#[test]
fn in_flight_follows_the_guards_and_sessions_count_their_end() {
    let live = LiveMetrics::new("r", "0/1");
    let first = live.request_started();
    let second = live.request_started();
    drop(first);
    let gauge = "convoy_requests_in_flight";
    assert_eq!(sample(&live.encode(), gauge, &[("run_id", "r")]), Some(1.0));
    drop(second);
    assert_eq!(sample(&live.encode(), gauge, &[("run_id", "r")]), Some(0.0));

    live.session_started().finished(SessionEnd::Passed);
    live.session_started().finished(SessionEnd::Failed);
    drop(live.session_started());
    live.sessions_dropped(4);
    let text = live.encode();
    let value = |name: &str| sample(&text, &format!("convoy_{name}"), &[("shard", "0/1")]);
    assert_eq!(value("sessions_started_total"), Some(3.0), "{text}");
    assert_eq!(value("sessions_completed_total"), Some(2.0), "{text}");
    assert_eq!(value("sessions_aborted_total"), Some(1.0), "{text}");
    assert_eq!(value("sessions_dropped_total"), Some(4.0), "{text}");
    let verdict = |v: &str| sample(&text, "convoy_conversations_total", &[("verdict", v)]);
    assert_eq!(verdict("passed"), Some(1.0), "{text}");
    assert_eq!(verdict("failed"), Some(1.0), "{text}");
    assert_eq!(verdict("errored"), Some(0.0), "{text}");
}
