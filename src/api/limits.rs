//! How much of one response the client will hold: total body bytes and, for streamed
//! responses, the number of messages. A server that sends more gets its request failed
//! with a `too_large` error, so a hostile or broken server cannot grow convoy's memory
//! (or its reports) beyond these, whatever it streams.

/// Caps on one response; both apply to every attempt of every request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseLimits {
    /// Body bytes of one response, streamed or not (default 16 MiB).
    pub max_bytes: usize,
    /// Messages (chunks) of one streamed response (default 10,000; a form assistant's
    /// answer has a handful).
    pub max_chunks: usize,
}

impl Default for ResponseLimits {
    fn default() -> Self {
        ResponseLimits {
            max_bytes: 16 * 1024 * 1024,
            max_chunks: 10_000,
        }
    }
}

/// How many elements the top-level `responseChunks` array of a unary body has, counted
/// without decoding them (`None` when the body is not a JSON object; its decoding will
/// say why). Checked against [`ResponseLimits::max_chunks`] before the body is decoded,
/// so a few megabytes of `{}` elements cannot become millions of chunks in memory.
pub fn unary_chunk_count(body: &[u8]) -> Option<usize> {
    serde_json::from_slice::<ChunkCount>(body)
        .ok()
        .map(|c| c.chunks.0)
}

/// The chunk count of a unary body that has more than `max_chunks` of them, else `None`.
/// Each array element takes at least two bytes (`0,`), so a body shorter than twice the
/// limit cannot be over it: every ordinary reply skips the counting pass.
pub fn too_many_chunks(body: &[u8], max_chunks: usize) -> Option<usize> {
    if body.len() < max_chunks.saturating_mul(2) {
        return None;
    }
    unary_chunk_count(body).filter(|&count| count > max_chunks)
}

#[derive(serde::Deserialize)]
struct ChunkCount {
    #[serde(rename = "responseChunks", default)]
    chunks: Counted,
}

/// A JSON array's length; its elements are skipped, not kept.
#[derive(Default)]
struct Counted(usize);

impl<'de> serde::Deserialize<'de> for Counted {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Counted;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an array")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Counted, A::Error> {
                let mut count = 0usize;
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {
                    count += 1;
                }
                Ok(Counted(count))
            }
        }
        deserializer.deserialize_seq(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::{too_many_chunks, unary_chunk_count};

    #[test]
    fn counts_response_chunks_without_keeping_them() {
        let body = format!(
            r#"{{"a":1,"responseChunks":[{}],"b":[1,2]}}"#,
            ["{}"; 5].join(",")
        );
        assert_eq!(unary_chunk_count(body.as_bytes()), Some(5));
        assert_eq!(unary_chunk_count(br#"{"formSummary":"x"}"#), Some(0));
        assert_eq!(unary_chunk_count(b"[1]"), None);
        assert_eq!(unary_chunk_count(b"{\"responseChunks\":[{}"), None);
    }

    #[test]
    fn only_a_body_long_enough_to_be_over_the_limit_is_counted() {
        let body = |n: usize| format!(r#"{{"responseChunks":[{}]}}"#, ["0"; 1].repeat(n).join(","));
        // 5 elements in 30 bytes: over a limit of 4, and long enough (>= 8 bytes) to count.
        assert_eq!(too_many_chunks(body(5).as_bytes(), 4), Some(5));
        assert_eq!(too_many_chunks(body(4).as_bytes(), 4), None);
        // The shortest body that is over a limit of 4 is still at least 2 × 4 bytes long.
        assert!(body(5).len() >= 2 * 4);
        assert_eq!(too_many_chunks(br#"{"responseChunks":[]}"#, 100), None);
    }
}
