//! The client every provider crate shares.

use std::borrow::Cow;
use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, LOCATION, USER_AGENT};
use secrecy::{ExposeSecret, SecretString};
use tracing::Instrument as _;
use url::Url;

use super::error::{Cause, Error, snippet};
use super::request::{Answer, Request, Response, checked_header};
use super::retry::{RetryPolicy, is_retryable_status};

/// The default connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default total timeout of one attempt, from connecting to the last body byte.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The default deadline of one call, across every attempt and every wait between them.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(60);
/// How many literal paths a client keeps joined to its base URL.
const MAX_LITERAL_URLS: usize = 64;

/// The default cap on a response body.
pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;

/// A small client over [`reqwest::Client`]: base URL, default headers, timeouts, retries,
/// capped body reads. Cheap to clone; clones share one connection pool.
///
/// ```no_run
/// # async fn run() -> Result<(), ramp_core::http::Error> {
/// use ramp_core::http::{HttpClient, Request, Url};
/// use ramp_core::SecretString;
///
/// let base = Url::parse("https://api.example.com/api/").map_err(|e| {
///     ramp_core::http::Error::Config(e.to_string())
/// })?;
/// let client = HttpClient::builder(base, ramp_core::user_agent!())
///     .sensitive_header("x-api-key", &SecretString::from("key"))
///     .request_id_header("x-request-id")
///     .build()?;
/// let response = client.send(Request::get("v1/quotes")).await?.error_for_status()?;
/// let quotes: serde_json::Value = response.json()?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct HttpClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    /// Literal paths already joined to the base URL (at most [`MAX_LITERAL_URLS`]; a crate
    /// has a handful).
    literal_urls: RwLock<Vec<(&'static str, Url)>>,
    /// The total timeout `http` applies to every request by itself: the client this crate
    /// built has one, a client given with [`HttpClientBuilder::client`] is not relied on.
    client_timeout: Option<Duration>,
    base_url: Url,
    headers: HeaderMap,
    timeout: Duration,
    deadline: Duration,
    retry: RetryPolicy,
    max_body_bytes: usize,
    request_id_header: Option<HeaderName>,
}

/// Builds an [`HttpClient`]. Invalid settings are reported by [`HttpClientBuilder::build`].
pub struct HttpClientBuilder {
    base_url: Url,
    headers: HeaderMap,
    sdk_agent: String,
    connect_timeout: Duration,
    timeout: Duration,
    deadline: Duration,
    retry: RetryPolicy,
    client: Option<reqwest::Client>,
    max_body_bytes: usize,
    request_id_header: Option<String>,
    invalid: Option<String>,
}

