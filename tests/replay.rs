//! `convoy mock --replay`: an exact request match (form id, turn index, input) is answered
//! with the recorded chunks, anything else by the simulator; and `convoy record` writes a
//! transcript that reads back.

mod mock_common;

use convoy::common::chunk::{Chunk, ChunkBody, TextDetails};
use convoy::mock::replay::{
    TRANSCRIPT_VERSION, Transcript, TranscriptConversation, TranscriptTurn,
};
use convoy::mock::{MockConfig, Replay};
use mock_common::*;
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn text(t: &str) -> Chunk {
    Chunk::from(ChunkBody::Text(TextDetails {
        text: t.into(),
        ..TextDetails::default()
    }))
}

fn transcript() -> Transcript {
    let turn = |turn, input: Option<&str>, said: &str| TranscriptTurn {
        turn,
        input: input.map(str::to_owned),
        current_values: None,
        chunks: vec![text(said)],
        latency_ms: 300.0,
    };
    Transcript {
        version: TRANSCRIPT_VERSION,
        form_id: FORM_ID.to_uppercase(),
        conversations: vec![TranscriptConversation {
            name: "recorded".into(),
            turns: vec![
                turn(0, None, "recorded hello"),
                turn(1, Some("Dana"), "recorded reply"),
            ],
        }],
    }
}

fn said(answer: &Answer) -> String {
    answer.body["responseChunks"][0]["textDetails"]["text"]
        .as_str()
        .unwrap_or("")
        .to_owned()
}

/// Exact matches replay (with the recorded latency when asked); the rest is simulated.
#[tokio::test]
async fn exact_matches_replay_and_the_rest_is_simulated() {
    let mut replay = Replay::from_transcripts(&[transcript()]);
    replay.latency = true;
    let mock = start(MockConfig {
        replay: Some(Arc::new(replay)),
        ..MockConfig::default()
    })
    .await;
    let base = mock.base_url();
    let started = Instant::now();
    let (id, created) = create(&base).await;
    assert_eq!(said(&created), "recorded hello");
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "recorded latency slept"
    );
    let url = format!("{base}/{id}/send-user-message");
    let first = post(&url, json!({"input": "Dana"})).await;
    assert_eq!(said(&first), "recorded reply");
    // Same text at another turn index: not the recorded request.
    let second = post(&url, json!({"input": "Dana"})).await;
    assert_ne!(said(&second), "recorded reply");
    assert!(!chunk_types(&second).is_empty());
}

/// A transcript survives JSON: what `convoy record` writes, `--replay` reads.
#[test]
fn transcripts_round_trip() {
    let t = transcript();
    let text = serde_json::to_string(&t).unwrap_or_else(|e| panic!("{e}"));
    let back: Transcript = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back, t);
}
