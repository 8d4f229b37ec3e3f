//! `--vary`: a seeded variability profile that makes the mock behave more like an LLM
//! assistant — fields asked in a shuffled order, reworded questions, values missed, a
//! filled field asked again, two fields asked at once (docs/mock.md, "Variability").
//!
//! Owns the profile's model, its parsing (a comma list, or the text of a YAML file) and
//! the seeded draws that turn it into the [`Variation`] of one response. It must not read
//! files or flags (the CLI does), nor apply a variation (the simulator does), and every
//! draw comes from [`SplitMix64`] keyed by seed, session and turn: never an unseeded one.

use crate::common::diagnostic::suggest;
use crate::common::rng::{SplitMix64, fnv1a, mix};
use crate::mock::simulator::Variation;
use crate::suite::Diagnostic;
use crate::suite::node::Pos;
use serde::Deserialize;
use serde_saphyr::{Budget, Options};
use std::fmt;

/// How the mock varies. The default varies in nothing: the deterministic mock.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct VaryProfile {
    /// Ask for the missing required fields in a shuffled order, fixed per session.
    pub order: bool,
    /// Word each question from a set of paraphrases, chosen per response.
    pub paraphrase: bool,
    /// Probability that a value extracted from a message is missed.
    pub miss: f64,
    /// Probability, per response, of asking again for a field already filled.
    pub reask: f64,
    /// Probability, per response, of asking for two missing fields in one question.
    pub merge: f64,
}

/// What can be wrong with a `--vary` value or file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum VaryError {
    #[error("--vary is empty: {ALLOWED}")]
    Empty,
    #[error("unknown --vary key `{key}`: {help} ({ALLOWED})")]
    UnknownKey { key: String, help: String },
    #[error("--vary `{key}` needs a rate: {key}=R with R between 0 and 1, e.g. {key}=0.05")]
    MissingRate { key: &'static str },
    #[error("--vary `{key}` is a switch and takes no value, got `{text}` ({ALLOWED})")]
    NotASwitch { key: &'static str, text: String },
    #[error(
        "{source_name}: `{key}` takes a probability between 0 and 1, got `{value}` (e.g. 0.05)"
    )]
    BadRate {
        source_name: String,
        key: &'static str,
        value: String,
    },
    #[error("{0}")]
    File(Box<Diagnostic>),
}

/// The keys, as the errors list them.
const ALLOWED: &str = "keys: order, paraphrase, miss=R, reask=R, merge=R with R in [0, 1], \
                       comma-separated, or a YAML file with the same keys";

/// The keys of a profile file, as its diagnostics list them.
const YAML_ALLOWED: &str = "keys: order and paraphrase (true or false), miss, reask and merge \
                            (a probability in [0, 1]), e.g. `miss: 0.05`";

const KEYS: [&str; 5] = ["order", "paraphrase", "miss", "reask", "merge"];

/// Salts that give each kind of draw its own stream, so that turning one key on does not
/// change the draws of another.
const ORDER_SALT: u64 = 0x6f72_6465_7200_0001;
const WORDING_SALT: u64 = 0x776f_7264_0000_0002;
const MISS_SALT: u64 = 0x6d69_7373_0000_0003;
const REASK_SALT: u64 = 0x7265_6173_6b00_0004;
const MERGE_SALT: u64 = 0x6d65_7267_6500_0005;

impl VaryProfile {
    /// Whether this profile varies nothing (the mock is then exactly the plain one).
    pub fn is_off(&self) -> bool {
        *self == VaryProfile::default()
    }

    /// Parses the comma form, `order,paraphrase,miss=0.05,reask=0.05,merge=0.2` (any
    /// subset, any order; a later key overrides an earlier one).
    pub fn parse_list(text: &str) -> Result<VaryProfile, VaryError> {
        let mut profile = VaryProfile::default();
        let items: Vec<&str> = text
            .split(',')
            .map(str::trim)
            .filter(|i| !i.is_empty())
            .collect();
        if items.is_empty() {
            return Err(VaryError::Empty);
        }
        for item in items {
            let (key, value) = match item.split_once('=') {
                Some((key, value)) => (key.trim(), Some(value.trim())),
                None => (item, None),
            };
            profile.set(key, value, item)?;
        }
        Ok(profile)
    }

