//! `--turns-csv`: which conversations' rows `turns.csv` keeps. The one rule the streamed
//! file and a re-rendered one (`convoy report`) both apply, so the two agree.
//!
//! Decides per conversation from its record, the run's seed and its number only; never
//! writes, never looks at other conversations.

use crate::common::rng::{fnv1a, mix};
use crate::report::result::{ConversationRecord, VerdictName};
use std::fmt;
use std::str::FromStr;

/// Which rows `turns.csv` keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TurnsCsvMode {
    /// Every turn (the default of functional runs).
    #[default]
    All,
    /// Only the turns of conversations that failed or errored.
    Failures,
    /// Roughly one conversation in N, plus every failed or errored one.
    Sample(u64),
    /// No `turns.csv` at all.
    Off,
}

/// A load run's default: a 10-minute soak's file stays far under 100 MB
/// (docs/reports.md, "turns.csv modes", has the arithmetic).
pub const LOAD_DEFAULT: TurnsCsvMode = TurnsCsvMode::Sample(100);

impl TurnsCsvMode {
    /// The mode a run uses: the flag, else `all` for a functional run and
    /// [`LOAD_DEFAULT`] for a load run.
    pub fn resolve(flag: Option<TurnsCsvMode>, load: bool) -> TurnsCsvMode {
        flag.unwrap_or(if load {
            LOAD_DEFAULT
        } else {
            TurnsCsvMode::All
        })
    }

    /// The mode recorded in a run.json; an older file (no field) kept every row.
    pub fn recorded(text: &str) -> TurnsCsvMode {
        text.parse().unwrap_or_default()
    }
}

impl fmt::Display for TurnsCsvMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TurnsCsvMode::All => f.write_str("all"),
            TurnsCsvMode::Failures => f.write_str("failures"),
            TurnsCsvMode::Sample(n) => write!(f, "sample:{n}"),
            TurnsCsvMode::Off => f.write_str("off"),
        }
    }
}

impl FromStr for TurnsCsvMode {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let bad = || format!("`{text}` is not all, failures, sample:N (N ≥ 1) or off");
        match text {
            "all" => Ok(TurnsCsvMode::All),
            "failures" => Ok(TurnsCsvMode::Failures),
            "off" => Ok(TurnsCsvMode::Off),
            _ => match text.strip_prefix("sample:").map(str::parse::<u64>) {
                Some(Ok(n)) if n >= 1 => Ok(TurnsCsvMode::Sample(n)),
                _ => Err(bad()),
            },
        }
    }
}

/// The mode with what it needs to decide: the run's seed, and whether conversations are
/// told apart by their finish number (a load run, whose sessions are all iteration 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TurnsFilter {
    pub mode: TurnsCsvMode,
    pub seed: u64,
    pub per_session: bool,
}

impl TurnsFilter {
    /// The filter of a saved run, from its config (seed, mode) and kind.
    pub fn of_result(result: &crate::report::RunResult) -> TurnsFilter {
        TurnsFilter {
            mode: TurnsCsvMode::recorded(&result.config.turns_csv),
            seed: result.config.seed,
            per_session: result.load.is_some(),
        }
    }

    /// Whether the rows of `conversation` go into `turns.csv`.
    pub fn keeps(&self, conversation: &ConversationRecord) -> bool {
        let failed = conversation.verdict != VerdictName::Passed;
        match self.mode {
            TurnsCsvMode::All => true,
            TurnsCsvMode::Off => false,
            TurnsCsvMode::Failures => failed,
            TurnsCsvMode::Sample(n) => failed || self.draw(conversation).is_multiple_of(n),
        }
    }

    /// A number fixed by the seed and which conversation run this is: the same in every
    /// rerun and shard of a functional run (suite, name and iteration, not finish order).
    fn draw(&self, c: &ConversationRecord) -> u64 {
        let which = if self.per_session {
            c.finish_seq as u64
        } else {
            u64::from(c.iteration)
        };
        let name = fnv1a(format!("{}\0{}", c.suite, c.conversation).as_bytes());
        mix(mix(self.seed ^ name) ^ which)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_parse_and_print_back() {
        for text in ["all", "failures", "sample:100", "off", "sample:1"] {
            let mode: TurnsCsvMode = text.parse().unwrap();
            assert_eq!(mode.to_string(), text);
        }
        for bad in ["", "sample:0", "sample:", "sample:x", "some"] {
            assert!(bad.parse::<TurnsCsvMode>().is_err(), "{bad}");
        }
        assert_eq!(TurnsCsvMode::recorded(""), TurnsCsvMode::All);
        assert_eq!(TurnsCsvMode::resolve(None, false), TurnsCsvMode::All);
        assert_eq!(TurnsCsvMode::resolve(None, true), LOAD_DEFAULT);
    }

    fn record(name: &str, iteration: u32, verdict: VerdictName) -> ConversationRecord {
        let json = format!(
            r#"{{"suite":"s","suite_file":"s.yaml","line":1,"column":1,"conversation":"{name}",
            "verdict":"{}","session_id":null,"start_offset_us":0,"finish_seq":{iteration},
            "planned_turns":1,"turns":[],"final_failures":[],"iteration":{iteration}}}"#,
            verdict.as_str()
        );
        serde_json::from_str(&json).unwrap()
    }

    /// sample:N keeps about 1 in N passing runs, the same ones for the same seed, and
    /// every failed or errored one.
    #[test]
    fn sampling_is_about_one_in_n_and_keeps_every_failure() {
        let filter = TurnsFilter {
            mode: TurnsCsvMode::Sample(10),
            seed: 7,
            per_session: false,
        };
        let kept = (1..=10_000)
            .filter(|i| filter.keeps(&record("c", *i, VerdictName::Passed)))
            .count();
        assert!((800..1200).contains(&kept), "{kept} of 10000 kept");
        let again = (1..=10_000)
            .filter(|i| filter.keeps(&record("c", *i, VerdictName::Passed)))
            .count();
        assert_eq!(kept, again);
        assert!((1..=500).all(|i| filter.keeps(&record("c", i, VerdictName::Failed))));
        assert!((1..=500).all(|i| filter.keeps(&record("c", i, VerdictName::Errored))));
        let failures = TurnsFilter {
            mode: TurnsCsvMode::Failures,
            ..filter
        };
        assert!(!failures.keeps(&record("c", 1, VerdictName::Passed)));
        assert!(failures.keeps(&record("c", 1, VerdictName::Failed)));
    }
}
