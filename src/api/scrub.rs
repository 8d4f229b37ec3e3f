//! [`Scrubber`]: keeps the API key out of everything convoy stores from a server. A
//! server or gateway may echo the `Authorization` header back — in an error body, in a
//! request id, or inside a 200 response's chunk text — and whatever is stored ends up in
//! run.json, junit.xml, report.html and the terminal. So every body is scrubbed as bytes
//! before it is decoded (all fields at once, known or not), and every text as it is kept.
//!
//! Owns the matching only; it never logs or returns the secret.

use memchr::memmem::Finder;
use std::borrow::Cow;
use std::sync::Arc;

/// What a secret is replaced with.
pub const REDACTED: &str = "<redacted>";

/// Removes secrets (the API key, proxy credentials) from server text and bodies.
#[derive(Clone, Default)]
pub struct Scrubber {
    secrets: Arc<[Arc<str>]>,
    /// Each secret as it appears in a body: raw, and JSON-escaped when that differs
    /// (`"`, `\`, control characters, or `/` written as `\/`).
    patterns: Arc<[Finder<'static>]>,
}

/// Never shows the secret, only whether there is one.
impl std::fmt::Debug for Scrubber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scrubber")
            .field("secrets", &self.secrets.len())
            .finish()
    }
}

impl Scrubber {
    /// A scrubber of `secret` (the API key), if there is one.
    pub fn new(secret: Option<&str>) -> Scrubber {
        Scrubber::of(secret.into_iter())
    }

    /// A scrubber of every one of `secrets`. Secrets shorter than
    /// [`MIN_KEY_CHARS`](crate::api::auth::MIN_KEY_CHARS) are not searched for: inside
    /// other text they would match ordinary words (such API keys are refused when read).
    pub fn of<'a>(secrets: impl Iterator<Item = &'a str>) -> Scrubber {
        let mut kept: Vec<&str> = secrets
            .filter(|s| s.chars().count() >= crate::api::auth::MIN_KEY_CHARS)
            .collect();
        // Longest first: a secret containing another is replaced whole.
        kept.sort_by_key(|s| std::cmp::Reverse(s.len()));
        kept.dedup();
        let mut forms: Vec<String> = Vec::new();
        for secret in &kept {
            forms.push(secret.to_string());
            if let Ok(quoted) = serde_json::to_string(secret) {
                let escaped = quoted[1..quoted.len() - 1].to_string();
                forms.push(escaped.replace('/', "\\/"));
                forms.push(escaped);
            }
        }
        let mut seen = std::collections::HashSet::new();
        forms.retain(|f| seen.insert(f.clone()));
        Scrubber {
            secrets: kept.into_iter().map(Arc::from).collect(),
            patterns: forms
                .iter()
                .map(|f| Finder::new(f.as_bytes()).into_owned())
                .collect(),
        }
    }

    /// `text` with every occurrence of a secret replaced by [`REDACTED`].
    pub fn scrub(&self, text: String) -> String {
        let mut text = text;
        for secret in self.secrets.iter() {
            if text.contains(&**secret) {
                text = text.replace(&**secret, REDACTED);
            }
        }
        text
    }

    /// `body` with every occurrence of a secret (raw or JSON-escaped) replaced by
    /// [`REDACTED`], which needs no escaping inside a JSON string; borrowed, without a
    /// copy, when the secret is not there (the usual case).
    pub fn scrub_bytes<'a>(&self, body: &'a [u8]) -> Cow<'a, [u8]> {
        let mut body = Cow::Borrowed(body);
        for pattern in self.patterns.iter() {
            if pattern.find(&body).is_none() {
                continue;
            }
            let mut out = Vec::with_capacity(body.len());
            let mut rest: &[u8] = &body;
            while let Some(at) = pattern.find(rest) {
                out.extend_from_slice(&rest[..at]);
                out.extend_from_slice(REDACTED.as_bytes());
                rest = &rest[at + pattern.needle().len()..];
            }
            out.extend_from_slice(rest);
            body = Cow::Owned(out);
        }
        body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "IST.key/with\"quote";

    #[test]
    fn bodies_lose_the_key_in_every_json_spelling() {
        let scrub = Scrubber::new(Some(KEY));
        let body = br#"{"text":"your key IST.key\/with\"quote and IST.key/with\"quote"}"#;
        let clean = scrub.scrub_bytes(body);
        let text = String::from_utf8_lossy(&clean);
        assert_eq!(text, r#"{"text":"your key <redacted> and <redacted>"}"#);
        assert!(serde_json::from_slice::<serde_json::Value>(&clean).is_ok());
    }

    #[test]
    fn a_body_without_the_key_is_not_copied() {
        let scrub = Scrubber::new(Some("abcdefgh1234"));
        assert!(matches!(scrub.scrub_bytes(b"{\"a\":1}"), Cow::Borrowed(_)));
        let none = Scrubber::new(None);
        assert!(matches!(
            none.scrub_bytes(b"abcdefgh1234"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn every_secret_is_scrubbed() {
        let scrub = Scrubber::of(["proxy-password-1", "api-key-12345678", "short"].into_iter());
        let text = "a proxy-password-1 b api-key-12345678 c short".to_string();
        assert_eq!(scrub.scrub(text), "a <redacted> b <redacted> c short");
        let body = scrub.scrub_bytes(b"proxy-password-1/api-key-12345678");
        assert_eq!(&*body, b"<redacted>/<redacted>");
    }

    #[test]
    fn short_secrets_are_not_searched_inside_words() {
        let scrub = Scrubber::new(Some("oo"));
        assert_eq!(scrub.scrub("lookup".to_string()), "lookup");
        assert_eq!(&*scrub.scrub_bytes(b"lookup"), b"lookup");
    }
}
