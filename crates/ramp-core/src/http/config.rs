//! The settings every provider client shares, as one value.

use std::time::Duration;

use super::builder::HttpClientBuilder;
use super::retry::RetryPolicy;

/// The settings every provider's client shares: timeouts, the retry policy, your own
/// `reqwest::Client`, and your application's name in `User-Agent`. Give it to any provider's
/// `ClientBuilder::http_config`; what is not set keeps the client's default.
///
/// ```
/// use std::time::Duration;
/// use ramp_core::http::{HttpConfig, RetryPolicy};
///
/// let config = HttpConfig::new()
///     .timeout(Duration::from_secs(10))
///     .deadline(Duration::from_secs(20))
///     .retry(RetryPolicy::none())
///     .user_agent("my-backend/2.1");
/// # let _ = config;
/// ```
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct HttpConfig {
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
    deadline: Option<Duration>,
    retry: Option<RetryPolicy>,
    client: Option<reqwest::Client>,
    user_agent: Option<String>,
}

impl HttpConfig {
    /// Nothing set: every client default applies.
    pub fn new() -> Self {
        Self::default()
    }

    /// How long to wait for a connection (default 10 s,
    /// [`DEFAULT_CONNECT_TIMEOUT`](super::DEFAULT_CONNECT_TIMEOUT)). Not applied to a client
    /// given with [`http_client`](Self::http_client): configure that one yourself.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// How long one attempt may take, from connecting to the last byte of the answer (default
    /// 30 s, [`DEFAULT_TIMEOUT`](super::DEFAULT_TIMEOUT)).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The deadline of one call, across every attempt and every wait between them (default
    /// 60 s, [`DEFAULT_DEADLINE`](super::DEFAULT_DEADLINE)). When it passes mid-attempt the
    /// call fails with [`ErrorKind::Deadline`](super::ErrorKind::Deadline); a retry whose wait
    /// would end past it is not started.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// The retry policy (default: 3 attempts, jittered exponential backoff, `Retry-After`
    /// honoured up to 30 s; [`RetryPolicy::none`] turns retries off).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Sends through your own `reqwest::Client` (its pool, proxy, TLS settings). It must not
    /// follow redirects: build it with `.redirect(reqwest::redirect::Policy::none())`; an
    /// answer that came through a redirect is refused. The per-attempt timeout and the
    /// deadline still apply.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.client = Some(client);
        self
    }

    /// Names your application in `User-Agent`, before the crate's own product token
    /// (`<product> <crate>/<version>`).
    pub fn user_agent(mut self, product: impl Into<String>) -> Self {
        self.user_agent = Some(product.into());
        self
    }
}

impl HttpClientBuilder {
    /// Applies what `config` sets; the rest stays as it is.
    pub fn config(mut self, config: &HttpConfig) -> Self {
        if let Some(timeout) = config.connect_timeout {
            self = self.connect_timeout(timeout);
        }
        if let Some(timeout) = config.timeout {
            self = self.timeout(timeout);
        }
        if let Some(deadline) = config.deadline {
            self = self.deadline(deadline);
        }
        if let Some(retry) = &config.retry {
            self = self.retry(retry.clone());
        }
        if let Some(client) = &config.client {
            self = self.client(client.clone());
        }
        if let Some(product) = &config.user_agent {
            self = self.user_agent(product);
        }
        self
    }
}
