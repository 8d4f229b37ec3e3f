//! Thresholds (k6-style pass/fail criteria on a whole run): the expression language of
//! `--threshold` and of a suite's `thresholds:` list, e.g. `send.p95<1.5s`,
//! `turn[2].p99<=2s`, `pass_rate>=0.99`, `error_rate<0.01`, `ttfc.p95<500ms`,
//! `ttfc.turn[1].p95<300ms`, `gap.turn[2].p99<50ms`, `intended.create.p99<3s`,
//! `dropped==0`, `dropped_rate<0.01`, `late<10`, `persona.success_rate>=0.95`,
//! `persona.turns.p90<=6`.
//!
//! Owns parsing only: text → [`Threshold`], or a [`ThresholdError`] that points at the bad
//! part. It knows nothing of results; evaluation is `report::threshold`'s. Pure, so the
//! suite loader can validate `thresholds:` without depending on the reports.

mod error;
mod limit;

pub use error::ThresholdError;

use crate::common::diagnostic::suggest;
use limit::parse_limit;
use std::fmt;

/// Which latency histogram a latency threshold reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Series {
    Create,
    Send,
    /// Generate Form Summary (the suites' `summary:` checks).
    Summary,
    /// Every conversation's turn `N` (0 is the create), merged.
    Turn(usize),
    /// Time to first chunk of streamed requests, every operation merged.
    Ttfc,
    /// Gaps between the chunks of streamed responses, every operation merged.
    Gap,
    /// Time to first chunk of every conversation's turn `N` (0 is the create), merged.
    TtfcTurn(usize),
    /// Gaps between the chunks of every conversation's turn `N`, merged.
    GapTurn(usize),
    /// Latency from the intended start (open model) of creates, and of sends.
    IntendedCreate,
    IntendedSend,
    /// Latency from the intended start of every conversation's turn `N`, merged.
    IntendedTurn(usize),
}

/// A statistic of a latency histogram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stat {
    P50,
    P90,
    P95,
    P99,
    P999,
    Max,
    Mean,
}

impl Stat {
    const NAMES: [(&'static str, Stat); 7] = [
        ("p50", Stat::P50),
        ("p90", Stat::P90),
        ("p95", Stat::P95),
        ("p99", Stat::P99),
        ("p99.9", Stat::P999),
        ("max", Stat::Max),
        ("mean", Stat::Mean),
    ];

    /// The quantile a percentile statistic reads; `None` for max and mean.
    pub fn quantile(self) -> Option<f64> {
        match self {
            Stat::P50 => Some(0.50),
            Stat::P90 => Some(0.90),
            Stat::P95 => Some(0.95),
            Stat::P99 => Some(0.99),
            Stat::P999 => Some(0.999),
            Stat::Max | Stat::Mean => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    Latency(Series, Stat),
    /// Passed conversations / all conversations, in [0, 1].
    PassRate,
    /// Requests with a transport or HTTP error / all requests, in [0, 1].
    ErrorRate,
    /// Open model: arrivals that could not start before the run ended (a count).
    Dropped,
    /// Open model: sessions that started more than 10 ms after their intended time.
    Late,
    /// Dropped arrivals / scheduled arrivals (started + dropped), in [0, 1].
    DroppedRate,
    /// Persona runs that succeeded / all persona runs, every persona together, in [0, 1].
    PersonaSuccessRate,
    /// Turns to completion (user messages of the persona runs that ended in a
    /// submission), every persona merged: a number of turns, not a duration.
    PersonaTurns(Stat),
}

impl Metric {
    pub fn is_latency(self) -> bool {
        matches!(self, Metric::Latency(..))
    }

    /// Counts take whole numbers as limits; rates fractions; latencies durations.
    pub fn is_count(self) -> bool {
        matches!(self, Metric::Dropped | Metric::Late)
    }

    /// Turns take a plain number (no unit) as limit: `6`, or `3.5` for a mean.
    pub fn is_turns(self) -> bool {
        matches!(self, Metric::PersonaTurns(_))
    }

    /// Whether a threshold on this metric is the user's own judgement of dropped
    /// arrivals: a run with one no longer fails merely because it dropped any.
    pub fn judges_drops(self) -> bool {
        matches!(self, Metric::Dropped | Metric::DroppedRate)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
}

impl Op {
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Eq => "==",
        }
    }

    pub fn holds(self, observed: f64, limit: f64) -> bool {
        match self {
            Op::Lt => observed < limit,
            Op::Le => observed <= limit,
            Op::Gt => observed > limit,
            Op::Ge => observed >= limit,
            Op::Eq => observed == limit,
        }
    }
}

/// A parsed threshold. The limit is in microseconds for latency metrics, a fraction for
/// rates, a whole number for counts, a number of turns for persona turns.
#[derive(Debug, Clone, PartialEq)]
pub struct Threshold {
    /// The expression as written, trimmed.
    pub expression: String,
    pub metric: Metric,
    pub op: Op,
    pub limit: f64,
}

impl fmt::Display for Threshold {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.expression)
    }
}

