//! `latency.csv`: one row per operation, then one per conversation × turn (and, last, one
//! per tag × operation, scope `tag`, the tag in the `conversation` column), with count,
//! errors and percentiles in milliseconds (µs precision), for the latency and then for
//! each streaming figure of a streamed run, then for the latency from the intended start
//! of a load run (the last column, `metric`, says which). Only reads a [`RunResult`].

use crate::report::cells::{csv_cell, ms};
use crate::report::result::{LatencyKey, LatencyRecord, OperationName, RunResult};

const HEADER: [&str; 16] = [
    "scope",
    "operation",
    "suite",
    "conversation",
    "turn",
    "count",
    "errors",
    "min_ms",
    "p50_ms",
    "p90_ms",
    "p95_ms",
    "p99_ms",
    "p99_9_ms",
    "max_ms",
    "mean_ms",
    // Last, so that readers of the older 15 columns still find theirs in place.
    "metric",
];

/// Renders `latency.csv`.
pub fn latency_csv(result: &RunResult) -> Result<String, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(HEADER)?;
    let l = &result.latency;
    let mut tables = vec![
        ("latency", &l.operations),
        ("latency", &l.turns),
        ("ttfc", &l.ttfc),
        ("ttfc", &l.ttfc_turns),
        ("gap", &l.gaps),
        ("gap", &l.gap_turns),
        ("eor", &l.eor),
        ("eor", &l.eor_turns),
    ];
    // Last, so that every earlier row keeps its place.
    if let Some(load) = &result.load {
        tables.push(("intended", &load.intended));
        tables.push(("intended", &load.intended_turns));
    }
    tables.push(("latency", &l.tags));
    for (metric, records) in tables {
        for record in records {
            let mut cells = row(record);
            cells.push(metric.to_string());
            writer.write_record(cells.iter().map(|c| csv_cell(c).into_owned()))?;
        }
    }
    let bytes = writer.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn row(record: &LatencyRecord) -> Vec<String> {
    let (scope, operation, suite, conversation, turn) = match &record.key {
        LatencyKey::Operation { operation } => {
            ("operation", operation.as_str(), "", "", String::new())
        }
        LatencyKey::Turn {
            suite,
            conversation,
            turn,
        } => {
            let operation = if *turn == 0 {
                OperationName::Create
            } else {
                OperationName::Send
            };
            let (s, c) = (suite.as_str(), conversation.as_str());
            ("turn", operation.as_str(), s, c, turn.to_string())
        }
        // The tag stands in the `conversation` column: the row covers every conversation
        // that carries it.
        LatencyKey::Tag { tag, operation } => {
            ("tag", operation.as_str(), "", tag.as_str(), String::new())
        }
    };
    let s = &record.summary;
    let mut row = vec![
        scope.to_string(),
        operation.to_string(),
        suite.to_string(),
        conversation.to_string(),
        turn,
        s.count.to_string(),
        record.errors.to_string(),
    ];
    let values = [
        s.min_us, s.p50_us, s.p90_us, s.p95_us, s.p99_us, s.p999_us, s.max_us, s.mean_us,
    ];
    // An all-errors row has no samples: empty cells, not a misleading 0.000.
    row.extend(
        values
            .iter()
            .map(|&us| if s.count == 0 { String::new() } else { ms(us) }),
    );
    row
}
