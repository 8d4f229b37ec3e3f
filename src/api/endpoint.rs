//! The method URLs of the API under one base URL (docs/wire-format.md, "Base URL and endpoints"): the base is
//! validated once, and a per-request URI is one pre-sized string and a cheap parse.

use crate::api::error::{ApiError, ConfigError};
use http::Uri;
use std::net::IpAddr;

/// One API method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint<'a> {
    /// Create Interactive Form Session: the base URL itself.
    Create,
    /// Send User Message: `{base}/{id}/send-user-message`.
    Send { session_id: &'a str },
    /// Create Interactive Form Session Streamed: `{base}/create-streamed`.
    CreateStreamed,
    /// Send User Message Streamed: `{base}/{id}/send-user-message-streamed`.
    SendStreamed { session_id: &'a str },
    /// Generate Form Summary: `{base}/generate-form-summary` (not session-based).
    Summary,
}

impl Endpoint<'_> {
    /// The short name used in errors and metrics.
    pub fn name(&self) -> &'static str {
        match self {
            Endpoint::Create => "create",
            Endpoint::Send { .. } => "send",
            Endpoint::CreateStreamed => "create_streamed",
            Endpoint::SendStreamed { .. } => "send_streamed",
            Endpoint::Summary => "summary",
        }
    }
}

/// The send URIs of one session, built once for all its turns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionUris {
    pub send: Uri,
    pub send_streamed: Uri,
}

/// The validated base URL, with its create URLs parsed once.
#[derive(Debug, Clone)]
pub struct BaseUrl {
    /// Without a trailing `/`, so method paths are appended with one.
    base: String,
    create: Uri,
    create_streamed: Uri,
    summary: Uri,
}

impl BaseUrl {
    /// Accepts an absolute `http` or `https` URL without query or fragment; a trailing `/`
    /// is dropped.
    pub fn parse(raw: &str) -> Result<BaseUrl, ConfigError> {
        let invalid = |reason: &str| ConfigError::InvalidBaseUrl {
            url: strip_userinfo(raw),
            reason: reason.to_string(),
        };
        let url: Uri = raw
            .trim()
            .parse()
            .map_err(|e: http::uri::InvalidUri| invalid(&e.to_string()))?;
        if !matches!(url.scheme_str(), Some("http" | "https")) {
            return Err(invalid("the scheme must be http or https"));
        }
        // `Uri` drops a fragment silently; the raw text still shows it.
        if url.query().is_some() || raw.contains('#') {
            return Err(invalid(
                "method paths are appended to it, so it cannot have a query or fragment",
            ));
        }
        if url.host().is_none_or(str::is_empty) {
            return Err(invalid("it needs a host"));
        }
        let base = url.to_string().trim_end_matches('/').to_string();
        let create = parse_uri(&base).map_err(|e| invalid(&e))?;
        let create_streamed =
            parse_uri(&format!("{base}/create-streamed")).map_err(|e| invalid(&e))?;
        let summary =
            parse_uri(&format!("{base}/generate-form-summary")).map_err(|e| invalid(&e))?;
        Ok(BaseUrl {
            base,
            create,
            create_streamed,
            summary,
        })
    }

    /// The base URL as used, without a trailing `/`.
    pub fn as_str(&self) -> &str {
        &self.base
    }

    /// The create URI: the base itself.
    pub(crate) fn base_uri(&self) -> &Uri {
        &self.create
    }

    /// Whether the host is `localhost` or a loopback address (the embedded mock).
    pub fn is_loopback(&self) -> bool {
        match self.create.host() {
            Some(host) if host.eq_ignore_ascii_case("localhost") => true,
            Some(host) => host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<IpAddr>()
                .is_ok_and(|ip| ip.is_loopback()),
            None => false,
        }
    }

    /// The URL of `endpoint`. Fails only for a session id that cannot be a path segment.
    pub fn url(&self, endpoint: Endpoint<'_>) -> Result<Uri, ApiError> {
        match endpoint {
            Endpoint::Create => Ok(self.create.clone()),
            Endpoint::Send { session_id } => self.session_url(session_id, "send-user-message"),
            Endpoint::CreateStreamed => Ok(self.create_streamed.clone()),
            Endpoint::SendStreamed { session_id } => {
                self.session_url(session_id, "send-user-message-streamed")
            }
            Endpoint::Summary => Ok(self.summary.clone()),
        }
    }

    /// Both send URIs of session `session_id`.
    pub fn session_uris(&self, session_id: &str) -> Result<SessionUris, ApiError> {
        Ok(SessionUris {
            send: self.session_url(session_id, "send-user-message")?,
            send_streamed: self.session_url(session_id, "send-user-message-streamed")?,
        })
    }

