//! The `-vv` view of one exchange, as text for a terminal: the request line, headers and
//! body, then the status line, headers and body (or each streamed message with its
//! offset). Everything from a server or a suite is made visible (control characters
//! escaped) and each body is cut at [`MAX_SHOWN_BYTES`]. Renders only; the CLI prints.

use crate::api::trace::{Exchange, TracedResponse};
use crate::report::cells::visible;
use std::fmt::Write;

/// Bytes of one body (or one streamed message) shown on the terminal.
pub const MAX_SHOWN_BYTES: usize = 2048;

/// Streamed messages shown per response; the rest are counted.
const MAX_SHOWN_MESSAGES: usize = 50;

/// `exchange` as terminal text, ending with a newline.
pub fn render(exchange: &Exchange) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "> {} {}", exchange.method, visible(&exchange.url));
    write_headers(&mut out, '>', &exchange.request_headers);
    write_body(&mut out, '>', &exchange.request_body);
    match &exchange.response {
        Some(response) => write_response(&mut out, response, exchange),
        None => out.push_str("< (no response)\n"),
    }
    if let Some(error) = &exchange.error {
        let _ = writeln!(out, "! {}", visible(error));
    }
    out
}

fn write_response(out: &mut String, response: &TracedResponse, exchange: &Exchange) {
    let _ = writeln!(
        out,
        "< {} {} · head after {:.1} ms, body after {:.1} ms more",
        response.http_version,
        response.status,
        exchange.wait.as_secs_f64() * 1000.0,
        exchange.receive.as_secs_f64() * 1000.0,
    );
    write_headers(out, '<', &response.headers);
    if response.messages.is_empty() {
        write_body(out, '<', &response.body);
        if response.truncated {
            let _ = writeln!(out, "< (cut: {} bytes received)", response.body_size);
        }
        return;
    }
    for message in response.messages.iter().take(MAX_SHOWN_MESSAGES) {
        let text = message.chunk.to_string();
        let _ = writeln!(
            out,
            "< +{:.1} ms {}",
            message.offset.as_secs_f64() * 1000.0,
            shown(text.as_bytes())
        );
    }
    if response.messages.len() > MAX_SHOWN_MESSAGES {
        let more = response.messages.len() - MAX_SHOWN_MESSAGES;
        let _ = writeln!(out, "< … {more} more message(s)");
    }
}

fn write_headers(out: &mut String, side: char, headers: &[(String, String)]) {
    for (name, value) in headers {
        let _ = writeln!(out, "{side} {}: {}", visible(name), visible(value));
    }
}

fn write_body(out: &mut String, side: char, body: &[u8]) {
    if !body.is_empty() {
        let _ = writeln!(out, "{side}\n{side} {}", shown(body));
    }
}

/// At most [`MAX_SHOWN_BYTES`] of `bytes` (cut on a character boundary), made visible.
fn shown(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(MAX_SHOWN_BYTES)]);
    let mut shown = visible(&text).into_owned();
    if bytes.len() > MAX_SHOWN_BYTES {
        let _ = write!(shown, "… [{} bytes]", bytes.len());
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, SystemTime};

    fn exchange(body: &[u8]) -> Exchange {
        Exchange {
            started_at: SystemTime::now(),
            method: "POST",
            url: "http://h/x".into(),
            request_headers: vec![("authorization".into(), "<redacted>".into())],
            request_body: b"{}".to_vec(),
            response: Some(TracedResponse {
                status: 200,
                http_version: "HTTP/1.1",
                headers: vec![("x-evil".into(), "a\u{1b}[2Jb".into())],
                body: body.to_vec(),
                body_size: body.len(),
                truncated: false,
                messages: Vec::new(),
            }),
            error: None,
            wait: Duration::from_millis(3),
            receive: Duration::ZERO,
        }
    }

    #[test]
    fn server_text_is_escaped_and_bodies_are_cut() {
        let long = "x\u{7}".repeat(MAX_SHOWN_BYTES);
        let text = render(&exchange(long.as_bytes()));
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{text}"
        );
        assert!(text.contains("x-evil: a\\u{1b}[2Jb"), "{text}");
        assert!(text.contains(&format!("[{} bytes]", long.len())), "{text}");
        assert!(text.len() < 3 * MAX_SHOWN_BYTES + 500, "{}", text.len());
    }
}
