//! Tracing of the client's exchanges: what one request and its response looked like on
//! the wire ([`Exchange`]), collected while the call runs ([`Tap`]) and handed to an
//! [`ExchangeObserver`] (the trace file, the `-vv` terminal view) when it ends.
//!
//! Owns what a trace may hold: credentials are redacted (the `Authorization` and
//! `Proxy-Authorization` headers whole, the API key and proxy password anywhere through
//! the client's [`Scrubber`]), bodies are cut at the response limit and each streamed
//! message's strings at the chunk-text limit. It never writes or prints anything itself:
//! the observer decides where an exchange goes. Costs nothing when no observer is set.

use crate::api::scrub::{REDACTED, Scrubber};
use crate::common::wire::Chunk;
use http::HeaderMap;
use http::header::{AUTHORIZATION, PROXY_AUTHORIZATION};
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

/// Bytes kept past the limit until scrubbing: longer than any key convoy accepts.
const SCRUB_SLACK: usize = 4096;

/// Receives every exchange of a run, from any task or worker thread.
pub trait ExchangeObserver: Send + Sync {
    fn observe(&self, exchange: Exchange);
}

/// The observers of a client (a trace file, the terminal), shared by every clone.
#[derive(Clone)]
pub struct TraceHook {
    observers: Arc<[Arc<dyn ExchangeObserver>]>,
    /// Characters of one string inside a streamed message kept in a trace.
    pub max_text_chars: usize,
}

impl std::fmt::Debug for TraceHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TraceHook")
            .field("observers", &self.observers.len())
            .finish()
    }
}

impl TraceHook {
    /// A hook calling each of `observers`; `None` when there are none, so the client's
    /// hot path stays a single `Option` check.
    pub fn of(observers: Vec<Arc<dyn ExchangeObserver>>, max_text_chars: usize) -> Option<Self> {
        (!observers.is_empty()).then(|| TraceHook {
            observers: observers.into(),
            max_text_chars,
        })
    }

    fn deliver(&self, exchange: Exchange) {
        let Some((last, rest)) = self.observers.split_last() else {
            return;
        };
        for observer in rest {
            observer.observe(exchange.clone());
        }
        last.observe(exchange);
    }
}

/// One request and what came back, redacted and bounded.
#[derive(Debug, Clone, PartialEq)]
pub struct Exchange {
    pub started_at: SystemTime,
    pub method: &'static str,
    /// The URL without userinfo, secrets scrubbed.
    pub url: String,
    pub request_headers: Vec<(String, String)>,
    pub request_body: Vec<u8>,
    /// `None` when no response head arrived (connect error, timeout before the head).
    pub response: Option<TracedResponse>,
    /// Why the call failed, when it did (scrubbed).
    pub error: Option<String>,
    /// From handing the request to the pool until the response head arrived.
    pub wait: Duration,
    /// From the head until the last byte read (or the failure).
    pub receive: Duration,
}

/// A response as traced.
#[derive(Debug, Clone, PartialEq)]
pub struct TracedResponse {
    pub status: u16,
    /// `HTTP/1.1`, `HTTP/2`.
    pub http_version: &'static str,
    pub headers: Vec<(String, String)>,
    /// The body as received, scrubbed, cut at the response-bytes limit.
    pub body: Vec<u8>,
    /// Bytes received in all (more than `body.len()` when it was cut).
    pub body_size: usize,
    /// Whether `body` is only the start of what was received.
    pub truncated: bool,
    /// Streamed responses: each decoded message with its arrival offset.
    pub messages: Vec<TracedMessage>,
}

/// One streamed message and when it arrived, from the request start.
#[derive(Debug, Clone, PartialEq)]
pub struct TracedMessage {
    pub offset: Duration,
    /// The message's chunk as JSON, long strings cut.
    pub chunk: Value,
}

