//! The value side of a threshold: a limit parsed in the unit its metric takes (a duration
//! for latency, a whole number for counts, a fraction for rates, a plain number for
//! turns), or what is wrong with it and how to write it.

use super::Metric;
use crate::common::duration::parse_duration;

/// A duration with a unit for latency metrics (µs); a whole number for counts; a plain
/// number ≥ 0 for turns; a plain number in [0, 1] for rates.
pub(super) fn parse_limit(metric: Metric, text: &str) -> Result<f64, (String, String)> {
    if text.is_empty() {
        return Err(("the value is missing".into(), value_help(metric)));
    }
    if metric.is_count() {
        return match text.parse::<u64>() {
            Ok(count) => Ok(count as f64),
            Err(_) => Err((
                format!("`{text}` is not a whole number"),
                value_help(metric),
            )),
        };
    }
    if metric.is_turns() {
        return turns(text).map_err(|title| (title, value_help(metric)));
    }
    if metric.is_latency() {
        let duration = parse_duration(text).map_err(|e| {
            (
                format!("invalid duration `{text}`: {e}"),
                value_help(metric),
            )
        })?;
        return Ok(duration.as_secs_f64() * 1e6);
    }
    match text.parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        Ok(_) => Err((
            format!("`{text}` is not a rate between 0 and 1"),
            value_help(metric),
        )),
        Err(_) => Err((format!("`{text}` is not a number"), value_help(metric))),
    }
}

/// A number of turns: not negative, and fractional only for a mean to be compared with.
fn turns(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        // `6s` would otherwise read as "not a number": say why a duration does not fit.
        Err(_) if parse_duration(text).is_ok() => {
            Err(format!("`{text}` is a duration, but turns are counted"))
        }
        _ => Err(format!("`{text}` is not a number of turns")),
    }
}

fn value_help(metric: Metric) -> String {
    if metric.is_latency() {
        "a latency limit needs a unit: `500ms`, `1.5s`, `1m`".into()
    } else if metric.is_count() {
        "a count is a whole number of sessions: `0`, `10`".into()
    } else if metric.is_turns() {
        "turns to completion are a number of user messages, without a unit: `6`, not `6s`".into()
    } else {
        "a rate is a fraction: `0.99` for 99%".into()
    }
}
