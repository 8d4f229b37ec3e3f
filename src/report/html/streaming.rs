//! The "Streaming" section of `report.html` (streamed runs only): time to first chunk,
//! gaps between chunks and time to END_OF_RESPONSE per operation and per conversation ×
//! turn, and the messages per streamed response. Only reads a [`RunResult`].

use super::escape::esc;
use super::tables::{LATENCY_COLUMNS, TABLE_END, latency_row, num, table_head};
use crate::report::result::{ChunkCountRecord, LatencyKey, RunResult};
use std::fmt::Write;

/// The section's tables; `None` when the run streamed nothing.
pub fn streaming(r: &RunResult) -> Option<String> {
    let l = &r.latency;
    if l.ttfc.is_empty() && l.ttfc_turns.is_empty() {
        return None;
    }
    let operations = [
        ("ttfc ", &l.ttfc),
        ("chunk gaps ", &l.gaps),
        ("end of response ", &l.eor),
    ];
    let turns = [
        ("first chunk", &l.ttfc_turns),
        ("chunk gaps", &l.gap_turns),
        ("end of response", &l.eor_turns),
    ];
    let mut out = table_head(&LATENCY_COLUMNS);
    for (figure, records) in operations {
        records
            .iter()
            .for_each(|record| latency_row(&mut out, record, figure));
    }
    out.push_str(TABLE_END);
    out.push_str("<h3>Streaming per conversation × turn</h3><div class=\"tall\">");
    out.push_str(&table_head(&LATENCY_COLUMNS));
    for (figure, records) in turns {
        records
            .iter()
            .for_each(|record| latency_row(&mut out, record, figure));
    }
    out.push_str(TABLE_END);
    out.push_str("</div>");
    chunks(&mut out, &l.chunks);
    Some(out)
}

fn chunks(out: &mut String, records: &[ChunkCountRecord]) {
    if records.is_empty() {
        return;
    }
    out.push_str("<h3>Messages per streamed response (END_OF_RESPONSE included)</h3>");
    out.push_str(&table_head(&[
        "operation / turn",
        "responses",
        "mean",
        "min",
        "max",
    ]));
    for record in records {
        let name = match &record.key {
            LatencyKey::Operation { operation } => operation.as_str().to_string(),
            LatencyKey::Turn {
                suite,
                conversation,
                turn,
            } => format!("{suite} › {conversation} › turn {turn}"),
        };
        let c = &record.counts;
        let mean = c.mean();
        let _ = write!(
            out,
            "<tr><td>{}</td>{}{}{}{}</tr>",
            esc(&name),
            num(c.responses, c.responses.to_string()),
            // Sorted by hundredths, so 3.25 and 3.3 order right.
            num((mean * 100.0).round() as u64, format!("{mean:.1}")),
            num(c.min, c.min.to_string()),
            num(c.max, c.max.to_string()),
        );
    }
    out.push_str(TABLE_END);
}
