//! The transcripts of passing conversations for `convoy run -v` (failing ones are shown
//! by the Failures section): each turn's user message and the assistant's chunks, as the
//! run recorded them (chunk text already cut at `--max-chunk-text`). Renders text only;
//! text from suites and the API is made visible, never interpreted.

use crate::report::console::{run_name, sanitize};
use crate::report::result::{ConversationRecord, RunResult, VerdictName};
use std::fmt::Write;

/// The transcripts of `result`'s passing conversations; empty when none passed.
pub fn passing_transcripts(result: &RunResult) -> String {
    let mut out = String::new();
    let passed = result
        .conversations
        .iter()
        .filter(|c| c.verdict == VerdictName::Passed);
    for conversation in passed {
        if out.is_empty() {
            out.push_str("\nTranscripts (passed)\n");
        }
        render_transcript(&mut out, conversation);
    }
    out
}

fn render_transcript(out: &mut String, conversation: &ConversationRecord) {
    let _ = writeln!(
        out,
        "\n{} › {}",
        sanitize(&conversation.suite),
        run_name(conversation)
    );
    if conversation.summarized {
        out.push_str("  (summarized: the run kept no transcript of it)\n");
        return;
    }
    for turn in &conversation.turns {
        let _ = writeln!(out, "  turn {} · {}", turn.turn, turn.operation.as_str());
        if let Some(user) = &turn.user {
            let _ = writeln!(out, "    user: {}", sanitize(user));
        }
        for chunk in &turn.chunks {
            match &chunk.text {
                Some(text) => {
                    let _ = writeln!(out, "    {}: {}", sanitize(&chunk.kind), sanitize(text));
                }
                None => {
                    let _ = writeln!(out, "    {}", sanitize(&chunk.kind));
                }
            }
        }
    }
}
