//! Opt-in retries of the client: which failures are retried, and how long to wait.
//!
//! Only failures where the request was surely not processed are retried: `429` (the
//! service refused it), `503` (unavailable) and connect errors (nothing was sent). A
//! reset, a timeout, a `500` or `504` may have reached the service, and a replayed Send
//! User Message would then be a second message in the conversation, so they are never
//! retried. Owns the policy and the backoff; the loop itself is in `client`.

use crate::api::error::{ApiError, ErrorClass};
use crate::common::rng::SplitMix64;
use std::time::Duration;

/// How many times, and how patiently, a failed request is sent again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt; 0 (the default) disables retries.
    pub max_retries: u32,
    /// The backoff before retry n (1-based) is drawn uniformly from
    /// `[0, min(max_delay, base_delay × 2^(n-1))]` ("full jitter").
    pub base_delay: Duration,
    /// Caps the backoff and any `Retry-After` the server asks for.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy::new(0)
    }
}

impl RetryPolicy {
    /// `max_retries` retries with the default backoff (250 ms base, 10 s cap).
    pub fn new(max_retries: u32) -> RetryPolicy {
        RetryPolicy {
            max_retries,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(10),
        }
    }

    /// The wait before retry number `retry` (1-based) after `error`, or `None` when the
    /// error is not retried or the retries are used up. A `Retry-After` is honoured
    /// (capped at `max_delay`) instead of the jittered backoff.
    pub fn backoff(&self, error: &ApiError, retry: u32, rng: &mut SplitMix64) -> Option<Duration> {
        if retry > self.max_retries || !retryable(error) {
            return None;
        }
        if let Some(asked) = error.retry_after() {
            return Some(asked.min(self.max_delay));
        }
        let exponent = retry.saturating_sub(1).min(30);
        let ceiling = self
            .base_delay
            .saturating_mul(1u32 << exponent)
            .min(self.max_delay);
        Some(ceiling.mul_f64(rng.next_f64()))
    }
}

/// 429, 503 and connect errors: the request surely did not reach the conversation.
pub fn retryable(error: &ApiError) -> bool {
    matches!(
        error.class(),
        ErrorClass::RateLimited | ErrorClass::Http5xx(503) | ErrorClass::Connect
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::error::HttpFailure;

    fn http(status: u16, retry_after: Option<Duration>) -> ApiError {
        ApiError::Http(Box::new(HttpFailure {
            status,
            code: None,
            message: String::new(),
            request_id: None,
            retry_after,
            protocol: None,
        }))
    }

    #[test]
    fn only_unprocessed_failures_are_retried() {
        assert!(retryable(&http(429, None)));
        assert!(retryable(&http(503, None)));
        assert!(retryable(&ApiError::Connect {
            message: String::new()
        }));
        for status in [400, 404, 500, 502, 504] {
            assert!(!retryable(&http(status, None)), "{status}");
        }
        let reset = ApiError::Reset {
            message: String::new(),
            request_id: None,
        };
        assert!(!retryable(&reset));
    }

    #[test]
    fn backoff_is_jittered_capped_and_honours_retry_after() {
        let policy = RetryPolicy {
            max_retries: 5,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(300),
        };
        let mut rng = SplitMix64::new(1);
        for retry in 1..=5 {
            let wait = policy.backoff(&http(503, None), retry, &mut rng);
            let ceiling = Duration::from_millis(100 * (1 << (retry - 1))).min(policy.max_delay);
            assert!(wait.is_some_and(|w| w <= ceiling), "{retry}: {wait:?}");
        }
        assert_eq!(policy.backoff(&http(503, None), 6, &mut rng), None);
        let asked = http(429, Some(Duration::from_millis(200)));
        assert_eq!(
            policy.backoff(&asked, 1, &mut rng),
            Some(Duration::from_millis(200))
        );
        let too_long = http(429, Some(Duration::from_secs(60)));
        assert_eq!(
            policy.backoff(&too_long, 1, &mut rng),
            Some(policy.max_delay)
        );
        assert_eq!(
            RetryPolicy::default().backoff(&http(429, None), 1, &mut rng),
            None
        );
    }
}
