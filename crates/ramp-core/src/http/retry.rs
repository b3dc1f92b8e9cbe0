//! The retry policy: how many attempts, how long to wait between them.

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};

/// How a failed call is retried: full-jitter exponential backoff with a cap, and
/// `Retry-After` honoured up to a limit.
///
/// The wait before retry `n` (1-based) is a random duration in
/// `[0, min(max_delay, base_delay × 2^(n-1))]` ("full jitter"); when the response carries
/// `Retry-After`, the wait is that value instead, clamped to `max_retry_after`.
/// [`RetryPolicy::deterministic`] turns the jitter off, for tests.
///
/// Whether a call may be retried at all is the request's business
/// ([`Request::idempotent`](super::Request::idempotent)); this policy only says how often and
/// how long to wait.
///
/// ```
/// use std::time::Duration;
/// use ramp_core::http::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .with_max_attempts(5)
///     .with_base_delay(Duration::from_millis(100))
///     .with_max_delay(Duration::from_secs(2));
/// assert_eq!(policy.max_attempts(), 5);
/// assert_eq!(RetryPolicy::none().max_attempts(), 1);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    max_retry_after: Duration,
    jitter: bool,
}

impl Default for RetryPolicy {
    /// 3 attempts, 250 ms base delay, 8 s cap, `Retry-After` honoured up to 30 s, jitter on.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(30),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// One attempt, no retries.
    pub fn none() -> Self {
        Self::default().with_max_attempts(1)
    }

    /// The default policy without jitter: the waits are exactly `base_delay × 2^(n-1)`
    /// (capped), so tests see the same schedule every run.
    pub fn deterministic() -> Self {
        Self::default().with_jitter(false)
    }

    /// Total attempts including the first. `0` is refused when the client is built
    /// ([`ErrorKind::Config`](super::ErrorKind::Config)): use [`RetryPolicy::none`] for one attempt.
    pub fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts;
        self
    }

    /// The wait before the first retry, doubled for each retry after it.
    pub fn with_base_delay(mut self, base_delay: Duration) -> Self {
        self.base_delay = base_delay;
        self
    }

    /// The longest backoff wait.
    pub fn with_max_delay(mut self, max_delay: Duration) -> Self {
        self.max_delay = max_delay;
        self
    }

    /// The longest wait a `Retry-After` header may impose; longer values are clamped to it.
    pub fn with_max_retry_after(mut self, max_retry_after: Duration) -> Self {
        self.max_retry_after = max_retry_after;
        self
    }

    /// Full jitter on (the default) or off.
    pub fn with_jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }

    /// Total attempts including the first.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The wait before retry number `retry` (1 for the first retry), given the
    /// `Retry-After` of the response that failed, if any.
    pub fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(wait) = retry_after {
            return wait.min(self.max_retry_after);
        }
        let exp = retry.saturating_sub(1).min(31);
        let backoff = self
            .base_delay
            .saturating_mul(1u32 << exp)
            .min(self.max_delay);
        if self.jitter {
            let nanos = u64::try_from(backoff.as_nanos()).unwrap_or(u64::MAX);
            Duration::from_nanos(fastrand::u64(0..=nanos))
        } else {
            backoff
        }
    }
}

/// Whether a status says "try again later" (408, 429, 500, 502, 503, 504): what provider
/// crates report as `is_retryable()` for their own API errors.
///
/// ```
/// use ramp_core::http::{StatusCode, is_retryable_status};
///
/// assert!(is_retryable_status(StatusCode::SERVICE_UNAVAILABLE));
/// assert!(!is_retryable_status(StatusCode::BAD_REQUEST));
/// ```
pub fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 429 | 500 | 502 | 503 | 504)
}

/// `Retry-After` as delay seconds or an HTTP date; `None` when absent or unparseable.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn deterministic_backoff_doubles_up_to_the_cap() {
        let p = RetryPolicy::deterministic()
            .with_base_delay(Duration::from_millis(100))
            .with_max_delay(Duration::from_millis(700));
        let waits: Vec<_> = (1..=5).map(|n| p.delay(n, None).as_millis()).collect();
        assert_eq!(waits, [100, 200, 400, 700, 700]);
        // Far retries neither overflow nor panic.
        assert_eq!(p.delay(u32::MAX, None), Duration::from_millis(700));
    }

    #[test]
    fn full_jitter_stays_within_the_backoff() {
        let p = RetryPolicy::default()
            .with_base_delay(Duration::from_millis(100))
            .with_max_delay(Duration::from_secs(1));
        for n in 1..=6 {
            let cap = Duration::from_millis(100 * (1 << (n - 1))).min(Duration::from_secs(1));
            for _ in 0..200 {
                assert!(p.delay(n, None) <= cap);
            }
        }
    }

    #[test]
    fn retry_after_is_honoured_and_clamped() {
        let p = RetryPolicy::default().with_max_retry_after(Duration::from_secs(10));
        assert_eq!(
            p.delay(1, Some(Duration::from_secs(3))),
            Duration::from_secs(3)
        );
        assert_eq!(
            p.delay(1, Some(Duration::from_secs(3600))),
            Duration::from_secs(10)
        );
    }

    #[test]
    fn retry_after_parses_seconds_and_http_dates() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        let mut h = HeaderMap::new();
        assert_eq!(retry_after(&h, now), None);
        h.insert(RETRY_AFTER, HeaderValue::from_static("120"));
        assert_eq!(retry_after(&h, now), Some(Duration::from_secs(120)));
        h.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Sun, 06 Nov 1994 08:49:47 GMT"),
        );
        assert_eq!(retry_after(&h, now), Some(Duration::from_secs(10)));
        // A date in the past means "now".
        h.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Sun, 06 Nov 1994 08:00:00 GMT"),
        );
        assert_eq!(retry_after(&h, now), Some(Duration::ZERO));
        for junk in ["soon", "-1", "1.5", ""] {
            h.insert(RETRY_AFTER, HeaderValue::from_static(junk));
            assert_eq!(retry_after(&h, now), None, "{junk:?}");
        }
    }

    #[test]
    fn zero_attempts_is_kept_for_the_builder_to_refuse() {
        assert_eq!(
            RetryPolicy::default().with_max_attempts(0).max_attempts(),
            0
        );
    }
}
