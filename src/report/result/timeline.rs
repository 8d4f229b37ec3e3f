//! The run's timeline: one [`TimelinePoint`] per wall-clock second from the run's start
//! (sessions started and completed, turns and errors finishing in that second, and the
//! latency percentiles of those turns).
//!
//! Built here from the turn records of a functional run; the load engine fills the same
//! type from per-interval histograms. Bounded: at most [`MAX_POINTS`] points whatever the
//! run's length (longer runs get wider points), so run.json stays small.

use super::ConversationRecord;
use serde::{Deserialize, Serialize};

/// One hour of one-second points; a longer run merges adjacent seconds into each point.
pub const MAX_POINTS: u64 = 3600;

/// What happened during `[second, second + seconds)` after the run started.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelinePoint {
    /// Start of the interval, in whole seconds from the run's start.
    pub second: u64,
    /// Width of the interval in seconds (1 unless the run was longer than an hour).
    pub seconds: u64,
    pub sessions_started: u64,
    pub sessions_completed: u64,
    /// Requests (creates and sends) that finished in the interval.
    pub turns: u64,
    /// Of those, requests that failed (transport or HTTP error).
    pub errors: u64,
    /// Latency percentiles of the answered requests that finished in the interval; 0 when
    /// none did.
    pub p50_us: u64,
    pub p95_us: u64,
    pub p99_us: u64,
}

/// The timeline of a functional run, from its turn records (exact percentiles: a
/// functional run keeps every turn anyway).
pub fn timeline(conversations: &[ConversationRecord], elapsed_us: u64) -> Vec<TimelinePoint> {
    let end_us = conversations
        .iter()
        .flat_map(|c| &c.turns)
        .map(|t| t.start_offset_us.saturating_add(t.latency_us))
        .max()
        .unwrap_or(0)
        .max(elapsed_us);
    let total_seconds = end_us / 1_000_000 + 1;
    let width = total_seconds.div_ceil(MAX_POINTS).max(1);
    let count = usize::try_from(total_seconds.div_ceil(width)).unwrap_or(usize::MAX);
    let mut points: Vec<TimelinePoint> = (0..count as u64)
        .map(|i| TimelinePoint {
            second: i * width,
            seconds: width,
            ..TimelinePoint::default()
        })
        .collect();
    let mut samples: Vec<Vec<u64>> = vec![Vec::new(); points.len()];
    let slot = |us: u64| usize::try_from(us / 1_000_000 / width).unwrap_or(usize::MAX);
    for c in conversations {
        if let Some(p) = points.get_mut(slot(c.start_offset_us)) {
            p.sessions_started += 1;
        }
        for t in &c.turns {
            let end = t.start_offset_us.saturating_add(t.latency_us);
            let i = slot(end);
            let Some(p) = points.get_mut(i) else { continue };
            p.turns += 1;
            if t.error.is_some() {
                p.errors += 1;
            } else if let Some(s) = samples.get_mut(i) {
                s.push(t.latency_us);
            }
        }
        let finished = c
            .turns
            .last()
            .map(|t| t.start_offset_us.saturating_add(t.latency_us));
        if let Some(p) = finished.and_then(|end| points.get_mut(slot(end))) {
            p.sessions_completed += 1;
        }
    }
    for (point, mut values) in points.iter_mut().zip(samples) {
        values.sort_unstable();
        point.p50_us = nearest_rank(&values, 0.50);
        point.p95_us = nearest_rank(&values, 0.95);
        point.p99_us = nearest_rank(&values, 0.99);
    }
    points
}

/// The nearest-rank percentile of sorted `values` (the same definition as HDR's
/// `value_at_quantile`, without its bucket rounding); 0 for no values.
fn nearest_rank(values: &[u64], q: f64) -> u64 {
    if values.is_empty() {
        return 0;
    }
    let rank = (q * values.len() as f64).ceil() as usize;
    values[rank.clamp(1, values.len()) - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let v: Vec<u64> = (1..=100).collect();
        assert_eq!(nearest_rank(&v, 0.5), 50);
        assert_eq!(nearest_rank(&v, 0.99), 99);
        assert_eq!(nearest_rank(&[7], 0.99), 7);
        assert_eq!(nearest_rank(&[], 0.5), 0);
    }

    #[test]
    fn long_runs_are_capped() {
        let ten_hours = 36_000 * 1_000_000 - 1;
        let points = timeline(&[], ten_hours);
        assert!(points.len() as u64 <= MAX_POINTS, "{}", points.len());
        assert_eq!(points[1].second, 10);
        assert_eq!(timeline(&[], 2_500_000).len(), 3);
    }
}
