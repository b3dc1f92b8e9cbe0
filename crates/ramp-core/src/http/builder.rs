//! Configuring an [`HttpClient`]: headers, timeouts, the retry policy, the body cap.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, USER_AGENT};
use secrecy::{ExposeSecret, SecretString};
use url::Url;

use super::client::{HttpClient, Inner, header_names};
use super::error::{Error, ErrorKind};
use super::request::checked_header;
use super::retry::RetryPolicy;

/// Builds an [`HttpClient`]. Invalid settings are reported by [`HttpClientBuilder::build`].
pub struct HttpClientBuilder {
    pub(super) base_url: Url,
    pub(super) headers: HeaderMap,
    pub(super) sdk_agent: String,
    pub(super) connect_timeout: Duration,
    pub(super) timeout: Duration,
    pub(super) deadline: Duration,
    pub(super) retry: RetryPolicy,
    pub(super) client: Option<reqwest::Client>,
    pub(super) max_body_bytes: usize,
    pub(super) request_id_header: Option<String>,
    pub(super) invalid: Option<String>,
}

impl HttpClientBuilder {
    pub(super) fn insert(
        &mut self,
        name: &str,
        value: Result<HeaderValue, reqwest::header::InvalidHeaderValue>,
        sensitive: bool,
    ) {
        if let Some((name, value)) = checked_header(&mut self.invalid, name, value, sensitive) {
            self.headers.insert(name, value);
        }
    }

    /// A header sent with every request.
    pub fn default_header(mut self, name: &str, value: &str) -> Self {
        self.insert(name, HeaderValue::from_str(value), false);
        self
    }

    /// A credential header sent with every request, marked sensitive: never printed, never in
    /// an error, never in a trace.
    pub fn sensitive_header(mut self, name: &str, value: &SecretString) -> Self {
        self.insert(name, HeaderValue::from_str(value.expose_secret()), true);
        self
    }

    /// The connect timeout (default 10 s). Not applied to a client given with
    /// [`client`](Self::client): configure that one yourself.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The total timeout of one attempt, from connecting to the last body byte (default 30 s).
    /// Applies to every request, also with your own [`client`](Self::client).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The deadline of one call (default [`DEFAULT_DEADLINE`](super::DEFAULT_DEADLINE), 60 s): every attempt and every
    /// wait between attempts fit in it. When it passes mid-attempt the call ends with
    /// [`ErrorKind::Deadline`]; a retry whose wait would end past it is not started, and the call
    /// ends with the last attempt's own error.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// Names your application in `User-Agent`, before this SDK's own product token:
    /// `User-Agent: <product> <crate>/<version>` (providers see both). An invalid value is
    /// reported by [`build`](Self::build).
    pub fn user_agent(mut self, product: &str) -> Self {
        let value = format!("{product} {}", self.sdk_agent);
        self.insert(USER_AGENT.as_str(), HeaderValue::from_str(&value), false);
        self
    }

    /// The retry policy (default [`RetryPolicy::default`]).
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Use this `reqwest::Client` (its connection pool, proxy, TLS settings) instead of
    /// building one.
    ///
    /// **It must not follow redirects**: build it with
    /// `.redirect(reqwest::redirect::Policy::none())`. reqwest follows up to 10 redirects by
    /// default, to any host, and would send the request's credentials along. This client
    /// cannot stop a supplied client from following, but it refuses the answer
    /// ([`ErrorKind::RedirectFollowed`]) whenever the final URL is not the one requested.
    pub fn client(mut self, client: reqwest::Client) -> Self {
        self.client = Some(client);
        self
    }

    /// The largest response body read (default 1 MiB); a larger one is
    /// [`ErrorKind::BodyTooLarge`].
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body_bytes = limit;
        self
    }

    /// The response header that carries the provider's request id (such as `x-request-id`);
    /// it is copied into [`Response::request_id`](super::Response::request_id) and into errors.
    pub fn request_id_header(mut self, name: &str) -> Self {
        self.request_id_header = Some(name.to_owned());
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<HttpClient, Error> {
        if let Some(why) = self.invalid {
            return Err(ErrorKind::Config(why).into());
        }
        // A setting that would make every call fail at once is refused, not changed.
        if self.retry.max_attempts() == 0 {
            return Err(ErrorKind::Config(
                "the retry policy allows 0 attempts; RetryPolicy::none() is one attempt".into(),
            )
            .into());
        }
        for (name, value) in [
            ("connect timeout", self.connect_timeout),
            ("timeout", self.timeout),
            ("deadline", self.deadline),
        ] {
            if value.is_zero() {
                return Err(
                    ErrorKind::Config(format!("the {name} must be longer than zero")).into(),
                );
            }
        }
        let mut base_url = self.base_url;
        if !matches!(base_url.scheme(), "http" | "https") || base_url.cannot_be_a_base() {
            return Err(ErrorKind::Config(format!(
                "base URL must be an http or https URL, got scheme {:?}",
                base_url.scheme()
            ))
            .into());
        }
        if base_url.query().is_some() || base_url.fragment().is_some() {
            return Err(
                ErrorKind::Config("base URL must not have a query or fragment".into()).into(),
            );
        }
        if !base_url.path().ends_with('/') {
            let path = format!("{}/", base_url.path());
            base_url.set_path(&path);
        }
        let request_id_header = self
            .request_id_header
            .map(|name| {
                HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                    Error::from(ErrorKind::Config(format!(
                        "invalid request id header name {name:?}"
                    )))
                })
            })
            .transpose()?;
        let (http, client_timeout) = match self.client {
            Some(client) => (client, None),
            None => (
                default_client(self.connect_timeout, self.timeout)?,
                Some(self.timeout),
            ),
        };
        Ok(HttpClient {
            inner: Arc::new(Inner {
                http,
                client_timeout,
                base_url,
                headers: self.headers,
                timeout: self.timeout,
                deadline: self.deadline,
                retry: self.retry,
                max_body_bytes: self.max_body_bytes,
                request_id_header,
            }),
        })
    }
}

/// The client built when none is supplied: timeouts on, no redirect ever followed (a
/// credential must never reach an origin other than the provider's), no `Referer` sent.
fn default_client(connect_timeout: Duration, timeout: Duration) -> Result<reqwest::Client, Error> {
    let builder = reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .referer(false);
    #[cfg(feature = "native-tls")]
    let builder = builder.tls_backend_native();
    builder
        .build()
        .map_err(|e| ErrorKind::Config(format!("could not build the HTTP client: {e}")).into())
}

impl fmt::Debug for HttpClientBuilder {
    /// Like the client's: never a header value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpClientBuilder")
            .field("base_url", &self.base_url.as_str())
            .field("headers", &header_names(&self.headers))
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}
