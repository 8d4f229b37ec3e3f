//! The HTTP client of the Interactive Form Sessions API: one connection pool
//! ([`crate::api::transport`], rustls) shared by every session, speaking the wire format of docs/wire-format.md to any base URL, with every failure mapped to a
//! typed [`ApiError`].
//!
//! A call is two steps: [`Client::start`] sends the request and turns a non-success status
//! into an error (it returns the response head), then the caller reads the body. The unary
//! methods read it whole; the streamed methods ([`crate::api::streamed`]) decode it
//! incrementally from the same head.
//!
//! Around each call, [`Client::attempt`] applies the optional rate cap (`pace`) and the
//! opt-in retries (`retry`), and reports attempts, retry time and pacing wait.

use crate::api::body::{Body, read_body};
use crate::api::endpoint::{BaseUrl, Endpoint, SessionUris};
use crate::api::error::{ApiError, ConfigError};
use crate::api::failure::{self, Scrubber};
use crate::api::headers::{default_headers, header_value};
use crate::api::limits::ResponseLimits;
use crate::api::pace::Pacer;
use crate::api::protocol::{HttpVersions, protocol_name};
use crate::api::retry::RetryPolicy;
use crate::api::trace::{Tap, TraceHook};
use crate::api::transport::{Transport, TransportConfig};
use crate::common::rng::{SplitMix64, mix};
use crate::common::wire::{CreateSessionRequest, SendMessageRequest};
use bytes::Bytes;
use http::Uri;
use http::header::USER_AGENT;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

pub use crate::api::auth::Auth;
pub(crate) use crate::api::reply::Head;
pub use crate::api::reply::{Attempts, Reply};

/// Base URL of the real service.
pub const DEFAULT_BASE_URL: &str = "https://www.wixapis.com/forms/ai/v1/interactive-form-sessions";

/// How much of an error body is kept to describe it.
const MAX_ERROR_BODY_BYTES: usize = 64 * 1024;

/// How to reach the API.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// The service base URL; method paths are appended to it (a trailing `/` is dropped).
    pub base_url: String,
    /// Credentials for the real API; `None` for the mock.
    pub auth: Option<Auth>,
    /// Deadline for a whole request, from sending to the last byte of the body.
    pub timeout: Duration,
    /// Deadline for opening a connection (TCP and TLS).
    pub connect_timeout: Duration,
    pub user_agent: String,
    /// Opt-in retries of 429, 503 and connect errors; none by default.
    pub retries: RetryPolicy,
    /// Client-side rate cap in requests per second, shared by every clone of the client
    /// (every session of a run); `None` for no cap.
    pub max_rps: Option<f64>,
    /// How much of one response is held before the request fails as `too_large`.
    pub limits: ResponseLimits,
    /// HTTP/1.1, HTTP/2, or ALPN's choice (`--http1`, `--http2`).
    pub http: HttpVersions,
    /// Who sees every exchange (`--trace`, `-vv`); `None` traces nothing.
    pub trace: Option<TraceHook>,
}

impl ClientConfig {
    /// Default timeouts (60 s per request: AI answers are slow; 10 s to connect), no auth.
    pub fn new(base_url: impl Into<String>) -> ClientConfig {
        ClientConfig {
            base_url: base_url.into(),
            auth: None,
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            user_agent: concat!("convoy/", env!("CARGO_PKG_VERSION")).to_string(),
            retries: RetryPolicy::default(),
            max_rps: None,
            limits: ResponseLimits::default(),
            http: HttpVersions::default(),
            trace: None,
        }
    }
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig::new(DEFAULT_BASE_URL)
    }
}

/// A cheap-to-clone handle on one connection pool; share it across all sessions.
#[derive(Clone)]
pub struct Client {
    http: Transport,
    base: BaseUrl,
    scrub: Scrubber,
    retries: RetryPolicy,
    pacer: Option<Arc<Pacer>>,
    /// Seeds each call's jitter generator; jitter needs spread, not reproducibility.
    jitter: Arc<AtomicU64>,
    pub(crate) limits: ResponseLimits,
    trace: Option<TraceHook>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base.as_str())
            .finish_non_exhaustive()
    }
}