/// The latency series first ([`LATENCY_NAMES`] of them: `parse_series` suggests only
/// those and [`PERSONA_TURNS`]), then the metrics without a statistic, then the personas'.
const METRIC_NAMES: [&str; 17] = [
    "create",
    "send",
    "turn[N]",
    "ttfc",
    "gap",
    "ttfc.turn[N]",
    "gap.turn[N]",
    "intended.create",
    "intended.send",
    "intended.turn[N]",
    "pass_rate",
    "error_rate",
    "dropped",
    "late",
    "dropped_rate",
    "persona.success_rate",
    PERSONA_TURNS,
];
const LATENCY_NAMES: usize = 10;
/// Turns to completion: a series of counts that takes a statistic like a latency series.
const PERSONA_TURNS: &str = "persona.turns";
/// Metrics that are a single number, without a statistic.
const PLAIN_METRICS: [(&str, Metric); 6] = [
    ("pass_rate", Metric::PassRate),
    ("error_rate", Metric::ErrorRate),
    ("dropped", Metric::Dropped),
    ("late", Metric::Late),
    ("dropped_rate", Metric::DroppedRate),
    ("persona.success_rate", Metric::PersonaSuccessRate),
];
/// Series that need a statistic, named without a turn.
const PLAIN_SERIES: [(&str, Series); 7] = [
    ("create", Series::Create),
    ("send", Series::Send),
    ("summary", Series::Summary),
    ("ttfc", Series::Ttfc),
    ("gap", Series::Gap),
    ("intended.create", Series::IntendedCreate),
    ("intended.send", Series::IntendedSend),
];
/// Makes a series from a turn index.
type TurnSeries = fn(usize) -> Series;
/// Series that take a turn index, and what they become with one.
const TURN_SERIES: [(&str, TurnSeries); 4] = [
    ("turn[", Series::Turn),
    ("ttfc.turn[", Series::TtfcTurn),
    ("gap.turn[", Series::GapTurn),
    ("intended.turn[", Series::IntendedTurn),
];
const OPS: [(&str, Op); 5] = [
    ("<=", Op::Le),
    (">=", Op::Ge),
    ("==", Op::Eq),
    ("<", Op::Lt),
    (">", Op::Gt),
];

/// Parses one expression such as `send.p95<1.5s`.
pub fn parse(text: &str) -> Result<Threshold, ThresholdError> {
    let expression = text.trim().to_string();
    let fail = |start: usize, len: usize, title: String, help: String| ThresholdError {
        expression: expression.clone(),
        title,
        help,
        start,
        len,
    };
    let Some(op_at) = expression.find(['<', '>', '=']) else {
        return Err(fail(
            0,
            expression.len(),
            "no comparison operator".into(),
            "write METRIC OP VALUE, e.g. `send.p95<2s` or `pass_rate>=0.99` (operators < <= > >= ==)"
                .into(),
        ));
    };
    let rest = &expression[op_at..];
    let Some((op_text, op)) = OPS.iter().find(|(t, _)| rest.starts_with(t)).copied() else {
        return Err(fail(
            op_at,
            1,
            "`=` is not an operator".into(),
            "use `==` to compare for equality, or one of < <= > >=".into(),
        ));
    };
    let metric = parse_metric(&expression[..op_at]).map_err(|(s, l, t, h)| fail(s, l, t, h))?;
    let value_at = op_at + op_text.len();
    let value_text = &expression[value_at..];
    let limit = parse_limit(metric, value_text.trim())
        .map_err(|(title, help)| fail(value_at, value_text.len().max(1), title, help))?;
    Ok(Threshold {
        expression,
        metric,
        op,
        limit,
    })
}

