//! The middleware that injects faults and latency into the mock's responses.
//!
//! Faults that replace the answer (`http_429`, `http_500`, `http_503`, `http_504`,
//! `reset`) are decided before the handler runs, so the request is never processed and
//! the session is unchanged. Faults that damage the answer (`truncated`,
//! `malformed_json`, `trickle`, and the handler-level `error_chunk`, `stream_cut`,
//! `end_failure`) run the handler first and apply only to a `200`, so the session did
//! advance. Owns body surgery and counting injected faults; it must not decide which
//! request is faulted (`inject` does) nor know the simulator.

use super::profile::{FaultKind, FaultRule};
use crate::mock::errors::MockError;
use crate::mock::server::AppState;
use crate::mock::stats::Endpoint;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

/// The most a damaged body may hold when it is read back in whole (a mock answer is a few
/// KB; this only bounds memory if a handler ever misbehaves).
const MAX_DAMAGED_BODY: usize = 16 * 1024 * 1024;

/// The body of a `malformed_json` answer: starts like JSON, is not.
pub const MALFORMED_BODY: &[u8] = b"{\"interactiveFormSession\": nope}\n";

/// Set on a request whose answer the handler must damage itself (streamed bodies, ERROR
/// chunks): read it with `Option<Extension<InjectedFault>>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InjectedFault(pub FaultKind);

/// Set with `drop_field`: the field key whose extraction the handler must drop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DroppedField(pub Arc<str>);

/// Set on a response that must never reach the client (`reset`): its body fails before
/// a byte is written, so hyper closes the connection without a status line. Counted in
/// the stats with status 0.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NoResponse;

/// Latency, then the fault decided for this request, then any stall.
pub(crate) async fn inject(
    State(app): State<Arc<AppState>>,
    mut request: Request,
    next: Next,
) -> Response {
    let endpoint = Endpoint::classify(request.uri().path());
    let decision = app.injector.decide(endpoint);
    if !decision.delay.is_zero() {
        crate::mock::precise::sleep(decision.delay).await;
    }
    let response = match decision.fault {
        None => next.run(request).await,
        Some(rule) if replaces_answer(rule.kind) => {
            app.stats.record_fault(endpoint, rule.kind);
            replacement(&rule).await
        }
        Some(rule) => {
            request.extensions_mut().insert(InjectedFault(rule.kind));
            if let Some(field) = &rule.field {
                request
                    .extensions_mut()
                    .insert(DroppedField(Arc::from(field.as_str())));
            }
            let response = next.run(request).await;
            if response.status() != StatusCode::OK {
                // Nothing to damage: the fault did not happen and is not counted.
                return response;
            }
            app.stats.record_fault(endpoint, rule.kind);
            damage(response, &rule).await
        }
    };
    // The stats endpoint is never held: tests read it to see what the stall did.
    if app.injector.has_stalls() && !matches!(endpoint, Endpoint::Stats | Endpoint::Other) {
        return stall(app, endpoint, response).await;
    }
    response
}

fn replaces_answer(kind: FaultKind) -> bool {
    matches!(
        kind,
        FaultKind::Http429
            | FaultKind::Http500
            | FaultKind::Http503
            | FaultKind::Http504
            | FaultKind::Reset
    )
}

async fn replacement(rule: &FaultRule) -> Response {
    match rule.kind {
        FaultKind::Http429 => {
            let mut response = MockError::RateLimited.into_response();
            // Retry-After is whole seconds: round up so a client never retries early.
            let secs = rule.retry_after.as_secs() + u64::from(rule.retry_after.subsec_nanos() > 0);
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(secs));
            response
        }
        FaultKind::Http500 => MockError::Internal.into_response(),
        FaultKind::Http503 => {
            let mut response = (StatusCode::SERVICE_UNAVAILABLE, Body::empty()).into_response();
            response
                .headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            response
        }
        FaultKind::Http504 => {
            tokio::time::sleep(rule.delay).await;
            MockError::GatewayTimeout.into_response()
        }
        _ => reset(),
    }
}

/// A response whose body errors at once: hyper then drops the connection without having
/// written the status line, which the client sees as a connection closed before any
/// response (`reset`).
fn reset() -> Response {
    let failing = futures_util::stream::once(async {
        Err::<Bytes, _>(std::io::Error::other("injected reset"))
    });
    let mut response = Response::new(Body::from_stream(failing));
    response.extensions_mut().insert(NoResponse);
    response
}

async fn damage(response: Response, rule: &FaultRule) -> Response {
    match rule.kind {
        FaultKind::Truncated => truncate(response).await,
        FaultKind::MalformedJson => {
            let (mut parts, _) = response.into_parts();
            parts.headers.remove(CONTENT_LENGTH);
            parts
                .headers
                .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            Response::from_parts(parts, Body::from(MALFORMED_BODY))
        }
        FaultKind::Trickle => trickle(response, rule.duration).await,
        // The handler already damaged the body (error_chunk, stream_cut, end_failure,
        // drop_field).
        _ => response,
    }
}

/// Sends the first half of the body under a `Content-Length` for all of it, then closes.
async fn truncate(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_DAMAGED_BODY).await else {
        return reset();
    };
    let half = bytes.slice(..bytes.len() / 2);
    parts
        .headers
        .insert(CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    let body = futures_util::stream::iter([Ok(half)]).chain(futures_util::stream::once(async {
        // A pause lets hyper flush the half that was sent before the connection drops.
        tokio::time::sleep(Duration::from_millis(20)).await;
        Err(std::io::Error::other("injected truncation"))
    }));
    Response::from_parts(parts, Body::from_stream(body))
}

/// Dribbles the body out in up to 20 pieces spread evenly over `duration`.
async fn trickle(response: Response, duration: Duration) -> Response {
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_DAMAGED_BODY).await else {
        return reset();
    };
    let pieces = bytes.len().clamp(1, 20);
    let size = bytes.len().div_ceil(pieces).max(1);
    let gap = duration / u32::try_from(pieces).unwrap_or(20);
    let chunks: Vec<Bytes> = (0..bytes.len())
        .step_by(size)
        .map(|start| bytes.slice(start..(start + size).min(bytes.len())))
        .collect();
    parts
        .headers
        .insert(CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    let body = futures_util::stream::iter(chunks).then(move |chunk| async move {
        tokio::time::sleep(gap).await;
        Ok::<_, std::convert::Infallible>(chunk)
    });
    Response::from_parts(parts, Body::from_stream(body))
}

/// Holds the head, and each later body frame, while a stall window is open.
async fn stall(app: Arc<AppState>, endpoint: Endpoint, response: Response) -> Response {
    if let Some(until) = app.injector.stall_until(std::time::Instant::now()) {
        app.stats.record_fault(endpoint, FaultKind::Stall);
        tokio::time::sleep_until(Instant::from_std(until)).await;
    }
    let (parts, body) = response.into_parts();
    let frames = body.into_data_stream().then(move |frame| {
        let app = Arc::clone(&app);
        async move {
            if let Some(until) = app.injector.stall_until(std::time::Instant::now()) {
                tokio::time::sleep_until(Instant::from_std(until)).await;
            }
            frame
        }
    });
    Response::from_parts(parts, Body::from_stream(frames))
}
