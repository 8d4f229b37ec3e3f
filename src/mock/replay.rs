//! Replay of recorded transcripts: `convoy record` writes `SUITE.transcript.json` (per
//! conversation, per request: input, current values, the chunks that came back and the
//! latency), and `convoy mock --replay DIR` answers a request from it when the form id,
//! the turn index (0 = create) and the input (text and current values) match exactly.
//! Anything else is answered by the simulator, which always runs so the session state
//! stays consistent for later turns.
//!
//! Owns the transcript format and the lookup; must not decide when to sleep or how to
//! frame a response (the handlers do).

use crate::common::chunk::Chunk;
use crate::common::wire::Values;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

/// The version of the transcript format this build reads and writes.
pub const TRANSCRIPT_VERSION: u32 = 1;

/// One suite's recorded requests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transcript {
    pub version: u32,
    pub form_id: String,
    pub conversations: Vec<TranscriptConversation>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TranscriptConversation {
    pub name: String,
    pub turns: Vec<TranscriptTurn>,
}

/// One request: `turn` 0 is the create (its `current_values` are the prefill).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TranscriptTurn {
    pub turn: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_values: Option<Values>,
    pub chunks: Vec<Chunk>,
    pub latency_ms: f64,
}

/// What makes two requests "the same" for replay.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    form_id: String,
    turn: usize,
    input: String,
    /// Canonical JSON (serde_json maps are sorted), so key order in a suite is irrelevant.
    current_values: String,
}

impl Key {
    fn new(form_id: &str, turn: usize, input: Option<&str>, values: Option<&Values>) -> Key {
        Key {
            form_id: form_id.to_lowercase(),
            turn,
            input: input.unwrap_or_default().to_owned(),
            current_values: values
                .filter(|v| !v.is_empty())
                .and_then(|v| serde_json::to_string(v).ok())
                .unwrap_or_default(),
        }
    }
}

/// Recorded answers, by request; the first recording of a request wins.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Replay {
    answers: HashMap<Key, (Vec<Chunk>, Duration)>,
    /// Sleep the recorded latency before answering (`--replay-latency`).
    pub latency: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is not a convoy transcript: {message}")]
    Format { path: String, message: String },
    #[error("no *.transcript.json files in {0} (convoy record writes them beside each suite)")]
    Empty(String),
}

impl Replay {
    pub fn from_transcripts(transcripts: &[Transcript]) -> Replay {
        let mut replay = Replay::default();
        for t in transcripts {
            for turn in t.conversations.iter().flat_map(|c| &c.turns) {
                let key = Key::new(
                    &t.form_id,
                    turn.turn,
                    turn.input.as_deref(),
                    turn.current_values.as_ref(),
                );
                let latency = Duration::from_secs_f64(turn.latency_ms.max(0.0) / 1000.0);
                replay
                    .answers
                    .entry(key)
                    .or_insert_with(|| (turn.chunks.clone(), latency));
            }
        }
        replay
    }

    /// Reads every `*.transcript.json` directly in `dir`.
    pub fn load_dir(dir: &Path) -> Result<Replay, ReplayError> {
        let label = dir.display().to_string();
        let read_err = |source| ReplayError::Read {
            path: label.clone(),
            source,
        };
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .map_err(read_err)?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.to_string_lossy().ends_with(".transcript.json"))
            .collect();
        paths.sort();
        let mut transcripts = Vec::new();
        for path in &paths {
            let path_label = path.display().to_string();
            let text = std::fs::read_to_string(path).map_err(|source| ReplayError::Read {
                path: path_label.clone(),
                source,
            })?;
            let transcript: Transcript =
                serde_json::from_str(&text).map_err(|e| ReplayError::Format {
                    path: path_label.clone(),
                    message: e.to_string(),
                })?;
            if transcript.version != TRANSCRIPT_VERSION {
                return Err(ReplayError::Format {
                    path: path_label,
                    message: format!("version {} (this convoy reads 1)", transcript.version),
                });
            }
            transcripts.push(transcript);
        }
        if transcripts.is_empty() {
            return Err(ReplayError::Empty(label));
        }
        Ok(Replay::from_transcripts(&transcripts))
    }

    /// The recorded answer to this request, if one was recorded.
    pub fn answer(
        &self,
        form_id: &str,
        turn: usize,
        input: Option<&str>,
        values: Option<&Values>,
    ) -> Option<(&[Chunk], Duration)> {
        self.answers
            .get(&Key::new(form_id, turn, input, values))
            .map(|(chunks, latency)| (chunks.as_slice(), *latency))
    }

    pub fn len(&self) -> usize {
        self.answers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.answers.is_empty()
    }
}