impl Client {
    pub fn new(config: ClientConfig) -> Result<Client, ConfigError> {
        let base = BaseUrl::parse(&config.base_url)?;
        let mut headers = default_headers(config.auth.as_ref())?;
        headers.insert(USER_AGENT, header_value(&config.user_agent, "user agent")?);
        let transport = TransportConfig {
            timeout: config.timeout,
            connect_timeout: config.connect_timeout,
            headers,
            // HTTP(S)_PROXY from the environment must not capture the local mock.
            no_proxy: base.is_loopback(),
            versions: config.http,
        };
        let http = Transport::new(transport, base.base_uri());
        let key = config.auth.as_ref().map(|a| a.api_key.as_str());
        let scrub = Scrubber::of(
            key.into_iter()
                .chain(http.secrets().iter().map(String::as_str)),
        );
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        Ok(Client {
            http,
            base,
            scrub,
            retries: config.retries,
            pacer: config.max_rps.and_then(Pacer::new).map(Arc::new),
            jitter: Arc::new(AtomicU64::new(seed)),
            limits: config.limits,
            trace: config.trace,
        })
    }

    /// The same client (base URL, credentials, retries, the shared rate cap) with a
    /// connection pool of its own, for one worker thread of a load run.
    pub fn fork(&self) -> Client {
        Client {
            http: self.http.fork(),
            ..self.clone()
        }
    }

    /// Whether requests go through a proxy (`HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY`).
    pub fn is_proxied(&self) -> bool {
        self.http.is_proxied()
    }

    /// Requests that waited for the rate cap, and the total wait (zero without a cap).
    pub fn pacing_totals(&self) -> (u64, Duration) {
        self.pacer
            .as_ref()
            .map_or((0, Duration::ZERO), |p| p.totals())
    }

    /// Runs `call` under the rate cap and the retry policy. Each attempt waits for its own
    /// pacing slot; the waits are summed in `pacing` and kept out of `retry_time`.
    pub(crate) async fn attempt<T, F, Fut>(&self, mut call: F) -> Result<(T, Attempts), ApiError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, ApiError>>,
    {
        let mut rng = SplitMix64::new(mix(self.jitter.fetch_add(1, Ordering::Relaxed)));
        let mut pacing = Duration::ZERO;
        let started = Instant::now();
        let mut attempts = 0;
        loop {
            attempts += 1;
            if let Some(pacer) = &self.pacer {
                pacing += pacer.acquire().await;
            }
            let retry_time = started.elapsed().saturating_sub(pacing);
            let error = match call().await {
                Ok(value) => {
                    let seen = Attempts {
                        attempts,
                        retry_time,
                        pacing,
                    };
                    return Ok((value, seen));
                }
                Err(error) => error,
            };
            let Some(wait) = self.retries.backoff(&error, attempts, &mut rng) else {
                if attempts == 1 && pacing.is_zero() {
                    return Err(error);
                }
                return Err(ApiError::Attempted {
                    last: Box::new(error),
                    attempts,
                    retry_time,
                    pacing,
                });
            };
            tokio::time::sleep(wait).await;
        }
    }

    /// The URI of `endpoint` under the base URL.
    pub(crate) fn base_url_of(&self, endpoint: Endpoint<'_>) -> Result<Uri, ApiError> {
        self.base.url(endpoint)
    }