/// What one call is collecting for its [`Exchange`], from the request to the last byte.
pub(crate) struct Tap {
    hook: TraceHook,
    scrub: Scrubber,
    byte_limit: usize,
    started: Instant,
    exchange: Exchange,
    head_at: Option<Instant>,
}

impl Tap {
    /// Starts collecting a POST of `body` to `url` with `headers`.
    pub fn start(
        hook: &TraceHook,
        scrub: &Scrubber,
        byte_limit: usize,
        url: &str,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Tap {
        let url = crate::api::endpoint::strip_userinfo(url);
        Tap {
            hook: hook.clone(),
            scrub: scrub.clone(),
            byte_limit,
            started: Instant::now(),
            exchange: Exchange {
                started_at: SystemTime::now(),
                method: "POST",
                url: scrub.scrub(url),
                request_headers: redacted_headers(headers, scrub),
                request_body: scrub.scrub_bytes(body).into_owned(),
                response: None,
                error: None,
                wait: Duration::ZERO,
                receive: Duration::ZERO,
            },
            head_at: None,
        }
    }

    /// The response head arrived.
    pub fn head(&mut self, status: u16, http_version: &'static str, headers: &HeaderMap) {
        self.head_at = Some(Instant::now());
        self.exchange.wait = self.started.elapsed();
        self.exchange.response = Some(TracedResponse {
            status,
            http_version,
            headers: redacted_headers(headers, &self.scrub),
            body: Vec::new(),
            body_size: 0,
            truncated: false,
            messages: Vec::new(),
        });
    }

    /// A piece of the body arrived; kept up to the byte limit (and a little past it, so
    /// that a secret crossing the limit is scrubbed whole before the cut), counted past it.
    pub fn body_piece(&mut self, piece: &[u8]) {
        let limit = self.byte_limit.saturating_add(SCRUB_SLACK);
        let Some(response) = &mut self.exchange.response else {
            return;
        };
        response.body_size = response.body_size.saturating_add(piece.len());
        let room = limit.saturating_sub(response.body.len());
        if piece.len() > room {
            response.truncated = true;
        }
        response
            .body
            .extend_from_slice(&piece[..piece.len().min(room)]);
    }

    /// The decoded messages of a streamed response (already capped at the chunk limit).
    pub fn messages(&mut self, chunks: &[Chunk], arrivals: &[Duration]) {
        let max_chars = self.hook.max_text_chars;
        let Some(response) = &mut self.exchange.response else {
            return;
        };
        response.messages = chunks
            .iter()
            .zip(arrivals)
            .map(|(chunk, at)| TracedMessage {
                offset: *at,
                chunk: serde_json::to_value(chunk)
                    .map(|v| cut_strings(v, max_chars))
                    .unwrap_or(Value::Null),
            })
            .collect();
    }

    /// The call ended, with `error` when it failed: the exchange goes to the observers.
    pub fn finish(mut self, error: Option<String>) {
        self.exchange.receive = self.head_at.map_or(Duration::ZERO, |at| at.elapsed());
        if self.head_at.is_none() {
            self.exchange.wait = self.started.elapsed();
        }
        self.exchange.error = error.map(|e| self.scrub.scrub(e));
        if let Some(response) = &mut self.exchange.response {
            // Scrubbed before the cut, so a key crossing the limit leaves no prefix.
            let mut body = self.scrub.scrub_bytes(&response.body).into_owned();
            if body.len() > self.byte_limit {
                body.truncate(self.byte_limit);
                response.truncated = true;
            }
            response.body = body;
        }
        self.hook.deliver(self.exchange);
    }
}

/// Header pairs with credentials replaced by [`REDACTED`] and secrets scrubbed from the
/// others (a header that is not text is shown as its byte count).
fn redacted_headers(headers: &HeaderMap, scrub: &Scrubber) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| {
            let shown = if name == AUTHORIZATION || name == PROXY_AUTHORIZATION {
                REDACTED.to_string()
            } else {
                match value.to_str() {
                    Ok(text) => scrub.scrub(text.to_string()),
                    Err(_) => format!("<{} bytes, not text>", value.len()),
                }
            };
            (name.as_str().to_string(), shown)
        })
        .collect()
}

