//! The mock's method handlers: Create Interactive Form Session and Send User Message, and
//! their streamed twins, which validate and answer exactly alike (same errors, same
//! simulator) and differ only in how the chunks are written (`streaming`).
//!
//! Owns request validation in the order a gateway would apply it (body shape, field
//! rules, then lookups) and turns simulator output into responses. It must not extract
//! values (the simulator does) or shape error bodies (`errors` does).

use super::errors::MockError;
use super::faults::{DroppedField, FaultKind, InjectedFault};
use super::ids::is_guid;
use super::server::AppState;
use super::sessions::{Session, lock};
use super::simulator::SessionState;
use super::streaming::stream_response;
use crate::common::wire::{Chunk, ChunkBody, ErrorDetails};
use crate::common::wire::{
    CreateSessionRequest, SendMessageRequest, Session as WireSession, SessionResponse,
};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::{Extension, Json};
use serde::de::DeserializeOwned;
use std::sync::Arc;

/// docs/wire-format.md: `input` holds at most 10,000 characters (Unicode scalar values).
pub const MAX_INPUT_CHARS: usize = 10_000;

type Reply = Result<Json<SessionResponse>, MockError>;

/// The fault the middleware asked this handler to apply to its own answer, if any.
type Fault = Option<Extension<InjectedFault>>;

/// The field a `drop_field` fault removes from this answer, if any.
type Dropped = Option<Extension<DroppedField>>;

/// `POST {base}`: validates `formId`, creates the session, and answers with the
/// greeting and the first question.
pub(crate) async fn create(
    State(app): State<Arc<AppState>>,
    fault: Fault,
    body: Result<Bytes, BytesRejection>,
) -> Reply {
    let reply = create_session(&app, body).await?;
    Ok(Json(with_error_chunk(reply, fault)))
}

