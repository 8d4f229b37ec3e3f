//! The incremental stream decoder (`convoy::api::stream::StreamDecoder`, every framing):
//! never panics, and gives the same messages — or the same error — however the body is
//! split, as the `any_split_decodes_like_the_whole` proptest checks on valid bodies.
//!
//! Input layout: byte 0 picks the `Content-Type` (none, JSON, NDJSON, SSE, other); byte 1
//! the number of cuts (0–16); then two bytes per cut (little-endian, taken modulo the body
//! length + 1); the rest is the body.
#![no_main]

use convoy::api::stream::{StreamDecoder, StreamError};
use convoy::common::wire::StreamMessage;
use libfuzzer_sys::fuzz_target;

const CONTENT_TYPES: [Option<&str>; 5] = [
    None,
    Some("application/json"),
    Some("application/x-ndjson"),
    Some("text/event-stream; charset=utf-8"),
    Some("application/octet-stream"),
];

/// Small enough that fuzzed messages reach it, so the size limit is exercised too.
const LIMIT: usize = 512;

/// Feeds `pieces` one by one, draining after each, then finishes; stops at the first error.
fn decode<'a>(
    content_type: Option<&str>,
    pieces: impl IntoIterator<Item = &'a [u8]>,
) -> Result<Vec<StreamMessage>, StreamError> {
    let mut decoder = StreamDecoder::with_limit(content_type, LIMIT);
    let mut messages = Vec::new();
    for piece in pieces {
        decoder.push(piece)?;
        messages.extend(std::iter::from_fn(|| decoder.next_message()));
    }
    decoder.finish()?;
    messages.extend(std::iter::from_fn(|| decoder.next_message()));
    Ok(messages)
}

/// The same messages, or the same error: a decoder that judged the bytes differently
/// depending on where reads ended would be wrong on a real network.
fn same(
    whole: &Result<Vec<StreamMessage>, StreamError>,
    other: &Result<Vec<StreamMessage>, StreamError>,
    how: &str,
) {
    assert_eq!(
        whole, other,
        "{how} decodes differently from the whole body"
    );
}

fuzz_target!(|data: &[u8]| {
    let content_type = CONTENT_TYPES[usize::from(data.first().copied().unwrap_or(0)) % 5];
    let cut_count = usize::from(data.get(1).copied().unwrap_or(0)) % 17;
    let header = (2 + 2 * cut_count).min(data.len());
    let body = &data[header..];
    let mut cuts: Vec<usize> = data[2.min(header)..header]
        .chunks(2)
        .map(|c| {
            usize::from(u16::from_le_bytes([c[0], *c.get(1).unwrap_or(&0)])) % (body.len() + 1)
        })
        .collect();
    cuts.sort_unstable();
    let mut pieces = Vec::with_capacity(cuts.len() + 1);
    let mut from = 0;
    for cut in cuts {
        pieces.push(&body[from..cut]);
        from = cut;
    }
    pieces.push(&body[from..]);
    let whole = decode(content_type, [body]);
    same(&whole, &decode(content_type, pieces), "a split body");
    // The hardest split: one byte at a time (bounded, to keep executions fast).
    if body.len() <= 2048 {
        same(
            &whole,
            &decode(content_type, body.chunks(1)),
            "byte by byte",
        );
    }
});