    /// The base URL in use, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        self.base.as_str()
    }

    /// Strips the API key from server text before it is kept in an error.
    pub(crate) fn scrubber(&self) -> &Scrubber {
        &self.scrub
    }

    /// Create Interactive Form Session: `POST {base}`.
    pub async fn create(&self, req: &CreateSessionRequest) -> Result<Reply, ApiError> {
        self.unary(self.base.url(Endpoint::Create)?, req).await
    }

    /// Send User Message: `POST {base}/{session_id}/send-user-message`.
    pub async fn send(
        &self,
        session_id: &str,
        req: &SendMessageRequest,
    ) -> Result<Reply, ApiError> {
        let uri = self.base.url(Endpoint::Send { session_id })?;
        self.unary(uri, req).await
    }

    /// The method URIs of session `session_id`, built once for all its turns; fails for an
    /// id that cannot be a path segment.
    pub fn session_uris(&self, session_id: &str) -> Result<SessionUris, ApiError> {
        self.base.session_uris(session_id)
    }

    /// Send User Message to a session whose URIs were built with [`Client::session_uris`].
    pub async fn send_at(
        &self,
        session: &SessionUris,
        req: &SendMessageRequest,
    ) -> Result<Reply, ApiError> {
        self.unary(session.send.clone(), req).await
    }

    pub(crate) async fn unary<T: DeserializeOwned>(
        &self,
        uri: Uri,
        body: &impl Serialize,
    ) -> Result<Reply<T>, ApiError> {
        let (mut reply, seen) = self.attempt(|| self.unary_once(uri.clone(), body)).await?;
        reply.attempts = seen.attempts;
        reply.retry_time = seen.retry_time;
        reply.pacing = seen.pacing;
        Ok(reply)
    }

    async fn unary_once<T: DeserializeOwned>(
        &self,
        uri: Uri,
        body: &impl Serialize,
    ) -> Result<Reply<T>, ApiError> {
        let mut head = self.start(uri, body).await?;
        let Some(mut tap) = head.tap.take() else {
            return self.read_unary(head, None).await;
        };
        let result = self.read_unary(head, Some(&mut tap)).await;
        tap.finish(result.as_ref().err().map(ToString::to_string));
        result
    }

    /// Reads and decodes the body of a unary success response.
    async fn read_unary<T: DeserializeOwned>(
        &self,
        head: Head,
        tap: Option<&mut Tap>,
    ) -> Result<Reply<T>, ApiError> {
        let Head {
            response,
            status,
            request_id,
            ttfb,
            protocol,
            ..
        } = head;
        let read = read_body(response, self.limits.max_bytes).await;
        if let (Some(tap), Ok(Body::Complete(body) | Body::TooLarge(body))) = (tap, &read) {
            tap.body_piece(body);
        }
        let body = match read {
            Ok(Body::Complete(body)) => body,
            Ok(Body::TooLarge(_)) => {
                return Err(ApiError::TooLarge {
                    message: format!("body larger than {} bytes", self.limits.max_bytes),
                    request_id,
                });
            }
            Err(err) => return Err(failure::transport_error(err, request_id, &self.scrub)),
        };
        if let Some(chunks) = super::limits::too_many_chunks(&body, self.limits.max_chunks) {
            let max = self.limits.max_chunks;
            let message = format!("{chunks} response chunks, more than {max}");
            return Err(ApiError::TooLarge {
                message,
                request_id,
            });
        }
        match serde_json::from_slice::<T>(&self.scrub.scrub_bytes(&body)) {
            Ok(response) => Ok(Reply {
                response,
                status,
                request_id,
                protocol,
                ttfb,
                body_bytes: body.len(),
                attempts: 1,
                retry_time: Duration::ZERO,
                pacing: Duration::ZERO,
            }),
            Err(err) => Err(failure::decode_error(
                status,
                err.to_string(),
                &body,
                request_id,
                &self.scrub,
            )),
        }
    }

    /// Sends `body` as JSON to `uri`; a success status yields the head, anything else
    /// the error it means (reading a bounded part of the error body to describe it).
    pub(crate) async fn start(&self, url: Uri, body: &impl Serialize) -> Result<Head, ApiError> {
        let body = serde_json::to_vec(body).map_err(|e| ApiError::Encode {
            message: e.to_string(),
        })?;
        let mut tap = self.trace.as_ref().map(|hook| {
            let url = url.to_string();
            let (limit, scrub) = (self.limits.max_bytes, &self.scrub);
            Tap::start(hook, scrub, limit, &url, self.http.headers(), &body)
        });
        let started = Instant::now();
        let response = match self.http.post(url, body).await {
            Ok(response) => response,
            Err(err) => {
                let error = failure::transport_error(err, None, &self.scrub);
                if let Some(tap) = tap {
                    tap.finish(Some(error.to_string()));
                }
                return Err(error);
            }
        };
        let ttfb = started.elapsed();
        let status = response.status;
        if let Some(tap) = &mut tap {
            tap.head(status, protocol_name(response.version), &response.headers);
        }
        if !(200..300).contains(&status) {
            let headers = response.headers.clone();
            let protocol = protocol_name(response.version);
            // The status is the news: a body that cannot be read only loses the details.
            let body = match read_body(response, MAX_ERROR_BODY_BYTES).await {
                Ok(Body::Complete(body) | Body::TooLarge(body)) => body,
                Err(_) => Bytes::new(),
            };
            let error = failure::http_failure(status, protocol, &headers, &body, &self.scrub);
            if let Some(mut tap) = tap {
                tap.body_piece(&body);
                tap.finish(Some(error.to_string()));
            }
            return Err(error);
        }
        let request_id = failure::request_id(&response.headers).map(|id| self.scrub.scrub(id));
        Ok(Head {
            protocol: protocol_name(response.version),
            response,
            status,
            request_id,
            ttfb,
            tap,
        })
    }
}