    fn session_url(&self, session_id: &str, method: &str) -> Result<Uri, ApiError> {
        // "." and ".." would be resolved as dot segments, even percent-encoded, and an empty
        // id would name another path: refuse them rather than post somewhere else.
        if matches!(session_id, "" | "." | "..") {
            return Err(ApiError::InvalidSessionId {
                id: session_id.to_string(),
            });
        }
        let mut url =
            String::with_capacity(self.base.len() + session_id.len() * 3 + method.len() + 2);
        url.push_str(&self.base);
        url.push('/');
        push_path_segment(&mut url, session_id);
        url.push('/');
        url.push_str(method);
        Uri::try_from(url).map_err(|_| ApiError::InvalidSessionId {
            id: session_id.to_string(),
        })
    }
}

fn parse_uri(text: &str) -> Result<Uri, String> {
    text.parse()
        .map_err(|e: http::uri::InvalidUri| e.to_string())
}

/// Appends `segment` percent-encoded: every byte but the RFC 3986 unreserved characters.
fn push_path_segment(out: &mut String, segment: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &byte in segment.as_bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
    }
}

/// `http://user:pass@host/` → `http://host/`: credentials in a URL are still credentials.
pub fn strip_userinfo(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://{}", &rest[at + 1..]),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "0f3e5b8a-7c2d-4e91-b6a4-2d9c8e1f7a35";

    #[test]
    fn create_is_the_base_itself_and_send_appends() {
        for raw in [
            "http://127.0.0.1:9/api/v1/sessions",
            "http://127.0.0.1:9/api/v1/sessions/",
        ] {
            let base = BaseUrl::parse(raw).unwrap();
            assert_eq!(
                base.url(Endpoint::Create).unwrap().to_string(),
                "http://127.0.0.1:9/api/v1/sessions"
            );
            assert_eq!(
                base.url(Endpoint::Send { session_id: ID })
                    .unwrap()
                    .to_string(),
                format!("http://127.0.0.1:9/api/v1/sessions/{ID}/send-user-message")
            );
        }
        let base = BaseUrl::parse("http://127.0.0.1:9/x/").unwrap();
        assert_eq!(
            base.url(Endpoint::CreateStreamed).unwrap().to_string(),
            "http://127.0.0.1:9/x/create-streamed"
        );
        assert_eq!(
            base.url(Endpoint::SendStreamed { session_id: ID })
                .unwrap()
                .to_string(),
            format!("http://127.0.0.1:9/x/{ID}/send-user-message-streamed")
        );
        let root = BaseUrl::parse("http://localhost:8080").unwrap();
        assert_eq!(
            root.url(Endpoint::Create).unwrap().to_string(),
            "http://localhost:8080/"
        );
        assert_eq!(
            root.url(Endpoint::Send { session_id: "s1" })
                .unwrap()
                .to_string(),
            "http://localhost:8080/s1/send-user-message"
        );
    }

    #[test]
    fn session_ids_are_percent_encoded() {
        let base = BaseUrl::parse("https://example.com/x").unwrap();
        let url = base
            .url(Endpoint::Send {
                session_id: "a/b?c#d %é",
            })
            .unwrap();
        assert_eq!(
            url.to_string(),
            "https://example.com/x/a%2Fb%3Fc%23d%20%25%C3%A9/send-user-message"
        );
        let dotted = base.url(Endpoint::Send { session_id: "a..b" }).unwrap();
        assert_eq!(dotted.path(), "/x/a..b/send-user-message");
        for bad in ["", ".", ".."] {
            let err = base.url(Endpoint::Send { session_id: bad }).unwrap_err();
            assert!(matches!(err, ApiError::InvalidSessionId { .. }), "{bad:?}");
        }
    }

    #[test]
    fn knows_loopback_hosts() {
        for local in [
            "http://localhost:1/x",
            "http://127.0.0.1:1",
            "http://[::1]:8080/",
        ] {
            assert!(BaseUrl::parse(local).unwrap().is_loopback(), "{local}");
        }
        assert!(
            !BaseUrl::parse(crate::api::client::DEFAULT_BASE_URL)
                .unwrap()
                .is_loopback()
        );
    }

    #[test]
    fn rejects_unusable_bases() {
        for bad in [
            "not a url",
            "ftp://example.com/x",
            "https://example.com/x?a=1",
            "https://example.com/#f",
            "mailto:a@b.c",
        ] {
            assert!(BaseUrl::parse(bad).is_err(), "{bad}");
        }
    }
}
