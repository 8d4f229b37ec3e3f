//! One [`Exchange`] as a HAR 1.2 entry (also each line of the NDJSON format), and the
//! text around the entries of a HAR file. Pure functions: JSON in, JSON out.
//!
//! Custom fields start with `_`, as HAR allows: `_messages` (each streamed message with
//! its arrival offset), `_truncated` (a body cut at `--max-response-bytes`) and `_error`
//! (why the call failed).

use crate::api::trace::{Exchange, TracedResponse};
use base64::Engine;
use serde_json::{Value, json};
use std::time::Duration;

/// The start of a HAR file, up to the first entry.
pub fn log_opening() -> String {
    let creator = json!({"name": "convoy", "version": env!("CARGO_PKG_VERSION")});
    format!("{{\"log\":{{\"version\":\"1.2\",\"creator\":{creator},\"pages\":[],\"entries\":[\n")
}

/// The end of a HAR file: closes the entries and says how many exchanges were left out.
pub fn log_closing(not_traced: u64, limit: usize) -> String {
    let mut out = String::from("\n]");
    if not_traced > 0 {
        let note = Value::String(not_traced_note(not_traced, limit));
        out.push_str(&format!(",\"comment\":{note},\"_notTraced\":{not_traced}"));
    }
    out.push_str("}}\n");
    out
}

/// Why a trace holds fewer exchanges than the run made.
pub fn not_traced_note(not_traced: u64, limit: usize) -> String {
    format!(
        "{not_traced} more exchange(s) were not traced: the trace holds the first {limit} (--trace-limit)"
    )
}

/// The HAR entry of `exchange`.
pub fn entry(exchange: &Exchange) -> Value {
    let http_version = exchange
        .response
        .as_ref()
        .map_or("HTTP/1.1", |r| r.http_version);
    let request = json!({
        "method": exchange.method,
        "url": exchange.url,
        "httpVersion": http_version,
        "cookies": [],
        "headers": headers(&exchange.request_headers),
        "queryString": [],
        "postData": {
            "mimeType": header(&exchange.request_headers, "content-type").unwrap_or("application/json"),
            "text": String::from_utf8_lossy(&exchange.request_body),
        },
        "headersSize": -1,
        "bodySize": exchange.request_body.len(),
    });
    let mut entry = json!({
        "startedDateTime": crate::common::time::rfc3339_utc(exchange.started_at),
        // The sum of the timings, as HAR defines it (`send` is 0).
        "time": ms(exchange.wait) + ms(exchange.receive),
        "request": request,
        "response": response(exchange.response.as_ref()),
        "cache": {},
        "timings": {
            // hyper does not say when the request was written: it is part of `wait`.
            "send": 0.0,
            "wait": ms(exchange.wait),
            "receive": ms(exchange.receive),
        },
    });
    if let (Some(error), Value::Object(map)) = (&exchange.error, &mut entry) {
        map.insert("_error".into(), Value::String(error.clone()));
    }
    entry
}

fn response(response: Option<&TracedResponse>) -> Value {
    let Some(response) = response else {
        // No head arrived: status 0, as browsers record a failed request.
        return json!({
            "status": 0, "statusText": "", "httpVersion": "", "cookies": [], "headers": [],
            "content": {"size": 0, "mimeType": "x-unknown"},
            "redirectURL": "", "headersSize": -1, "bodySize": -1,
        });
    };
    let mime = header(&response.headers, "content-type").unwrap_or("x-unknown");
    let mut content = json!({"size": response.body_size, "mimeType": mime});
    if let Value::Object(map) = &mut content {
        match std::str::from_utf8(&response.body) {
            Ok(text) => map.insert("text".into(), Value::String(text.into())),
            Err(_) => {
                let encoded = base64::engine::general_purpose::STANDARD.encode(&response.body);
                map.insert("encoding".into(), Value::String("base64".into()));
                map.insert("text".into(), Value::String(encoded))
            }
        };
        if response.truncated {
            map.insert("_truncated".into(), Value::Bool(true));
        }
    }
    let messages: Vec<Value> = response
        .messages
        .iter()
        .map(|m| json!({"offsetMs": ms(m.offset), "chunk": m.chunk}))
        .collect();
    let status_text = http::StatusCode::from_u16(response.status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    let mut value = json!({
        "status": response.status,
        "statusText": status_text,
        "httpVersion": response.http_version,
        "cookies": [],
        "headers": headers(&response.headers),
        "content": content,
        "redirectURL": "",
        "headersSize": -1,
        "bodySize": response.body_size,
    });
    if let (false, Value::Object(map)) = (messages.is_empty(), &mut value) {
        map.insert("_messages".into(), Value::Array(messages));
    }
    value
}

fn headers(pairs: &[(String, String)]) -> Vec<Value> {
    pairs
        .iter()
        .map(|(name, value)| json!({"name": name, "value": value}))
        .collect()
}

fn header<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Milliseconds with microsecond precision, as HAR's timings are.
fn ms(duration: Duration) -> f64 {
    duration.as_micros() as f64 / 1000.0
}
