//! Incremental decoding of a streamed response body (docs/wire-format.md, "Streamed responses"): a JSON
//! array streamed element by element, NDJSON, or server-sent events, chosen by
//! `Content-Type` and the first non-space byte.
//!
//! Owns framing only: bytes in, complete [`StreamMessage`]s out, as soon as each one is
//! whole (so time-to-first-chunk is measurable). It never buffers more than the message in
//! progress, and knows nothing of HTTP or of what the messages mean (END_OF_RESPONSE is the
//! client's business). Every scanner works on bytes: a UTF-8 sequence never contains an
//! ASCII byte, so a chunk split inside a character cannot be mistaken for structure.

use crate::api::scrub::Scrubber;
use crate::common::wire::StreamMessage;
use std::collections::VecDeque;

/// The largest single message accepted by default; a larger one is an error, not an OOM.
pub const MAX_MESSAGE_BYTES: usize = 16 * 1024 * 1024;

/// How the messages of a stream are framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// `[{...},{...}]`, decoded element by element.
    Array,
    /// One message object per line.
    Ndjson,
    /// `data: {...}` lines, events separated by blank lines.
    Sse,
}

impl Framing {
    pub fn as_str(self) -> &'static str {
        match self {
            Framing::Array => "json array",
            Framing::Ndjson => "ndjson",
            Framing::Sse => "sse",
        }
    }
}

/// Why a stream could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StreamError {
    /// The first byte fits none of the framings.
    #[error("unrecognised stream framing: the body starts with {0:?}")]
    UnknownFraming(char),
    /// Bytes that are not a message of the framing.
    #[error("malformed {} stream: {message}", framing.as_str())]
    Malformed { framing: Framing, message: String },
    /// A message larger than the limit.
    #[error("a streamed message exceeds {limit} bytes")]
    TooLarge { limit: usize },
    /// The body ended in the middle of a message (or before the array was closed).
    #[error("the stream ended early: {reason}")]
    Truncated { reason: String },
}

/// Where the array scanner is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ArrayState {
    /// Before `[`.
    Open,
    /// Expecting an element (or `]` when no comma precedes).
    Element { after_comma: bool },
    /// Inside an element that started at `start`.
    InValue,
    /// After an element: `,` or `]`.
    AfterValue,
    /// After `]`: only whitespace may follow.
    Closed,
}

/// String/escape state and nesting depth of the element in progress.
#[derive(Debug, Clone, Copy)]
struct ArrayScan {
    state: ArrayState,
    start: usize,
    depth: u32,
    in_string: bool,
    escape: bool,
}

/// Decodes a streamed body fed in slices of any size; see the module docs.
/// After an error the decoder's state is unspecified: stop using it.
#[derive(Debug)]
pub struct StreamDecoder {
    framing: Option<Framing>,
    limit: usize,
    /// Bytes not yet consumed; always starts at the message (or line) in progress.
    buf: Vec<u8>,
    /// Where scanning resumes in `buf` (bytes before it were already looked at).
    scan: usize,
    array: ArrayScan,
    /// SSE: the `data` lines of the event in progress, joined with `\n`.
    sse_data: Vec<u8>,
    sse_has_data: bool,
    ready: VecDeque<StreamMessage>,
    scrub: Scrubber,
}

impl StreamDecoder {
    /// A decoder for a body with this `Content-Type` (if any).
    pub fn new(content_type: Option<&str>) -> StreamDecoder {
        StreamDecoder::with_limit(content_type, MAX_MESSAGE_BYTES)
    }

    /// Like [`StreamDecoder::new`] with a different per-message size limit.
    pub fn with_limit(content_type: Option<&str>, limit: usize) -> StreamDecoder {
        StreamDecoder {
            framing: content_type.and_then(framing_of_content_type),
            limit,
            buf: Vec::new(),
            scan: 0,
            array: ArrayScan {
                state: ArrayState::Open,
                start: 0,
                depth: 0,
                in_string: false,
                escape: false,
            },
            sse_data: Vec::new(),
            sse_has_data: false,
            ready: VecDeque::new(),
            scrub: Scrubber::default(),
        }
    }

