//! The transcript `convoy record` writes beside a suite (`SUITE.transcript.json`) for
//! `convoy mock --replay`: every request of every conversation that ran, with its input,
//! the chunks that came back and the latency. Pure: results in, a value out.

use crate::mock::replay::{TRANSCRIPT_VERSION, Transcript, TranscriptConversation, TranscriptTurn};
use crate::runner::outcome::{ConversationResult, Operation};
use crate::suite::Suite;
use std::path::{Path, PathBuf};

/// `dir/contact.yaml` → `dir/contact.transcript.json`.
pub fn transcript_path(suite: &Path) -> PathBuf {
    let stem = suite
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    suite.with_file_name(format!("{stem}.transcript.json"))
}

/// The requests of `suite`'s conversations in `results` (the first run of each), up to
/// the first failed request: an error reply is not an answer worth replaying.
pub fn transcript(suite: &Suite, form_id: &str, results: &[ConversationResult]) -> Transcript {
    let mut conversations = Vec::new();
    for conversation in &suite.conversations {
        let Some(result) = results
            .iter()
            .find(|r| r.loc == conversation.loc && r.conversation == conversation.name)
        else {
            continue;
        };
        let turns = result
            .turns
            .iter()
            .take_while(|t| t.error.is_none())
            .map(|t| {
                let current_values = match t.operation {
                    Operation::Create => conversation.prefill.clone(),
                    Operation::Send => conversation
                        .turns
                        .get(t.turn.wrapping_sub(1))
                        .and_then(|turn| turn.current_values.clone()),
                };
                TranscriptTurn {
                    turn: t.turn,
                    input: t.user.clone().filter(|u| !u.is_empty()),
                    current_values,
                    chunks: t.chunks.clone(),
                    latency_ms: t.latency.as_secs_f64() * 1000.0,
                }
            })
            .collect();
        conversations.push(TranscriptConversation {
            name: conversation.name.clone(),
            turns,
        });
    }
    Transcript {
        version: TRANSCRIPT_VERSION,
        form_id: form_id.to_owned(),
        conversations,
    }
}