impl HttpClient {
    /// A builder for `base_url` whose requests send `User-Agent: user_agent` (use
    /// [`user_agent!`](crate::user_agent) for `<crate>/<version>`).
    pub fn builder(base_url: Url, user_agent: &str) -> HttpClientBuilder {
        let mut builder = HttpClientBuilder {
            base_url,
            headers: HeaderMap::new(),
            sdk_agent: user_agent.to_owned(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            deadline: DEFAULT_DEADLINE,
            retry: RetryPolicy::default(),
            client: None,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            request_id_header: None,
            invalid: None,
        };
        builder.insert(
            USER_AGENT.as_str(),
            HeaderValue::from_str(user_agent),
            false,
        );
        builder
    }

    /// The base URL, with the trailing `/` that makes joining keep its path.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// The full URL a request goes to.
    pub fn url(&self, request: &Request) -> Result<Url, Error> {
        if let Some(why) = &request.invalid {
            return Err(Error::InvalidRequest(why.clone()));
        }
        // A provider crate's literal path (`Request::post("v1/quotes")`) always joins to the
        // same URL: it is joined once per client and kept.
        let literal = match &request.path {
            Cow::Borrowed(path) if request.segments.is_empty() && request.query.is_empty() => {
                Some(*path)
            }
            _ => None,
        };
        if let Some(path) = literal
            && let Ok(joined) = self.inner.literal_urls.read()
            && let Some((_, url)) = joined.iter().find(|(known, _)| *known == path)
        {
            return Ok(url.clone());
        }
        let mut url = self.inner.base_url.clone();
        url.path_segments_mut()
            .map_err(|()| Error::Config("the base URL cannot have a path".into()))?
            .pop_if_empty()
            .extend(request.path_segments());
        if !request.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&request.query);
        }
        if let Some(path) = literal
            && let Ok(mut joined) = self.inner.literal_urls.write()
            && joined.len() < MAX_LITERAL_URLS
            && !joined.iter().any(|(known, _)| *known == path)
        {
            joined.push((path, url.clone()));
        }
        Ok(url)
    }

    /// Sends `request`, retrying as the policy and the request allow, and reads the body of
    /// the final response within the size limit.
    ///
    /// A redirect is never followed: a 3xx answer is [`Error::Redirect`], naming the status
    /// and the target's origin, and is not retried. Any other status is `Ok`: the provider
    /// crate decodes its own error bodies and falls back to [`Response::status_error`].
    /// Transport failures, timeouts and oversize bodies are `Err`.
    pub async fn send(&self, request: Request) -> Result<Response, Error> {
        let url = self.url(&request)?;
        let span = tracing::info_span!(
            "ramp.http",
            method = %request.method,
            path = %url.path(),
            status = tracing::field::Empty,
            attempt = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        if span.is_disabled() {
            // No subscriber wants it: nothing to enter on every poll.
            return self.send_with_retries(&request, url, &span).await;
        }
        let call = self.send_with_retries(&request, url, &span);
        call.instrument(span.clone()).await
    }

    /// [`send`](Self::send), then [`Response::error_for_status`], then [`Response::json`].
    pub async fn send_json<T: serde::de::DeserializeOwned>(
        &self,
        request: Request,
    ) -> Result<T, Error> {
        self.send(request).await?.error_for_status()?.json()
    }

    async fn send_with_retries(
        &self,
        request: &Request,
        url: Url,
        span: &tracing::Span,
    ) -> Result<Response, Error> {
        let max_attempts = self.inner.retry.max_attempts();
        let deadline = self.inner.deadline;
        let call_started = Instant::now();
        // The first attempt takes the merged headers; a retry merges them again.
        let mut headers = Some(self.headers(request));
        let mut attempt = 1;
        loop {
            let started = call_started.elapsed();
            let headers = headers.take().unwrap_or_else(|| self.headers(request));
            let outcome = self
                .attempt(request, &url, headers, (call_started, started), attempt)
                .await;
            // The clock is read again only for someone who will see the latency.
            let latency_ms = if !span.is_disabled() || tracing::enabled!(tracing::Level::DEBUG) {
                let latency = call_started.elapsed().saturating_sub(started);
                u64::try_from(latency.as_millis()).unwrap_or(u64::MAX)
            } else {
                0
            };
            span.record("attempt", attempt);
            span.record("latency_ms", latency_ms);
            let retry = match &outcome {
                Ok(answer) => {
                    span.record("status", answer.status.as_u16());
                    tracing::debug!(
                        attempt,
                        latency_ms,
                        status = answer.status.as_u16(),
                        "attempt finished"
                    );
                    should_retry_response(request, answer.status, &answer.body)
                }
                Err(Error::Deadline { .. }) => false,
                Err(err) => {
                    tracing::debug!(attempt, latency_ms, error = %err, "attempt failed");
                    should_retry_error(request, err)
                }
            };
            if !retry || attempt >= max_attempts {
                return outcome.map(|answer| answer.into_response(request.method.clone(), url));
            }
            let retry_after = outcome
                .as_ref()
                .ok()
                .and_then(|answer| super::retry::retry_after(&answer.headers, SystemTime::now()));
            let delay = self.inner.retry.delay(attempt, retry_after);
            // A retry that could only start after the deadline is not started: the call ends
            // with this attempt's own outcome, which says what actually went wrong.
            if call_started.elapsed().saturating_add(delay) >= deadline {
                tracing::debug!(
                    attempt,
                    delay_ms = delay.as_millis() as u64,
                    "not retrying: the wait would end past the deadline"
                );
                return outcome.map(|answer| answer.into_response(request.method.clone(), url));
            }
            tracing::debug!(attempt, delay_ms = delay.as_millis() as u64, "retrying");
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    /// The client's default headers, then the request's own (which replace a default of the
    /// same name), in that order on the wire.
    pub(crate) fn headers(&self, request: &Request) -> HeaderMap {
        let mut headers = self.inner.headers.clone();
        for (name, value) in &request.headers {
            headers.insert(name.clone(), value.clone());
        }
        headers
    }

    /// One attempt, `started` into the call that began at `call_started`, cut short when the
    /// call's deadline passes ([`Error::Deadline`]).
    ///
    /// The attempt's timeout is the shorter of the per-attempt timeout and the time left
    /// before the deadline, and reqwest enforces it from connecting to the last body byte:
    /// one timer per attempt. When it fires and the deadline was the shorter, the error is
    /// [`Error::Deadline`]; otherwise [`Error::Timeout`].
    async fn attempt(
        &self,
        request: &Request,
        url: &Url,
        headers: HeaderMap,
        (call_started, started): (Instant, Duration),
        attempt: u32,
    ) -> Result<Answer, Error> {
        let inner = &self.inner;
        let path = url.path();
        let deadline = || Error::Deadline {
            method: request.method.clone(),
            path: path.to_owned(),
            deadline: inner.deadline,
            attempts: attempt,
        };
        let remaining = inner.deadline.saturating_sub(started);
        if remaining.is_zero() {
            return Err(deadline());
        }
        let timeout = inner.timeout.min(remaining);
        let failed = |source: reqwest::Error| {
            let deadline_passed = source.is_timeout()
                && remaining < inner.timeout
                && call_started.elapsed() >= inner.deadline;
            if deadline_passed {
                deadline()
            } else {
                transport_error(request, path, inner.timeout, source)
            }
        };
        let mut call = reqwest::Request::new(request.method.clone(), url.clone());
        *call.headers_mut() = headers;
        // A per-request timeout is stored in the request's extensions (an allocation per
        // request): set it only where the client does not already apply this one.
        if inner.client_timeout != Some(timeout) {
            *call.timeout_mut() = Some(timeout);
        }
        if let Some(body) = &request.body {
            *call.body_mut() = Some(reqwest::Body::from(body.clone()));
        }
        let mut response = inner.http.execute(call).await.map_err(failed)?;

        let status = response.status();
        if response.url() != url {
            return Err(Error::RedirectFollowed {
                method: request.method.clone(),
                path: path.to_owned(),
                target: origin(response.url()),
            });
        }
        if status.is_redirection() {
            let target = response
                .headers()
                .get(LOCATION)
                .and_then(|value| value.to_str().ok())
                .and_then(|location| url.join(location).ok())
                .map(|target| origin(&target));
            return Err(Error::Redirect {
                method: request.method.clone(),
                path: path.to_owned(),
                status,
                target,
            });
        }
        let headers = std::mem::take(response.headers_mut());
        let request_id = inner
            .request_id_header
            .as_ref()
            .and_then(|name| headers.get(name))
            .filter(|id| id.to_str().is_ok())
            .cloned();
        let request_id_text = || {
            request_id
                .as_ref()
                .and_then(|id| id.to_str().ok())
                .map(str::to_owned)
        };
        let limit = inner.max_body_bytes;
        let too_large = |body: &[u8]| Error::BodyTooLarge {
            method: request.method.clone(),
            path: path.to_owned(),
            status,
            limit,
            request_id: request_id_text(),
            snippet: snippet(body),
        };
        // The usual answer (a declared length within the limit, arriving in one piece) is
        // kept as it came. Anything else (a chunked answer, one declared over the limit, one in
        // several pieces) is read piece by piece up to the limit, in a boxed helper so that the
        // usual call does not carry that path's state.
        let read = match response.content_length() {
            Some(declared) if declared <= limit as u64 => {
                let first = response.chunk().await.map_err(failed)?.unwrap_or_default();
                if first.len() as u64 == declared {
                    Ok(first)
                } else {
                    Box::pin(read_capped(response, Some(first), limit)).await
                }
            }
            _ => Box::pin(read_capped(response, None, limit)).await,
        };
        let body = match read {
            Ok(body) => body,
            Err(Capped::TooLarge(start)) => return Err(too_large(&start)),
            Err(Capped::Failed(source)) => return Err(failed(source)),
        };
        Ok(Answer {
            status,
            headers,
            body,
            request_id,
        })
    }
}

/// Why a body read piece by piece stopped.
enum Capped {
    /// It is longer than the limit: its first `limit` bytes.
    TooLarge(Vec<u8>),
    /// Reading failed.
    Failed(reqwest::Error),
}

/// A body read piece by piece (after `first`, when a piece was read already), up to `limit`
/// bytes; a body over the limit (whether its declared length says so or its pieces add up
/// to more) stops at the limit.
async fn read_capped(
    mut response: reqwest::Response,
    first: Option<Bytes>,
    limit: usize,
) -> Result<Bytes, Capped> {
    if response
        .content_length()
        .is_some_and(|declared| declared > limit as u64)
    {
        let first = response.chunk().await.ok().flatten().unwrap_or_default();
        let start = first.get(..limit).unwrap_or(&first);
        return Err(Capped::TooLarge(start.to_vec()));
    }
    let mut body = Vec::new();
    let mut next = match first {
        Some(first) => Some(first),
        None => response.chunk().await.map_err(Capped::Failed)?,
    };
    while let Some(chunk) = next {
        if body.len() + chunk.len() > limit {
            body.extend_from_slice(&chunk[..limit - body.len()]);
            return Err(Capped::TooLarge(body));
        }
        body.extend_from_slice(&chunk);
        next = response.chunk().await.map_err(Capped::Failed)?;
    }
    Ok(Bytes::from(body))
}

/// `scheme://host[:port]` of a URL, never its path, query or credentials.
fn origin(url: &Url) -> String {
    url.origin().ascii_serialization()
}

pub(crate) fn transport_error(
    request: &Request,
    path: &str,
    timeout: Duration,
    source: reqwest::Error,
) -> Error {
    let method = request.method.clone();
    let path = path.to_owned();
    let source = source.without_url();
    if source.is_timeout() {
        Error::Timeout {
            method,
            path,
            connecting: source.is_connect(),
            timeout,
        }
    } else if source.is_connect() {
        Error::Connect {
            method,
            path,
            cause: Cause::of(&source),
            source,
        }
    } else {
        Error::Transport {
            method,
            path,
            cause: Cause::of(&source),
            source,
        }
    }
}

/// An idempotent call is retried on any retryable failure; any other call only when the
/// request never reached the server (connection refused, or the connect timeout fired).
pub(crate) fn should_retry_error(request: &Request, err: &Error) -> bool {
    err.is_never_sent() || (request.idempotent && err.is_retryable())
}

/// An idempotent call is retried on 408, 429 and 5xx gateway statuses; any other call only
/// on what its `retry_when` documents as safe.
pub(crate) fn should_retry_response(request: &Request, status: StatusCode, body: &[u8]) -> bool {
    if request.idempotent {
        is_retryable_status(status)
    } else {
        request.retry_when.is_some_and(|f| f(status, body))
    }
}

impl HttpClientBuilder {
    fn insert(
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

    /// The deadline of one call (default [`DEFAULT_DEADLINE`], 60 s): every attempt and every
    /// wait between attempts fit in it. When it passes mid-attempt the call ends with
    /// [`Error::Deadline`]; a retry whose wait would end past it is not started, and the call
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
    /// ([`Error::RedirectFollowed`]) whenever the final URL is not the one requested.
    pub fn client(mut self, client: reqwest::Client) -> Self {
        self.client = Some(client);
        self
    }

    /// The largest response body read (default 1 MiB); a larger one is
    /// [`Error::BodyTooLarge`].
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body_bytes = limit;
        self
    }

    /// The response header that carries the provider's request id (such as `x-request-id`);
    /// it is copied into [`Response::request_id`] and into errors.
    pub fn request_id_header(mut self, name: &str) -> Self {
        self.request_id_header = Some(name.to_owned());
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<HttpClient, Error> {
        if let Some(why) = self.invalid {
            return Err(Error::Config(why));
        }
        // A setting that would make every call fail at once is refused, not changed.
        if self.retry.max_attempts() == 0 {
            return Err(Error::Config(
                "the retry policy allows 0 attempts; RetryPolicy::none() is one attempt".into(),
            ));
        }
        for (name, value) in [
            ("connect timeout", self.connect_timeout),
            ("timeout", self.timeout),
            ("deadline", self.deadline),
        ] {
            if value.is_zero() {
                return Err(Error::Config(format!(
                    "the {name} must be longer than zero"
                )));
            }
        }
        let mut base_url = self.base_url;
        if !matches!(base_url.scheme(), "http" | "https") || base_url.cannot_be_a_base() {
            return Err(Error::Config(format!(
                "base URL must be an http or https URL, got scheme {:?}",
                base_url.scheme()
            )));
        }
        if base_url.query().is_some() || base_url.fragment().is_some() {
            return Err(Error::Config(
                "base URL must not have a query or fragment".into(),
            ));
        }
        if !base_url.path().ends_with('/') {
            let path = format!("{}/", base_url.path());
            base_url.set_path(&path);
        }
        let request_id_header = self
            .request_id_header
            .map(|name| {
                HeaderName::from_bytes(name.as_bytes())
                    .map_err(|_| Error::Config(format!("invalid request id header name {name:?}")))
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
                literal_urls: RwLock::default(),
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
        .map_err(|e| Error::Config(format!("could not build the HTTP client: {e}")))
}

fn header_names(headers: &HeaderMap) -> Vec<&str> {
    headers.keys().map(HeaderName::as_str).collect()
}

impl fmt::Debug for HttpClient {
    /// Base URL, header names, timeouts and policy; never a header value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("HttpClient")
            .field("base_url", &inner.base_url.as_str())
            .field("headers", &header_names(&inner.headers))
            .field("timeout", &inner.timeout)
            .field("deadline", &inner.deadline)
            .field("retry", &inner.retry)
            .field("max_body_bytes", &inner.max_body_bytes)
            .finish_non_exhaustive()
    }
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
