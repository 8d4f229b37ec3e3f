//! Generate Form Summary (`POST {base}/generate-form-summary`, body `{form}`): the one
//! method of the API that is not about a session. Goes through the same transport, rate
//! cap, retries, response limits, scrubbing and traces as the session methods (the same
//! unary call, decoding `{formSummary}` instead of a session).
//!
//! Owns the call; it must not build the form (callers convert their form to a
//! [`FormObject`]) nor judge the summary.

use crate::api::client::{Client, Reply};
use crate::api::endpoint::Endpoint;
use crate::api::error::ApiError;
use crate::common::form_wire::{FormObject, SummaryRequest, SummaryResponse};

/// A decoded Generate Form Summary answer: `response.form_summary` (scrubbed of the API
/// key, empty when the service sent none) and what was observed about it.
pub type SummaryReply = Reply<SummaryResponse>;

impl Client {
    /// Generate Form Summary for `form`.
    pub async fn generate_summary(&self, form: &FormObject) -> Result<SummaryReply, ApiError> {
        let uri = self.base_url_of(Endpoint::Summary)?;
        let request = SummaryRequest {
            form: Some(form.clone()),
        };
        self.unary(uri, &request).await
    }
}
