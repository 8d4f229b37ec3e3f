//! Generate Form Summary (`POST {base}/generate-form-summary`, body `{form}`): the one
//! method of the API that is not about a session. Goes through the same transport, rate
//! cap, retries, response limits and scrubbing as the session methods.
//!
//! Owns the call and decoding its answer; it must not build the form (callers convert
//! their form to a [`FormObject`]) nor judge the summary.

use crate::api::body::{Body, read_body};
use crate::api::client::{Client, Head};
use crate::api::endpoint::Endpoint;
use crate::api::error::ApiError;
use crate::api::failure;
use crate::api::trace::Tap;
use crate::common::form_wire::{FormObject, SummaryRequest, SummaryResponse};
use http::Uri;
use std::time::Duration;

/// A decoded Generate Form Summary answer and what was observed about it.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryReply {
    /// `formSummary`, scrubbed of the API key.
    pub summary: String,
    pub status: u16,
    /// `x-wix-request-id`, when the server sent one.
    pub request_id: Option<String>,
    /// `HTTP/1.1` or `HTTP/2`.
    pub protocol: &'static str,
    /// Until the response headers arrived.
    pub ttfb: Duration,
    pub body_bytes: usize,
    /// Attempts made, the first included.
    pub attempts: u32,
    /// Time before the last attempt started: failed attempts and backoff waits.
    pub retry_time: Duration,
    /// Time spent waiting for the rate cap.
    pub pacing: Duration,
}

impl Client {
    /// Generate Form Summary for `form`.
    pub async fn generate_summary(&self, form: &FormObject) -> Result<SummaryReply, ApiError> {
        let uri = self.base_url_of(Endpoint::Summary)?;
        let request = SummaryRequest {
            form: Some(form.clone()),
        };
        let (mut reply, seen) = self
            .attempt(|| self.summary_once(uri.clone(), &request))
            .await?;
        reply.attempts = seen.attempts;
        reply.retry_time = seen.retry_time;
        reply.pacing = seen.pacing;
        Ok(reply)
    }

    async fn summary_once(
        &self,
        uri: Uri,
        request: &SummaryRequest,
    ) -> Result<SummaryReply, ApiError> {
        let mut head = self.start(uri, request).await?;
        let Some(mut tap) = head.tap.take() else {
            return self.read_summary(head, None).await;
        };
        let result = self.read_summary(head, Some(&mut tap)).await;
        tap.finish(result.as_ref().err().map(ToString::to_string));
        result
    }

    /// Reads and decodes the body of a summary's success response.
    async fn read_summary(
        &self,
        head: Head,
        tap: Option<&mut Tap>,
    ) -> Result<SummaryReply, ApiError> {
        let Head {
            response,
            status,
            request_id,
            ttfb,
            protocol,
            ..
        } = head;
        let scrub = self.scrubber();
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
            Err(err) => return Err(failure::transport_error(err, request_id, scrub)),
        };
        match serde_json::from_slice::<SummaryResponse>(&body) {
            Ok(decoded) => Ok(SummaryReply {
                summary: scrub.scrub(decoded.form_summary),
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
                scrub,
            )),
        }
    }
}