    /// The same decoder, removing `scrub`'s secret from every message before decoding it.
    pub fn scrubbing(mut self, scrub: Scrubber) -> StreamDecoder {
        self.scrub = scrub;
        self
    }

    /// The framing in use, once known.
    pub fn framing(&self) -> Option<Framing> {
        self.framing
    }

    /// Feeds the next bytes of the body; complete messages become available from
    /// [`StreamDecoder::next_message`].
    pub fn push(&mut self, bytes: &[u8]) -> Result<(), StreamError> {
        self.buf.extend_from_slice(bytes);
        let framing = match self.framing {
            Some(framing) => framing,
            None => match self.detect()? {
                Some(framing) => framing,
                None => return Ok(()),
            },
        };
        let keep_from = match framing {
            Framing::Array => self.scan_array()?,
            Framing::Ndjson | Framing::Sse => self.scan_lines(framing)?,
        };
        // Drop what is consumed so the buffer only ever holds the message in progress.
        if keep_from > 0 {
            self.buf.drain(..keep_from);
            self.scan -= keep_from;
            self.array.start = self.array.start.saturating_sub(keep_from);
        }
        // Only the element or line in progress is left in the buffer; complete ones were
        // measured as they were cut out, so the same bytes are judged whatever the split.
        if self.buf.len() > self.limit {
            return Err(self.too_large());
        }
        Ok(())
    }

    fn too_large(&self) -> StreamError {
        StreamError::TooLarge { limit: self.limit }
    }

    /// The next complete message, in stream order.
    pub fn next_message(&mut self) -> Option<StreamMessage> {
        self.ready.pop_front()
    }

    /// Ends the body: decodes a last unterminated line or event, and reports a body cut in
    /// the middle of a message (or an array never closed) as [`StreamError::Truncated`].
    pub fn finish(&mut self) -> Result<(), StreamError> {
        let Some(framing) = self.framing else {
            return Err(StreamError::Truncated {
                reason: "the body is empty".into(),
            });
        };
        match framing {
            Framing::Array => match self.array.state {
                ArrayState::Closed => Ok(()),
                ArrayState::InValue => Err(truncated("inside an array element")),
                _ => Err(truncated("before the closing `]` of the array")),
            },
            Framing::Ndjson => {
                let rest = std::mem::take(&mut self.buf);
                self.scan = 0;
                self.ndjson_line(&rest, true)
            }
            Framing::Sse => {
                let rest = std::mem::take(&mut self.buf);
                self.scan = 0;
                // A blank partial line would dispatch as if the event were complete.
                if !rest.is_empty() {
                    self.sse_line(&rest)?;
                }
                self.sse_dispatch(true)
            }
        }
    }

    /// Picks the framing from the first non-space byte, once one has arrived.
    fn detect(&mut self) -> Result<Option<Framing>, StreamError> {
        let Some(at) = self.buf.iter().position(|b| !b.is_ascii_whitespace()) else {
            // Only whitespace so far: nothing is lost by dropping it.
            self.buf.clear();
            return Ok(None);
        };
        // Dropped here too, so that whitespace read with the first field is treated as
        // whitespace read alone (for SSE, `\r\rdata:` would otherwise not be `data`).
        self.buf.drain(..at);
        let framing = match self.buf[0] {
            b'[' => Framing::Array,
            b'{' => Framing::Ndjson,
            // An SSE stream starts with a field name or a comment.
            b'd' | b'e' | b'i' | b'r' | b':' => Framing::Sse,
            other => return Err(StreamError::UnknownFraming(char::from(other))),
        };
        self.framing = Some(framing);
        Ok(Some(framing))
    }

