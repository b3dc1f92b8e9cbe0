//! The error every provider crate wraps.

use super::cause::Cause;
use super::error_text::{RequestId, RetryAfter, Snippet, TimeoutWhat};
use std::fmt;
use std::time::Duration;

use reqwest::{Method, StatusCode};

/// What went wrong with an HTTP call, before any provider-specific meaning is given to it.
///
/// Provider crates wrap this in their own error type and decode their documented error bodies
/// first; what is left (a proxy's HTML page, an oversize body, a timeout) lands here. No
/// variant holds a header value or a secret; body text is kept only as a short
/// [snippet](super::SNIPPET_CHARS).
///
/// One pointer wide, as `reqwest::Error` is: what went wrong is its [`kind`](Error::kind).
///
/// ```
/// # fn handle(err: ramp_core::http::Error) {
/// use ramp_core::http::ErrorKind;
/// match err.kind() {
///     ErrorKind::Timeout { .. } => { /* try again later */ }
///     ErrorKind::Status { status, .. } => eprintln!("HTTP {status}"),
///     _ => eprintln!("{err}"),
/// }
/// # }
/// ```
pub struct Error(Box<ErrorKind>);

/// What went wrong with an HTTP call: the [`kind`](Error::kind) of an [`Error`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The call did not complete within its timeout: the connect timeout while connecting
    /// (the request was not sent), or the total timeout of the attempt.
    #[error("{method} {path} {}", TimeoutWhat(*.connecting, *.timeout))]
    Timeout {
        /// The request method.
        method: Method,
        /// The request path.
        path: String,
        /// Whether the timeout fired while connecting, before any byte of the request left.
        connecting: bool,
        /// The total timeout of an attempt in force for the call.
        timeout: Duration,
    },
    /// No connection could be made: the request never reached the server. `Display` names
    /// the cause in plain words ([`Cause`]); the transport error it was read from is the
    /// [`source`](std::error::Error::source).
    #[error("{method} {path}: could not connect: {cause}")]
    Connect {
        /// The request method.
        method: Method,
        /// The request path.
        path: String,
        /// What went wrong, in plain words.
        cause: Cause,
        /// The underlying transport error.
        #[source]
        source: reqwest::Error,
    },
    /// The connection failed while the request or response was in flight. `Display` names
    /// the cause ([`Cause`]); the transport error is the [`source`](std::error::Error::source).
    #[error("{method} {path}: the connection failed during the call: {cause}")]
    Transport {
        /// The request method.
        method: Method,
        /// The request path.
        path: String,
        /// What went wrong, in plain words.
        cause: Cause,
        /// The underlying transport error.
        #[source]
        source: reqwest::Error,
    },
    /// The call's deadline passed before an answer came: across every attempt and every wait
    /// between them (see `HttpClientBuilder::deadline`). A retry whose wait would end past the
    /// deadline is not started; the call then ends with the last attempt's own error instead.
    #[error(
        "{method} {path}: no answer within the call's deadline of {deadline:?} \
         ({attempts} attempt{})",
        if *.attempts == 1 { "" } else { "s" }
    )]
    Deadline {
        /// The request method.
        method: Method,
        /// The request path.
        path: String,
        /// The deadline in force for the call.
        deadline: Duration,
        /// The attempts started, the one cut short included.
        attempts: u32,
    },
    /// The server answered with a redirect (any 3xx). The client never follows one: the
    /// request carried credentials (API keys, signatures, tokens), and following would hand
    /// them to whatever origin the `Location` names. Not retried.
    #[error(
        "{method} {path}: the server answered {status} with a redirect to {}; redirects are \
         never followed, so no credential was sent there (check the base URL)",
        .target.as_deref().unwrap_or("no usable Location")
    )]
    Redirect {
        /// The request method.
        method: Method,
        /// The request path.
        path: String,
        /// The 3xx status.
        status: StatusCode,
        /// The origin (`scheme://host:port`) the `Location` header points at, never its path
        /// or query; `None` when the header is missing or not a URL.
        target: Option<String>,
    },
    /// The response came from another URL than the one requested: the `reqwest::Client`
    /// given with `http_client(...)` follows redirects, so the request (and its credentials)
    /// went on to `target`. The response is refused. Build that client with
    /// `reqwest::redirect::Policy::none()`.
    #[error(
        "{method} {path}: the response came from {target} after a redirect that the supplied \
         reqwest::Client followed; it is refused (build that client with \
         reqwest::redirect::Policy::none(), or credentials leave for other origins)"
    )]
    RedirectFollowed {
        /// The request method.
        method: Method,
        /// The request path.
        path: String,
        /// The origin the response came from.
        target: String,
    },
    /// The server answered with a non-success status and a body that was not decoded as the
    /// provider's error shape.
    #[error(
        "{method} {origin}{path}: HTTP {status}{}{}: {}",
        RequestId(.request_id),
        RetryAfter(.retry_after),
        Snippet(.snippet)
    )]
    Status {
        /// The request method.
        method: Method,
        /// `scheme://host[:port]` of the request: with several providers configured, which
        /// base URL answered.
        origin: String,
        /// The request path.
        path: String,
        /// The response status.
        status: StatusCode,
        /// The provider's request id header, where the client is configured with one.
        request_id: Option<String>,
        /// The response's `Retry-After`, as seconds or an HTTP date turned into a wait.
        retry_after: Option<Duration>,
        /// The start of the response body.
        snippet: String,
    },
    /// The response body is larger than the client's limit.
    #[error(
        "{method} {path}: response body exceeds the limit of {limit} bytes (HTTP {status}){}: {}",
        RequestId(.request_id),
        Snippet(.snippet)
    )]
    BodyTooLarge {
        /// The request method.
        method: Method,
        /// The request path.
        path: String,
        /// The response status.
        status: StatusCode,
        /// The configured limit in bytes.
        limit: usize,
        /// The provider's request id header, where configured.
        request_id: Option<String>,
        /// The start of the response body.
        snippet: String,
    },
    /// JSON was expected and the body is something else, such as an HTML error page.
    #[error(
        "{method} {path}: expected a JSON body, got {} (HTTP {status}){}: {}",
        .content_type.as_deref().unwrap_or("no content type"),
        RequestId(.request_id),
        Snippet(.snippet)
    )]
    NotJson {
        /// The request method.
        method: Method,
        /// The request path.
        path: String,
        /// The response status.
        status: StatusCode,
        /// The response `Content-Type`, if any.
        content_type: Option<String>,
        /// The provider's request id header, where configured.
        request_id: Option<String>,
        /// The start of the response body.
        snippet: String,
    },
    /// The body is JSON (or claims to be) but does not decode into the expected type.
    #[error(
        "{method} {request_path}: could not decode the response at `{path}`: {message} \
         (HTTP {status}){}",
        RequestId(.request_id)
    )]
    Decode {
        /// The request method.
        method: Method,
        /// The request path.
        request_path: String,
        /// The response status.
        status: StatusCode,
        /// Where in the document decoding failed, such as `data.items[1].amount`
        /// (`.` for the document itself, as for a syntax error).
        path: String,
        /// What was wrong there.
        message: String,
        /// The provider's request id header, where configured.
        request_id: Option<String>,
        /// The start of the response body.
        snippet: String,
    },
    /// The request could not be built (an invalid path segment or header value).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// The client could not be built (an invalid base URL, header or TLS setup).
    #[error("invalid HTTP client configuration: {0}")]
    Config(String),
}

