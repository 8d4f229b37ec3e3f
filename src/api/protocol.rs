//! Which HTTP versions the client speaks: HTTP/2 and HTTP/1.1 negotiated by ALPN for
//! `https://` targets (HTTP/1.1 for `http://`), or one of them forced (`--http1`,
//! `--http2`; for an `http://` target `--http2` is h2c with prior knowledge). Also how the
//! version a response came in is named in the reports.
//!
//! It owns the TLS connector's ALPN offer and the pool's HTTP/2-only switch; the transport
//! and connector only apply them.

use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder};
use hyper_util::client::legacy;

/// The HTTP versions the transport may use.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum HttpVersions {
    /// `https://`: ALPN offers `h2` and `http/1.1`, the server picks; `http://`: HTTP/1.1.
    #[default]
    Negotiate,
    /// HTTP/1.1 only (`--http1`): ALPN offers `http/1.1` alone.
    Http1,
    /// HTTP/2 only (`--http2`): ALPN offers `h2` alone over TLS; h2c with prior knowledge
    /// (no upgrade round trip) for `http://`.
    Http2,
}

impl HttpVersions {
    /// The versions `--http1` and `--http2` ask for (clap makes them exclusive).
    pub fn from_flags(http1: bool, http2: bool) -> HttpVersions {
        match (http1, http2) {
            (true, _) => HttpVersions::Http1,
            (false, true) => HttpVersions::Http2,
            (false, false) => HttpVersions::Negotiate,
        }
    }

    /// How run.json records the choice: `http1`, `http2`, or empty when negotiated.
    pub fn recorded(self) -> &'static str {
        match self {
            HttpVersions::Negotiate => "",
            HttpVersions::Http1 => "http1",
            HttpVersions::Http2 => "http2",
        }
    }

    /// Sets the pool up for these versions: HTTP/2 only, or HTTP/1.1 unless ALPN says h2.
    pub(crate) fn configure(self, builder: &mut legacy::Builder) {
        if self == HttpVersions::Http2 {
            builder.http2_only(true);
        }
    }

    /// Wraps `connector` in TLS for `https` targets (plain for `http`), offering these
    /// versions by ALPN.
    pub(crate) fn tls<C>(self, connector: C) -> HttpsConnector<C> {
        let builder = HttpsConnectorBuilder::new();
        #[cfg(test)]
        let builder = match TEST_TLS.get() {
            Some(config) => builder.with_tls_config(config.clone()),
            None => builder.with_webpki_roots(),
        };
        #[cfg(not(test))]
        let builder = builder.with_webpki_roots();
        let builder = builder.https_or_http();
        match self {
            HttpVersions::Negotiate => builder.enable_all_versions().wrap_connector(connector),
            HttpVersions::Http1 => builder.enable_http1().wrap_connector(connector),
            HttpVersions::Http2 => builder.enable_http2().wrap_connector(connector),
        }
    }
}

/// Unit tests only: the TLS settings (a test CA's roots) used instead of the webpki roots,
/// so that the ALPN tests can talk to a local TLS server. The ALPN offer is still set here.
#[cfg(test)]
pub(crate) static TEST_TLS: std::sync::OnceLock<rustls::ClientConfig> = std::sync::OnceLock::new();

/// How the reports name the HTTP version of a response: `HTTP/1.1`, `HTTP/2`.
pub fn protocol_name(version: http::Version) -> &'static str {
    match version {
        http::Version::HTTP_09 => "HTTP/0.9",
        http::Version::HTTP_10 => "HTTP/1.0",
        http::Version::HTTP_11 => "HTTP/1.1",
        http::Version::HTTP_2 => "HTTP/2",
        http::Version::HTTP_3 => "HTTP/3",
        _ => "HTTP/?",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_choose_the_versions() {
        assert_eq!(
            HttpVersions::from_flags(false, false),
            HttpVersions::Negotiate
        );
        assert_eq!(HttpVersions::from_flags(true, false), HttpVersions::Http1);
        assert_eq!(HttpVersions::from_flags(false, true), HttpVersions::Http2);
    }

    #[test]
    fn versions_are_named_as_in_a_status_line() {
        assert_eq!(protocol_name(http::Version::HTTP_11), "HTTP/1.1");
        assert_eq!(protocol_name(http::Version::HTTP_2), "HTTP/2");
    }
}
