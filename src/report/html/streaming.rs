//! The "Streaming" section of `report.html` (streamed runs only): time to first chunk,
//! gaps between chunks and time to END_OF_RESPONSE per operation and per conversation ×
//! turn, and the messages per streamed response. Only reads a [`RunResult`]; markup is
//! maud's `html!` (every value escaped), nothing here is inserted unescaped.

use super::tables::{LATENCY_COLUMNS, latency_row, num, table};
use super::text::visible;
use crate::report::result::{ChunkCountRecord, LatencyKey, LatencyRecord, RunResult};
use maud::{Markup, html};

/// The section's tables; `None` when the run streamed nothing.
pub fn streaming(r: &RunResult) -> Option<Markup> {
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
    let rows = |figures: [(&str, &Vec<LatencyRecord>); 3]| {
        html! {
            @for (figure, records) in figures {
                @for record in records { (latency_row(record, figure)) }
            }
        }
    };
    let (operation_rows, turn_rows) = (rows(operations), rows(turns));
    Some(html! {
        (table(&LATENCY_COLUMNS, operation_rows))
        h3 { "Streaming per conversation × turn" }
        div.tall { (table(&LATENCY_COLUMNS, turn_rows)) }
        (chunks(&l.chunks))
    })
}

fn chunks(records: &[ChunkCountRecord]) -> Markup {
    if records.is_empty() {
        return html! {};
    }
    let rows = html! {
        @for record in records {
            @let name = match &record.key {
                LatencyKey::Operation { operation } => operation.as_str().to_string(),
                LatencyKey::Turn {
                    suite,
                    conversation,
                    turn,
                } => format!("{suite} › {conversation} › turn {turn}"),
                LatencyKey::Tag { tag, operation } => format!("tag {tag} › {}", operation.as_str()),
            };
            @let c = &record.counts;
            @let mean = c.mean();
            tr {
                td { (visible(&name)) }
                (num(c.responses, c.responses.to_string()))
                // Sorted by hundredths, so 3.25 and 3.3 order right.
                (num((mean * 100.0).round() as u64, format!("{mean:.1}")))
                (num(c.min, c.min.to_string()))
                (num(c.max, c.max.to_string()))
            }
        }
    };
    html! {
        h3 { "Messages per streamed response (END_OF_RESPONSE included)" }
        (table(&["operation / turn", "responses", "mean", "min", "max"], rows))
    }
}