impl Error {
    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.0
    }

    /// What went wrong, by value.
    pub fn into_kind(self) -> ErrorKind {
        *self.0
    }

    /// Whether the same call may succeed if tried again later: timeouts, connection and
    /// transport failures, and the statuses 408, 429, 500, 502, 503 and 504.
    ///
    /// This says nothing about whether repeating the call is *safe*; the client retries a
    /// call that is not idempotent only when the request never reached the server.
    pub fn is_retryable(&self) -> bool {
        match self.kind() {
            ErrorKind::Timeout { .. }
            | ErrorKind::Connect { .. }
            | ErrorKind::Transport { .. }
            | ErrorKind::Deadline { .. } => true,
            ErrorKind::Status { status, .. } => super::retry::is_retryable_status(*status),
            _ => false,
        }
    }

    /// Whether the call ran out of time on this side: an attempt's timeout, or the call's
    /// deadline. (A 408 from the server is a status, not a timeout here.)
    pub fn is_timeout(&self) -> bool {
        matches!(
            self.kind(),
            ErrorKind::Timeout { .. } | ErrorKind::Deadline { .. }
        )
    }

    /// Whether the request provably never reached the server: no connection was made
    /// (refused, or the connect timeout fired).
    pub fn is_never_sent(&self) -> bool {
        matches!(
            self.kind(),
            ErrorKind::Connect { .. }
                | ErrorKind::Timeout {
                    connecting: true,
                    ..
                }
        )
    }

    /// The HTTP status, for the variants that have one.
    pub fn status(&self) -> Option<StatusCode> {
        match self.kind() {
            ErrorKind::Status { status, .. }
            | ErrorKind::Redirect { status, .. }
            | ErrorKind::BodyTooLarge { status, .. }
            | ErrorKind::NotJson { status, .. }
            | ErrorKind::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The response's `Retry-After` as a wait, when the answer carried one.
    pub fn retry_after(&self) -> Option<Duration> {
        match self.kind() {
            ErrorKind::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// The provider's request id, for the variants that have one.
    pub fn request_id(&self) -> Option<&str> {
        match self.kind() {
            ErrorKind::Status { request_id, .. }
            | ErrorKind::BodyTooLarge { request_id, .. }
            | ErrorKind::NotJson { request_id, .. }
            | ErrorKind::Decode { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Self(Box::new(kind))
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}
