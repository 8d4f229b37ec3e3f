//! The mock's HTTP server: routes, shared state, and the layer that gives every response
//! its `x-wix-request-id` and counts it.
//!
//! Owns wiring only. Following mini-redis, the caller passes the bound listener and the
//! shutdown future: nothing here binds ports or installs signal handlers.

use super::config::MockConfig;
use super::errors::MockError;
use super::faults::Injector;
use super::faults::respond::{self, NoResponse};
use super::handlers;
use super::ids::{IdKind, guid};
use super::sessions::SessionStore;
use super::simulator::{Simulator, Variation};
use super::stats::{Endpoint, STATS_PATH, Stats, StatsSnapshot};
use super::summary;
use crate::suite::model::Form;
use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use axum::serve::ListenerExt;
use axum::{Json, Router};
use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// The path of the real service's base URL; every method is served both under it and at
/// the server root, so either can be the client's base URL.
pub const API_PREFIX: &str = "/forms/ai/v1/interactive-form-sessions";

/// The header that carries a fresh request id on every response.
pub const REQUEST_ID_HEADER: &str = "x-wix-request-id";

/// A form the mock serves: its id as given by the caller and its simulator.
#[derive(Debug)]
pub struct ServedForm {
    pub id: String,
    pub simulator: Simulator,
}

/// Everything the handlers share.
#[derive(Debug)]
pub(crate) struct AppState {
    /// Keyed by lower-cased form id: GUIDs are case-insensitive.
    forms: HashMap<String, Arc<ServedForm>>,
    pub sessions: SessionStore,
    pub stats: Stats,
    pub config: MockConfig,
    pub injector: Injector,
    requests: AtomicU64,
}

impl AppState {
    fn new(forms: Vec<(String, Form)>, config: MockConfig) -> AppState {
        let mut served = HashMap::new();
        for (id, form) in forms {
            // The first form declared for an id wins, as suites are loaded in order.
            served.entry(id.to_lowercase()).or_insert_with(|| {
                Arc::new(ServedForm {
                    simulator: Simulator::new(&form),
                    id,
                })
            });
        }
        AppState {
            forms: served,
            sessions: SessionStore::new(config.max_sessions),
            stats: Stats::default(),
            injector: Injector::new(config.faults.clone(), config.latency, config.seed),
            config,
            requests: AtomicU64::new(0),
        }
    }

    pub fn form(&self, id: &str) -> Option<Arc<ServedForm>> {
        self.forms.get(&id.to_lowercase()).cloned()
    }

    /// The variation of the `turn`-th response (0 for the create) of session `session`:
    /// none unless `--vary` is set.
    pub fn variation(&self, session: &str, turn: usize, simulator: &Simulator) -> Variation {
        let turn = u64::try_from(turn).unwrap_or(u64::MAX);
        let fields = simulator.field_count();
        let config = &self.config;
        config.vary.variation(config.seed, session, turn, fields)
    }
}

/// Serves the mock API on `listener` until `shutdown` completes, then finishes the
/// requests in flight. `forms` are `(form id, form)` pairs with ids already resolved.
pub async fn serve(
    listener: tokio::net::TcpListener,
    forms: Vec<(String, Form)>,
    config: MockConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with_stats(listener, forms, config, shutdown)
        .await
        .map(|_| ())
}

/// [`serve`], returning the final stats (`convoy mock` prints the fault tally on exit).
pub async fn serve_with_stats(
    listener: tokio::net::TcpListener,
    forms: Vec<(String, Form)>,
    config: MockConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<StatsSnapshot> {
    PreparedMock::new(forms, config)
        .serve(listener, shutdown)
        .await
}

/// A mock whose state exists before it serves, so that its counters can be watched
/// while it runs (`convoy mock --metrics-listen`).
#[derive(Debug)]
pub struct PreparedMock(Arc<AppState>);

/// A live view of a mock's counters, as `GET /__convoy/stats` reports them.
#[derive(Debug, Clone)]
pub struct StatsProbe(Arc<AppState>);

impl StatsProbe {
    pub fn snapshot(&self) -> StatsSnapshot {
        self.0.snapshot()
    }
}

impl PreparedMock {
    /// `forms` are `(form id, form)` pairs with ids already resolved.
    pub fn new(forms: Vec<(String, Form)>, config: MockConfig) -> PreparedMock {
        PreparedMock(Arc::new(AppState::new(forms, config)))
    }

    pub fn probe(&self) -> StatsProbe {
        StatsProbe(Arc::clone(&self.0))
    }

    /// Serves on `listener` until `shutdown` completes, then finishes the requests in
    /// flight and returns the final stats.
    pub async fn serve(
        self,
        listener: tokio::net::TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<StatsSnapshot> {
        let state = self.0;
        // Streamed answers are many small writes: with Nagle's algorithm each one after the
        // first waits for the client's delayed ACK (~40 ms), which would show up as fake
        // gaps and time to first chunk. A mock must not add latency nobody configured.
        let listener = listener.tap_io(|stream| {
            let _ = stream.set_nodelay(true);
        });
        axum::serve(listener, router(Arc::clone(&state)))
            .with_graceful_shutdown(shutdown)
            .await?;
        Ok(state.snapshot())
    }
}

/// The routes, at the root and under [`API_PREFIX`]; each streamed method beside its twin.
fn router(state: Arc<AppState>) -> Router {
    let mut routes = Router::new()
        .route(STATS_PATH, get(stats))
        .route("/", post(handlers::create))
        .route(&format!("{API_PREFIX}/"), post(handlers::create));
    for base in ["", API_PREFIX] {
        routes = routes.route(
            &format!("{base}/{{session_id}}/send-user-message"),
            post(handlers::send_user_message),
        );
        routes = routes
            .route(
                &format!("{base}/generate-form-summary"),
                post(summary::generate_form_summary),
            )
            .route(
                &format!("{base}/create-streamed"),
                post(handlers::create_streamed),
            )
            .route(
                &format!("{base}/{{session_id}}/send-user-message-streamed"),
                post(handlers::send_user_message_streamed),
            );
    }
    routes
        .route(API_PREFIX, post(handlers::create))
        .fallback(no_such_endpoint)
        .method_not_allowed_fallback(method_not_allowed)
        // Inside `track`, so injected statuses are counted like any other.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            respond::inject,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), track))
        .with_state(state)
}

/// Gives every response, errors and unrouted paths included, a fresh request id, and
/// counts it by endpoint and status once its status is known.
async fn track(State(app): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let endpoint = Endpoint::classify(request.uri().path());
    let request_id = guid(
        IdKind::Request,
        app.requests.fetch_add(1, Ordering::Relaxed),
    );
    let mut response = next.run(request).await;
    // A reset sends no status line at all: it is counted as status 0.
    let status = match response.extensions().get::<NoResponse>() {
        Some(_) => 0,
        None => response.status().as_u16(),
    };
    app.stats.record(endpoint, status);
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    response
}

async fn stats(State(app): State<Arc<AppState>>) -> Json<StatsSnapshot> {
    Json(app.snapshot())
}

impl AppState {
    /// The stats as `GET /__convoy/stats` reports them.
    pub fn snapshot(&self) -> StatsSnapshot {
        self.stats.snapshot(self.sessions.stats())
    }
}

async fn no_such_endpoint(request: Request) -> MockError {
    MockError::NoSuchEndpoint(request.uri().path().to_string())
}

async fn method_not_allowed() -> MockError {
    MockError::MethodNotAllowed
}
