//! The client every provider crate shares.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, USER_AGENT};
use tracing::Instrument as _;
use url::Url;

use super::builder::HttpClientBuilder;
use super::error::{Error, ErrorKind};
use super::error_text::snippet;
use super::request::Request;
use super::response::{Answer, Response};
use super::retry::RetryPolicy;
use super::transport::{
    Capped, origin, read_capped, redirect_error, should_retry_error, should_retry_response,
    transport_error,
};

/// The default connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default total timeout of one attempt, from connecting to the last body byte.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The default deadline of one call, across every attempt and every wait between them.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(60);

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
///     ramp_core::http::ErrorKind::Config(e.to_string())
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
    pub(super) inner: Arc<Inner>,
}

pub(super) struct Inner {
    pub(super) http: reqwest::Client,
    /// The total timeout `http` applies to every request by itself: the client this crate
    /// built has one, a client given with [`HttpClientBuilder::client`] is not relied on.
    pub(super) client_timeout: Option<Duration>,
    pub(super) base_url: Url,
    pub(super) headers: HeaderMap,
    pub(super) timeout: Duration,
    pub(super) deadline: Duration,
    pub(super) retry: RetryPolicy,
    pub(super) max_body_bytes: usize,
    pub(super) request_id_header: Option<HeaderName>,
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
            return Err(ErrorKind::InvalidRequest(why.clone()).into());
        }
        let mut url = self.inner.base_url.clone();
        url.path_segments_mut()
            .map_err(|()| ErrorKind::Config("the base URL cannot have a path".into()))?
            .pop_if_empty()
            .extend(request.path_segments());
        if !request.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&request.query);
        }
        Ok(url)
    }

    /// Sends `request`, retrying as the policy and the request allow, and reads the body of
    /// the final response within the size limit.
    ///
    /// A redirect is never followed: a 3xx answer is [`ErrorKind::Redirect`], naming the status
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
                Err(e) if matches!(e.kind(), ErrorKind::Deadline { .. }) => false,
                Err(err) => {
                    tracing::debug!(attempt, latency_ms, error = %err, "attempt failed");
                    should_retry_error(request, err)
                }
            };
            if !retry || attempt >= max_attempts {
                return outcome.map(|answer| answer.into_response(request, url));
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
                return outcome.map(|answer| answer.into_response(request, url));
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
    /// call's deadline passes ([`ErrorKind::Deadline`]).
    ///
    /// The attempt's timeout is the shorter of the per-attempt timeout and the time left
    /// before the deadline, and reqwest enforces it from connecting to the last body byte:
    /// one timer per attempt. When it fires and the deadline was the shorter, the error is
    /// [`ErrorKind::Deadline`]; otherwise [`ErrorKind::Timeout`].
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
        let deadline = || {
            ErrorKind::Deadline {
                method: request.method.clone(),
                path: path.to_owned(),
                deadline: inner.deadline,
                attempts: attempt,
            }
            .into()
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
            return Err(ErrorKind::RedirectFollowed {
                method: request.method.clone(),
                path: path.to_owned(),
                target: origin(response.url()),
            }
            .into());
        }
        if status.is_redirection() {
            return Err(redirect_error(
                &request.method,
                url,
                status,
                response.headers(),
            ));
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
        let too_large = |body: &[u8]| {
            ErrorKind::BodyTooLarge {
                method: request.method.clone(),
                path: path.to_owned(),
                status,
                limit,
                request_id: request_id_text(),
                snippet: match request.conceal_answer && status.is_success() {
                    true => String::new(),
                    false => snippet(body),
                },
            }
            .into()
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

pub(super) fn header_names(headers: &HeaderMap) -> Vec<&str> {
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
