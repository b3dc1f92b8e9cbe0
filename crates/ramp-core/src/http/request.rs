//! One call: the request a provider crate builds (the response is in `response.rs`).

use std::borrow::Cow;
use std::fmt;

use bytes::Bytes;
use reqwest::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use secrecy::{ExposeSecret, SecretString};

/// Decides from a response whether a call that is not idempotent may be sent again with the
/// same bytes, because the provider documents that response as "not acted on, retry".
pub type RetryWhen = fn(StatusCode, &[u8]) -> bool;

/// A request to send with [`HttpClient::send`](super::HttpClient::send).
///
/// The path is relative to the client's base URL. Literal path parts come from the provider
/// crate ([`Request::new`]); anything that comes from a user, such as an order id, is added
/// with [`Request::segment`], which percent-encodes it.
///
/// Whether the call is safe to repeat defaults from the method (RFC 9110: `GET`, `HEAD`,
/// `OPTIONS`, `PUT` and `DELETE` are idempotent) and can be set with
/// [`Request::idempotent`].
///
/// ```
/// use ramp_core::http::{Method, Request};
///
/// let create = Request::post("v1/widget-sessions").json_body(br#"{"a":1}"#.to_vec());
/// assert_eq!(create.body(), Some(&br#"{"a":1}"#[..]));
/// assert!(!create.is_idempotent());
/// let status = Request::get("orders").segment("ord/1 2").segment("status");
/// assert!(status.is_idempotent());
/// ```
#[derive(Clone)]
pub struct Request {
    pub(crate) method: Method,
    /// The literal path, as the provider crate wrote it (no allocation for a literal).
    pub(crate) path: Cow<'static, str>,
    /// Segments added with [`Request::segment`], encoded when the URL is built.
    pub(crate) segments: Vec<String>,
    pub(crate) query: Vec<(String, String)>,
    /// The request's own headers, each name once (a handful: a map is built per attempt,
    /// with the client's defaults).
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    /// Shared, not copied, by every attempt.
    pub(crate) body: Option<Bytes>,
    pub(crate) idempotent: bool,
    pub(crate) retry_when: Option<RetryWhen>,
    pub(crate) invalid: Option<String>,
    /// The successful answer holds a secret: no error shows its text.
    pub(crate) conceal_answer: bool,
}

impl Request {
    /// A request for the literal `path` (relative to the base URL; empty segments, such as a
    /// leading `/`, are ignored). A `&'static str` is kept as it is, unallocated.
    pub fn new(method: Method, path: impl Into<Cow<'static, str>>) -> Self {
        let idempotent = matches!(
            method,
            Method::GET | Method::HEAD | Method::OPTIONS | Method::PUT | Method::DELETE
        );
        Self {
            method,
            path: path.into(),
            segments: Vec::new(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            idempotent,
            retry_when: None,
            invalid: None,
            conceal_answer: false,
        }
    }

    /// `GET path`.
    pub fn get(path: impl Into<Cow<'static, str>>) -> Self {
        Self::new(Method::GET, path)
    }

    /// `POST path`.
    pub fn post(path: impl Into<Cow<'static, str>>) -> Self {
        Self::new(Method::POST, path)
    }

    /// Appends one path segment, percent-encoded (`/`, `?`, `#`, `%` and spaces included).
    /// An empty segment, `.` or `..` makes the request invalid.
    pub fn segment(mut self, segment: &str) -> Self {
        if segment.is_empty() || segment == "." || segment == ".." {
            self.invalid
                .get_or_insert_with(|| format!("path segment {segment:?} is not allowed"));
        }
        self.segments.push(segment.to_owned());
        self
    }

    /// Appends a query parameter (form-encoded).
    pub fn query(mut self, key: &str, value: &str) -> Self {
        self.query.push((key.to_owned(), value.to_owned()));
        self
    }

    /// Sets a header. An invalid name or value makes the request invalid, reported by
    /// `send` before anything is sent.
    pub fn header(self, name: &str, value: &str) -> Self {
        self.insert_header(name, HeaderValue::from_str(value), false)
    }

    /// Sets a header whose value is secret: it is marked sensitive, so it is never logged or
    /// printed by the HTTP stack, and it appears in no error.
    pub fn sensitive_header(self, name: &str, value: &SecretString) -> Self {
        self.insert_header(name, HeaderValue::from_str(value.expose_secret()), true)
    }

    fn insert_header(
        mut self,
        name: &str,
        value: Result<HeaderValue, reqwest::header::InvalidHeaderValue>,
        sensitive: bool,
    ) -> Self {
        if let Some((name, value)) = checked_header(&mut self.invalid, name, value, sensitive) {
            self.set(name, value);
        }
        self
    }

    /// Sets a header, replacing any value it had.
    fn set(&mut self, name: HeaderName, value: HeaderValue) {
        match self.headers.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => self.headers.push((name, value)),
        }
    }