type Bad = (usize, usize, String, String);

fn parse_metric(text: &str) -> Result<Metric, Bad> {
    let name = text.trim();
    let lead = text.len() - text.trim_start().len();
    if let Some((_, metric)) = PLAIN_METRICS.iter().find(|(n, _)| *n == name) {
        return Ok(*metric);
    }
    if name.is_empty() {
        return Err((
            0,
            1,
            "the metric is missing".into(),
            format!("start with a metric: {}", METRIC_NAMES.join(", ")),
        ));
    }
    let Some((series_text, stat_text)) = split_series(name) else {
        let with_turn = TURN_SERIES.iter().any(|(p, _)| name.starts_with(p));
        let needs_stat = PLAIN_SERIES.iter().any(|(n, _)| *n == name) || name == PERSONA_TURNS;
        let help = if needs_stat || with_turn {
            format!("add a statistic: `{name}.p95` (p50, p90, p95, p99, p99.9, max, mean)")
        } else {
            suggest(name, &METRIC_NAMES)
        };
        return Err((lead, name.len(), format!("unknown metric `{name}`"), help));
    };
    // Persona turns are not a latency series: same statistics, another metric.
    let series = if series_text == PERSONA_TURNS {
        None
    } else {
        let series = parse_series(series_text)
            .map_err(|(title, help)| (lead, series_text.len(), title, help))?;
        Some(series)
    };
    let stat_at = lead + series_text.len() + 1;
    let names: Vec<&str> = Stat::NAMES.iter().map(|(n, _)| *n).collect();
    let stat = Stat::NAMES
        .iter()
        .find(|(n, _)| *n == stat_text)
        .map(|(_, s)| *s)
        .ok_or_else(|| {
            (
                stat_at,
                stat_text.len().max(1),
                format!("unknown statistic `{stat_text}`"),
                suggest(stat_text, &names),
            )
        })?;
    Ok(match series {
        Some(series) => Metric::Latency(series, stat),
        None => Metric::PersonaTurns(stat),
    })
}

/// `series.stat` → (series, stat). A streaming series may name a turn, whose brackets
/// come before the statistic's dot: `ttfc.turn[2].p99.9` → (`ttfc.turn[2]`, `p99.9`).
fn split_series(name: &str) -> Option<(&str, &str)> {
    if TURN_SERIES.iter().any(|(p, _)| name.starts_with(p)) {
        let close = name.find(']')?;
        let stat = name[close + 1..].strip_prefix('.')?;
        return Some((&name[..=close], stat));
    }
    // `intended.create.p95`, `persona.turns.p90`: the series itself has a dot.
    let skip = ["intended.", "persona."]
        .iter()
        .find(|prefix| name.starts_with(*prefix))
        .map_or(0, |prefix| prefix.len());
    let dot = skip + name.get(skip..)?.find('.')?;
    Some((&name[..dot], &name[dot + 1..]))
}

fn parse_series(text: &str) -> Result<Series, (String, String)> {
    if let Some((_, series)) = PLAIN_SERIES.iter().find(|(n, _)| *n == text) {
        return Ok(*series);
    }
    for (prefix, series) in TURN_SERIES {
        if let Some(index) = text.strip_prefix(prefix).and_then(|t| t.strip_suffix(']')) {
            return index.parse().map(series).map_err(|_| {
                (
                    format!("`{text}` needs a turn number"),
                    format!("write the turn index, e.g. `{prefix}2].p95<2s` (0 is the create)"),
                )
            });
        }
    }
    if PLAIN_METRICS.iter().any(|(n, _)| *n == text) {
        return Err((
            format!("`{text}` has no statistic"),
            format!("compare it directly, e.g. `{text}<10`"),
        ));
    }
    // The series that take a statistic only: a misspelt `pass_rate` is suggested elsewhere.
    let mut with_stat = METRIC_NAMES[..LATENCY_NAMES].to_vec();
    with_stat.push(PERSONA_TURNS);
    Err((
        format!("unknown metric `{text}`"),
        suggest(text, &with_stat),
    ))
}

#[cfg(test)]
mod tests;