    fn set(&mut self, key: &str, value: Option<&str>, item: &str) -> Result<(), VaryError> {
        let rate = |key: &'static str| -> Result<f64, VaryError> {
            let written = value.ok_or(VaryError::MissingRate { key })?;
            let bad = || VaryError::BadRate {
                source_name: "--vary".into(),
                key,
                value: written.to_string(),
            };
            let rate: f64 = written.parse().map_err(|_| bad())?;
            check_rate("--vary", key, rate).map_err(|_| bad())
        };
        let switch = |key: &'static str| match value {
            None => Ok(true),
            Some(_) => Err(VaryError::NotASwitch {
                key,
                text: item.to_string(),
            }),
        };
        match key.to_ascii_lowercase().as_str() {
            "order" => self.order = switch("order")?,
            "paraphrase" => self.paraphrase = switch("paraphrase")?,
            "miss" => self.miss = rate("miss")?,
            "reask" => self.reask = rate("reask")?,
            "merge" => self.merge = rate("merge")?,
            _ => {
                return Err(VaryError::UnknownKey {
                    key: key.to_string(),
                    help: suggest(key, &KEYS),
                });
            }
        }
        Ok(())
    }

    /// Parses a profile file's text (`order: true`, `miss: 0.05`, ...); `file` only labels
    /// diagnostics.
    pub fn parse_yaml(file: &str, source: &str) -> Result<VaryProfile, VaryError> {
        let raw: RawProfile = from_yaml(file, source)?;
        Ok(VaryProfile {
            order: raw.order.unwrap_or(false),
            paraphrase: raw.paraphrase.unwrap_or(false),
            miss: check_rate(file, "miss", raw.miss.unwrap_or(0.0))?,
            reask: check_rate(file, "reask", raw.reask.unwrap_or(0.0))?,
            merge: check_rate(file, "merge", raw.merge.unwrap_or(0.0))?,
        })
    }

    /// The decisions for one response: the `turn`-th (0 for the create) of the session
    /// `session` (its id), with `fields` fields. The same seed, session and turn always
    /// give the same variation, whatever other sessions do; the field order depends on
    /// seed and session only.
    pub fn variation(&self, seed: u64, session: &str, turn: u64, fields: usize) -> Variation {
        if self.is_off() {
            return Variation::default();
        }
        let session_key = mix(seed ^ mix(fnv1a(session.as_bytes())));
        let turn_key = mix(session_key ^ mix(turn.wrapping_add(1)));
        let stream = |salt: u64, key: u64| SplitMix64::new(mix(key ^ salt));
        let chance = |salt: u64, rate: f64| rate > 0.0 && stream(salt, turn_key).next_f64() < rate;
        let missed = match self.miss > 0.0 {
            true => {
                let mut rng = stream(MISS_SALT, turn_key);
                (0..fields).map(|_| rng.next_f64() < self.miss).collect()
            }
            false => Vec::new(),
        };
        Variation {
            order: self
                .order
                .then(|| shuffled(fields, stream(ORDER_SALT, session_key))),
            wording: self
                .paraphrase
                .then(|| pick(&mut stream(WORDING_SALT, turn_key))),
            missed,
            reask: chance(REASK_SALT, self.reask)
                .then(|| pick(&mut stream(REASK_SALT ^ 1, turn_key))),
            merge: chance(MERGE_SALT, self.merge),
        }
    }
}

/// The comma form, which `--vary` reads back: `order,paraphrase,miss=0.05`; "" when off.
impl fmt::Display for VaryProfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts: Vec<String> = Vec::new();
        if self.order {
            parts.push("order".into());
        }
        if self.paraphrase {
            parts.push("paraphrase".into());
        }
        for (key, rate) in [
            ("miss", self.miss),
            ("reask", self.reask),
            ("merge", self.merge),
        ] {
            if rate > 0.0 {
                parts.push(format!("{key}={rate}"));
            }
        }
        f.write_str(&parts.join(","))
    }
}

fn check_rate(source_name: &str, key: &'static str, rate: f64) -> Result<f64, VaryError> {
    if (0.0..=1.0).contains(&rate) {
        return Ok(rate);
    }
    Err(VaryError::BadRate {
        source_name: source_name.to_string(),
        key,
        value: rate.to_string(),
    })
}

/// `0..count` shuffled (Fisher–Yates).
fn shuffled(count: usize, mut rng: SplitMix64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..count).collect();
    for i in (1..count).rev() {
        let j = (rng.next_u64() % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
    order
}

/// An index for the simulator to take modulo its number of choices.
fn pick(rng: &mut SplitMix64) -> usize {
    (rng.next_u64() >> 40) as usize
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    order: Option<bool>,
    paraphrase: Option<bool>,
    miss: Option<f64>,
    reask: Option<f64>,
    merge: Option<f64>,
}

fn from_yaml(file: &str, source: &str) -> Result<RawProfile, VaryError> {
    // A profile is five lines: tight budgets keep hostile input cheap.
    let mut budget = Budget::default();
    budget.max_depth = 4;
    budget.max_nodes = 100;
    budget.max_events = 1_000;
    budget.max_aliases = 10;
    budget.max_anchors = 10;
    budget.max_documents = 1;
    let mut options = Options::default();
    options.budget = Some(budget);
    options.strict_booleans = true;
    options.with_snippet = false;
    serde_saphyr::from_str_with_options::<RawProfile>(source, options).map_err(|err| {
        let at = err
            .location()
            .map_or(Pos::default(), |l| Pos::from_location(&l));
        let at = Pos {
            line: at.line.max(1),
            column: at.column.max(1),
            len: 1,
        };
        let diagnostic = Diagnostic::at(file, source, at, err.to_string(), YAML_ALLOWED);
        VaryError::File(Box::new(diagnostic))
    })
}

#[cfg(test)]
#[path = "vary_tests.rs"]
mod tests;