    /// Sets the body to exactly these bytes (a `Vec<u8>` is taken over, not copied), with
    /// `Content-Type: application/json`.
    ///
    /// Serialize once, sign those bytes, send those bytes: every attempt sends the same ones.
    pub fn json_body(mut self, body: impl Into<Bytes>) -> Self {
        self.set(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        self.body = Some(body.into());
        self
    }

    /// Says whether the call may be repeated: an idempotent call is retried on timeouts,
    /// transport errors and retryable statuses; any other call only when the request never
    /// reached the server, or when [`Request::retry_when`] allows it.
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = idempotent;
        self
    }

    /// For a call that is not idempotent: the responses the provider documents as safe to
    /// retry with the same body (for example a 502 `upstream_error`).
    pub fn retry_when(mut self, retry_when: RetryWhen) -> Self {
        self.retry_when = Some(retry_when);
        self
    }

    /// The successful answer holds a secret (an access token, a one-time session token): an
    /// answer that does not decode, or is over the size limit, is an error that shows neither
    /// its text nor the decoder's message.
    pub fn conceal_answer(mut self) -> Self {
        self.conceal_answer = true;
        self
    }

    /// Whether the call is treated as idempotent.
    pub fn is_idempotent(&self) -> bool {
        self.idempotent
    }

    /// The method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The body bytes, if any.
    pub fn body(&self) -> Option<&[u8]> {
        self.body.as_deref()
    }

    /// The path segments: the literal path's, then those added with
    /// [`segment`](Self::segment).
    pub(crate) fn path_segments(&self) -> impl Iterator<Item = &str> {
        self.path
            .split('/')
            .filter(|s| !s.is_empty())
            .chain(self.segments.iter().map(String::as_str))
    }
}

impl fmt::Debug for Request {
    /// Method, path segments, header names and body length; never header values or the body.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("segments", &self.path_segments().collect::<Vec<_>>())
            .field(
                "headers",
                &self
                    .headers
                    .iter()
                    .map(|(name, _)| name)
                    .collect::<Vec<_>>(),
            )
            .field("body_len", &self.body.as_ref().map(Bytes::len))
            .field("idempotent", &self.idempotent)
            .finish_non_exhaustive()
    }
}

/// A header to set, marked sensitive if asked; an invalid name or value is recorded in
/// `invalid` (the first one wins), never echoing the value, which may be a credential.
pub(crate) fn checked_header(
    invalid: &mut Option<String>,
    name: &str,
    value: Result<HeaderValue, reqwest::header::InvalidHeaderValue>,
    sensitive: bool,
) -> Option<(HeaderName, HeaderValue)> {
    match (HeaderName::from_bytes(name.as_bytes()), value) {
        (Ok(name), Ok(mut value)) => {
            value.set_sensitive(sensitive);
            Some((name, value))
        }
        (Err(_), _) => {
            invalid.get_or_insert_with(|| format!("invalid header name {name:?}"));
            None
        }
        (Ok(_), Err(_)) => {
            invalid.get_or_insert_with(|| format!("invalid value for header {name}"));
            None
        }
    }
}