    /// Scans array bytes from `scan`; returns where the unconsumed part starts.
    fn scan_array(&mut self) -> Result<usize, StreamError> {
        let mut a = self.array;
        let mut i = self.scan;
        while i < self.buf.len() {
            let b = self.buf[i];
            match a.state {
                ArrayState::InValue => {
                    if a.in_string {
                        if a.escape {
                            a.escape = false;
                        } else if b == b'\\' {
                            a.escape = true;
                        } else if b == b'"' {
                            a.in_string = false;
                        }
                    } else {
                        match b {
                            b'"' => a.in_string = true,
                            b'{' | b'[' => a.depth += 1,
                            b'}' | b']' => {
                                a.depth = a.depth.saturating_sub(1);
                                if a.depth == 0 {
                                    if i + 1 - a.start > self.limit {
                                        return Err(self.too_large());
                                    }
                                    let message =
                                        parse(&self.scrub, Framing::Array, &self.buf[a.start..=i])?;
                                    self.ready.push_back(message);
                                    a.state = ArrayState::AfterValue;
                                }
                            }
                            _ => {}
                        }
                    }
                }
                _ if b.is_ascii_whitespace() => {}
                ArrayState::Open if b == b'[' => {
                    a.state = ArrayState::Element { after_comma: false };
                }
                ArrayState::Element { .. } if b == b'{' => {
                    a.state = ArrayState::InValue;
                    a.start = i;
                    a.depth = 1;
                    a.in_string = false;
                    a.escape = false;
                }
                ArrayState::Element { after_comma: false } | ArrayState::AfterValue
                    if b == b']' =>
                {
                    a.state = ArrayState::Closed;
                }
                ArrayState::AfterValue if b == b',' => {
                    a.state = ArrayState::Element { after_comma: true };
                }
                state => return Err(unexpected_in_array(state, b)),
            }
            i += 1;
        }
        self.array = a;
        self.scan = i;
        Ok(if a.state == ArrayState::InValue {
            a.start
        } else {
            i
        })
    }
}

fn framing_of_content_type(content_type: &str) -> Option<Framing> {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        "text/event-stream" => Some(Framing::Sse),
        "application/x-ndjson"
        | "application/ndjson"
        | "application/jsonl"
        | "application/x-jsonlines" => Some(Framing::Ndjson),
        // application/json may be an array or NDJSON: the first byte decides.
        _ => None,
    }
}

fn parse(scrub: &Scrubber, framing: Framing, bytes: &[u8]) -> Result<StreamMessage, StreamError> {
    parse_at(scrub, framing, bytes, false)
}

/// Decodes one message; at the end of the body, JSON that stops early means a cut.
/// The message is scrubbed of the API key before it is decoded (see [`Scrubber`]).
fn parse_at(
    scrub: &Scrubber,
    framing: Framing,
    bytes: &[u8],
    at_end: bool,
) -> Result<StreamMessage, StreamError> {
    serde_json::from_slice(&scrub.scrub_bytes(bytes)).map_err(|err| {
        if at_end && err.is_eof() {
            truncated("inside a message")
        } else {
            StreamError::Malformed {
                framing,
                message: err.to_string(),
            }
        }
    })
}

fn truncated(reason: &str) -> StreamError {
    StreamError::Truncated {
        reason: reason.to_string(),
    }
}

fn unexpected_in_array(state: ArrayState, byte: u8) -> StreamError {
    let expected = match state {
        ArrayState::Open => "`[`",
        ArrayState::Element { .. } => "a message object",
        ArrayState::AfterValue => "`,` or `]`",
        ArrayState::Closed => "nothing after the closing `]`",
        ArrayState::InValue => "the rest of the element",
    };
    StreamError::Malformed {
        framing: Framing::Array,
        message: format!("expected {expected}, found {:?}", char::from(byte)),
    }
}

#[path = "stream_lines.rs"]
mod lines;

#[cfg(test)]
#[path = "stream_tests.rs"]
mod tests;