/// `value` with every string longer than `max_chars` cut, with a marker of its length.
pub fn cut_strings(value: Value, max_chars: usize) -> Value {
    match value {
        Value::String(text) => Value::String(cut_text(text, max_chars)),
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|v| cut_strings(v, max_chars))
                .collect(),
        ),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, cut_strings(v, max_chars)))
                .collect(),
        ),
        other => other,
    }
}

fn cut_text(text: String, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        None => text,
        Some((at, _)) => {
            let total = text.chars().count();
            format!("{}… [cut: {total} chars]", &text[..at])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;
    use std::sync::Mutex;

    struct Keep(Mutex<Vec<Exchange>>);
    impl ExchangeObserver for Keep {
        fn observe(&self, exchange: Exchange) {
            self.0.lock().unwrap().push(exchange);
        }
    }

    const KEY: &str = "IST.0123456789abcdef0123456789abcdef";

    fn tap(keep: &Arc<Keep>, limit: usize) -> Tap {
        let hook = TraceHook::of(vec![keep.clone() as Arc<dyn ExchangeObserver>], 20).unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, HeaderValue::from_static(KEY));
        headers.insert(
            "x-echo",
            HeaderValue::from_str(&format!("k={KEY}")).unwrap(),
        );
        let proxy = HeaderValue::from_static("Basic dXNlcjpwcm94eS1wYXNzd29yZA==");
        headers.insert(PROXY_AUTHORIZATION, proxy);
        let scrub = Scrubber::new(Some(KEY));
        let body = format!("{{\"text\":\"{KEY}\"}}");
        Tap::start(
            &hook,
            &scrub,
            limit,
            "http://user:pw@h/x",
            &headers,
            body.as_bytes(),
        )
    }

    #[test]
    fn credentials_and_the_key_are_redacted_everywhere() {
        let keep = Arc::new(Keep(Mutex::new(Vec::new())));
        let mut tap = tap(&keep, 1024);
        tap.head(200, "HTTP/1.1", &HeaderMap::new());
        tap.body_piece(format!("echo {KEY}").as_bytes());
        tap.finish(Some(format!("failed with {KEY}")));
        let exchange = keep.0.lock().unwrap().pop().unwrap();
        let all = format!("{exchange:?}");
        assert!(!all.contains(KEY), "{all}");
        assert!(!all.contains("pw@"), "{all}");
        assert_eq!(exchange.request_headers[0].1, REDACTED);
        assert_eq!(exchange.request_headers[1].1, "k=<redacted>");
        assert_eq!(exchange.request_headers[2].1, REDACTED);
        assert!(!all.contains("dXNlcjpwcm94eS1wYXNzd29yZA"), "{all}");
    }

    #[test]
    fn a_body_past_the_limit_is_cut_and_its_size_kept() {
        let keep = Arc::new(Keep(Mutex::new(Vec::new())));
        let mut tap = tap(&keep, 10);
        tap.head(200, "HTTP/2", &HeaderMap::new());
        tap.body_piece(b"0123456");
        tap.body_piece(b"789abcdef");
        tap.finish(None);
        let response = keep.0.lock().unwrap().pop().unwrap().response.unwrap();
        assert_eq!(response.body, b"0123456789");
        assert_eq!(response.body_size, 16);
        assert!(response.truncated);
    }

    #[test]
    fn long_strings_in_messages_are_cut_with_their_length() {
        let value = serde_json::json!({"a": ["x".repeat(30)], "b": "short"});
        let cut = cut_strings(value, 20);
        assert_eq!(cut["a"][0], format!("{}… [cut: 30 chars]", "x".repeat(20)));
        assert_eq!(cut["b"], "short");
    }
}