/// `POST {base}/create-streamed`: [`create`], streamed.
pub(crate) async fn create_streamed(
    State(app): State<Arc<AppState>>,
    fault: Fault,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, MockError> {
    let reply = create_session(&app, body).await?;
    Ok(stream_response(reply, &app.config, fault.map(|f| f.0.0)))
}

/// `POST {base}/{sessionId}/send-user-message`: validates the message, then lets the
/// session's simulator answer it. Unknown body fields (the SDK's
/// `interactiveFormSessionId`) are ignored.
pub(crate) async fn send_user_message(
    State(app): State<Arc<AppState>>,
    Path(session_id): Path<String>,
    fault: Fault,
    dropped: Dropped,
    body: Result<Bytes, BytesRejection>,
) -> Reply {
    let reply = answer_message(&app, session_id, body, dropped).await?;
    Ok(Json(with_error_chunk(reply, fault)))
}

/// `POST {base}/{sessionId}/send-user-message-streamed`: [`send_user_message`], streamed.
pub(crate) async fn send_user_message_streamed(
    State(app): State<Arc<AppState>>,
    Path(session_id): Path<String>,
    fault: Fault,
    dropped: Dropped,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, MockError> {
    let reply = answer_message(&app, session_id, body, dropped).await?;
    Ok(stream_response(reply, &app.config, fault.map(|f| f.0.0)))
}

/// The `error_chunk` fault on a unary answer: an ERROR chunk after the normal ones.
fn with_error_chunk(mut reply: SessionResponse, fault: Fault) -> SessionResponse {
    if matches!(fault, Some(Extension(InjectedFault(FaultKind::ErrorChunk)))) {
        reply.response_chunks.push(error_chunk());
    }
    reply
}

/// The ERROR chunk the `error_chunk` fault adds.
pub(crate) fn error_chunk() -> Chunk {
    Chunk::from(ChunkBody::Error(ErrorDetails {
        message_text: "Something went wrong (injected by convoy mock).".to_string(),
    }))
}

async fn create_session(
    app: &AppState,
    body: Result<Bytes, BytesRejection>,
) -> Result<SessionResponse, MockError> {
    let request: CreateSessionRequest = parse(body)?;
    let form_id = request.form_id.as_str();
    if form_id.is_empty() {
        return Err(MockError::InvalidField {
            field: "formId",
            description: "formId is required".to_string(),
            rule: "REQUIRED",
        });
    }
    // A served form is found by its id even when that id is not GUID-shaped; any other
    // id must at least look like a GUID before it can be "not found".
    let Some(form) = app.form(form_id) else {
        if is_guid(form_id) {
            return Err(MockError::FormNotFound(form_id.to_string()));
        }
        return Err(MockError::InvalidField {
            field: "formId",
            description: format!("formId must be a GUID, got {form_id:?}"),
            rule: "FORMAT",
        });
    };
    let (seed, id) = app.sessions.next_id();
    let mut state = SessionState::new(seed, request.dry_run);
    let variation = app.variation(&id, 0, &form.simulator);
    let simulated =
        form.simulator
            .start_varied(&mut state, request.current_values.as_ref(), &variation);
    let values = request.current_values.as_ref();
    let chunks = replayed(app, &form.id, 0, None, values, simulated).await;
    let session = WireSession {
        id: id.clone(),
        form_id: form.id.clone(),
    };
    let turns = 0;
    app.sessions.insert(id, Session { form, state, turns });
    Ok(SessionResponse {
        interactive_form_session: Some(session),
        response_chunks: chunks,
    })
}

async fn answer_message(
    app: &AppState,
    session_id: String,
    body: Result<Bytes, BytesRejection>,
    dropped: Dropped,
) -> Result<SessionResponse, MockError> {
    let request: SendMessageRequest = parse(body)?;
    if let Some(input) = &request.input {
        let length = input.chars().count();
        if length > MAX_INPUT_CHARS {
            return Err(MockError::InvalidField {
                field: "input",
                description: format!(
                    "input must be at most {MAX_INPUT_CHARS} characters long, got {length}"
                ),
                rule: "MAX_LENGTH",
            });
        }
    }
    // proto3: an empty string is the default, i.e. not given.
    let input = request.input.as_deref().filter(|s| !s.is_empty());
    if input.is_none() && request.current_values.is_none() {
        return Err(MockError::EmptyRequest);
    }
    let shared = app
        .sessions
        .get(&session_id)
        .ok_or_else(|| MockError::SessionNotFound(session_id.clone()))?;
    // The session lock is held for one synchronous simulator step and released before
    // anything is awaited.
    let (simulated, form_id, turn) = {
        let mut session = lock(&shared);
        let Session { form, state, turns } = &mut *session;
        let dropped = dropped.as_ref().map(|d| &*d.0.0);
        // The simulator answers even when a recording will: the session state must follow
        // every message, or an unrecorded later turn would see a stale form.
        *turns += 1;
        let variation = app.variation(&session_id, *turns, &form.simulator);
        let values = request.current_values.as_ref();
        let chunks = form
            .simulator
            .reply_varied(state, input, values, dropped, &variation);
        (chunks, form.id.clone(), *turns)
    };
    let values = request.current_values.as_ref();
    let chunks = replayed(app, &form_id, turn, input, values, simulated).await;
    Ok(SessionResponse {
        interactive_form_session: Some(WireSession {
            id: session_id,
            form_id,
        }),
        response_chunks: chunks,
    })
}

/// The recorded answer to this request when `--replay` has one (after its recorded latency
/// with `--replay-latency`), else what the simulator said.
async fn replayed(
    app: &AppState,
    form_id: &str,
    turn: usize,
    input: Option<&str>,
    values: Option<&crate::common::wire::Values>,
    simulated: Vec<Chunk>,
) -> Vec<Chunk> {
    let Some(replay) = &app.config.replay else {
        return simulated;
    };
    match replay.answer(form_id, turn, input, values) {
        Some((chunks, latency)) => {
            if replay.latency {
                tokio::time::sleep(latency).await;
            }
            chunks.to_vec()
        }
        None => simulated,
    }
}

/// Decodes a JSON body; an empty body reads as `{}` (every request field is optional on
/// the wire, and the field rules then say what is missing).
pub(super) fn parse<T: DeserializeOwned>(
    body: Result<Bytes, BytesRejection>,
) -> Result<T, MockError> {
    let bytes = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            MockError::BodyTooLarge
        } else {
            MockError::MalformedBody(rejection.body_text())
        }
    })?;
    let text: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        &bytes
    };
    serde_json::from_slice(text).map_err(|e| MockError::MalformedBody(e.to_string()))
}
