//! Which endpoints a latency or fault setting applies to: `create`, `send` (each with its
//! streamed twin), `create_streamed`, `send_streamed` (the streamed one only), `summary`
//! (Generate Form Summary), or `all`.
//!
//! Owns the names and their meaning; it must not hold any setting itself.

use super::stats::Endpoint;
use serde::Deserialize;
use std::str::FromStr;

/// A set of API endpoints named in flags and fault profiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndpointSelector {
    /// Create and Create Streamed.
    Create,
    /// Send User Message and its streamed twin.
    Send,
    CreateStreamed,
    SendStreamed,
    /// Generate Form Summary.
    Summary,
    /// Every API endpoint (never the stats endpoint or unrouted paths).
    All,
}

impl EndpointSelector {
    pub const NAMES: [&'static str; 6] = [
        "create",
        "send",
        "create_streamed",
        "send_streamed",
        "summary",
        "all",
    ];

    pub fn matches(self, endpoint: Endpoint) -> bool {
        use Endpoint as E;
        match self {
            EndpointSelector::Create => matches!(endpoint, E::Create | E::CreateStreamed),
            EndpointSelector::Send => {
                matches!(endpoint, E::SendUserMessage | E::SendUserMessageStreamed)
            }
            EndpointSelector::CreateStreamed => endpoint == E::CreateStreamed,
            EndpointSelector::SendStreamed => endpoint == E::SendUserMessageStreamed,
            EndpointSelector::Summary => endpoint == E::GenerateFormSummary,
            EndpointSelector::All => !matches!(endpoint, E::Stats | E::Other),
        }
    }
}

impl FromStr for EndpointSelector {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, String> {
        Ok(match name {
            "create" => EndpointSelector::Create,
            "send" => EndpointSelector::Send,
            "create_streamed" => EndpointSelector::CreateStreamed,
            "send_streamed" => EndpointSelector::SendStreamed,
            "summary" => EndpointSelector::Summary,
            "all" => EndpointSelector::All,
            other => {
                return Err(format!(
                    "unknown endpoint `{other}`: use {}",
                    EndpointSelector::NAMES.join(", ")
                ));
            }
        })
    }
}
