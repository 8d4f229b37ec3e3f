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
