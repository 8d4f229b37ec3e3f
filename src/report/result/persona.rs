//! The personas section of a [`RunResult`](super::RunResult): per persona and overall,
//! runs, successes with their 95% Wilson interval, how the runs ended (submitted, over
//! budget, stuck, errored), re-asks, and turns to completion (user turns of the submitted
//! runs) as a summary and as an encoded HDR histogram, so that `convoy merge` adds shards
//! exactly. Plain data and the arithmetic on it; renders nothing.

use super::{ResultError, decode_histogram, encode_histogram, wilson};
pub use crate::metrics::persona::PersonaCounts;
use crate::metrics::persona::turn_histogram;
use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};

/// What `overall` is called where a persona name would be.
pub const ALL_PERSONAS: &str = "all personas";

/// Every persona of the run, and all of them together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonaSection {
    pub overall: PersonaStats,
    /// In plan order.
    pub personas: Vec<PersonaStats>,
}

/// Turns to completion: user messages of the runs that ended in a submission.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct TurnSummary {
    /// Runs it rests on (the submitted ones).
    pub count: u64,
    pub p50: u64,
    pub p90: u64,
    pub max: u64,
    pub mean: f64,
}

/// One persona (or all of them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonaStats {
    pub suite: String,
    pub suite_file: String,
    pub line: usize,
    pub persona: String,
    #[serde(flatten)]
    pub counts: PersonaCounts,
    /// `succeeded / runs`; 0 without runs.
    pub success_rate: f64,
    /// The 95% Wilson interval of the success rate.
    pub success_interval: [f64; 2],
    pub turns: TurnSummary,
    /// The HDR histogram of turns to completion (base64 of V2 + deflate).
    pub turns_hdr: String,
}

/// Where a persona is written, for its row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PersonaIdentity {
    pub suite: String,
    pub suite_file: String,
    pub line: usize,
    pub persona: String,
}

impl PersonaStats {
    /// The row of `identity` from its counts and turns histogram.
    pub fn new(
        identity: PersonaIdentity,
        counts: PersonaCounts,
        turns: &Histogram<u64>,
    ) -> Result<PersonaStats, ResultError> {
        let (low, high) = wilson(counts.succeeded, counts.runs);
        let summary = if turns.is_empty() {
            TurnSummary::default()
        } else {
            TurnSummary {
                count: turns.len(),
                p50: turns.value_at_quantile(0.5),
                p90: turns.value_at_quantile(0.9),
                max: turns.max(),
                mean: turns.mean(),
            }
        };
        Ok(PersonaStats {
            suite: identity.suite,
            suite_file: identity.suite_file,
            line: identity.line,
            persona: identity.persona,
            counts,
            success_rate: counts.succeeded as f64 / counts.runs.max(1) as f64,
            success_interval: [low, high],
            turns: summary,
            turns_hdr: encode_histogram(turns)?,
        })
    }

    fn identity(&self) -> PersonaIdentity {
        PersonaIdentity {
            suite: self.suite.clone(),
            suite_file: self.suite_file.clone(),
            line: self.line,
            persona: self.persona.clone(),
        }
    }

    /// The same persona, counted in one place.
    fn same_persona(&self, other: &PersonaStats) -> bool {
        (&self.suite_file, self.line, &self.persona)
            == (&other.suite_file, other.line, &other.persona)
    }
}

/// Adds up `stats` (counts summed, histograms added exactly) under `identity`.
fn sum<'a>(
    identity: PersonaIdentity,
    stats: impl IntoIterator<Item = &'a PersonaStats>,
) -> Result<PersonaStats, ResultError> {
    let mut counts = PersonaCounts::default();
    let mut turns = turn_histogram();
    for s in stats {
        counts.add(&s.counts);
        turns
            .add(decode_histogram(&s.turns_hdr)?)
            .map_err(|e| ResultError::Histogram(format!("{e:?}")))?;
    }
    PersonaStats::new(identity, counts, &turns)
}

impl PersonaSection {
    /// The section of `personas` (in plan order) with their overall row; `None` when the
    /// run had none.
    pub fn of(personas: Vec<PersonaStats>) -> Result<Option<PersonaSection>, ResultError> {
        if personas.is_empty() {
            return Ok(None);
        }
        let overall = sum(
            PersonaIdentity {
                persona: ALL_PERSONAS.to_string(),
                ..PersonaIdentity::default()
            },
            &personas,
        )?;
        Ok(Some(PersonaSection { overall, personas }))
    }

    /// Several results' sections as one (shards of a run): each persona's rows added.
    pub fn merge<'a>(
        sections: impl IntoIterator<Item = &'a PersonaSection>,
    ) -> Result<Option<PersonaSection>, ResultError> {
        let mut groups: Vec<Vec<&PersonaStats>> = Vec::new();
        for stats in sections.into_iter().flat_map(|s| &s.personas) {
            match groups.iter_mut().find(|g| g[0].same_persona(stats)) {
                Some(group) => group.push(stats),
                None => groups.push(vec![stats]),
            }
        }
        let personas = groups
            .into_iter()
            .map(|group| sum(group[0].identity(), group.iter().copied()))
            .collect::<Result<Vec<_>, _>>()?;
        PersonaSection::of(personas)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(persona: &str, succeeded: u64, runs: u64, turns: &[u64]) -> PersonaStats {
        let mut histogram = turn_histogram();
        for t in turns {
            histogram.saturating_record(*t);
        }
        let counts = PersonaCounts {
            runs,
            succeeded,
            submitted: turns.len() as u64,
            ..PersonaCounts::default()
        };
        let identity = PersonaIdentity {
            suite: "s".into(),
            suite_file: "s.yaml".into(),
            line: 3,
            persona: persona.into(),
        };
        PersonaStats::new(identity, counts, &histogram).expect("encodes")
    }

    #[test]
    fn overall_adds_every_persona() {
        let section = PersonaSection::of(vec![
            stats("a", 9, 10, &[2, 3, 3, 4]),
            stats("b", 1, 10, &[8]),
        ])
        .expect("sums")
        .expect("has personas");
        let overall = &section.overall;
        assert_eq!((overall.counts.runs, overall.counts.succeeded), (20, 10));
        assert_eq!(overall.success_rate, 0.5);
        assert_eq!(
            (overall.turns.count, overall.turns.p50, overall.turns.max),
            (5, 3, 8)
        );
        let [low, high] = overall.success_interval;
        assert!(low < 0.5 && 0.5 < high, "{low}..{high}");
    }

    #[test]
    fn merging_shards_equals_one_run() {
        let one = PersonaSection::of(vec![stats("a", 3, 4, &[2, 3, 5])]).expect("ok");
        let left = PersonaSection::of(vec![stats("a", 1, 2, &[2, 5])]).expect("ok");
        let right = PersonaSection::of(vec![stats("a", 2, 2, &[3])]).expect("ok");
        let merged = PersonaSection::merge([&left, &right].into_iter().flatten()).expect("ok");
        assert_eq!(merged, one);
        assert_eq!(PersonaSection::of(Vec::new()).expect("ok"), None);
    }
}
