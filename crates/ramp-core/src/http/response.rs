//! What a call received: the response, read whole within the client's size limit.

use std::fmt;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use url::Url;

use crate::json::from_json_slice;

use super::error::{Error, ErrorKind};
use super::error_text::snippet;
use super::request::Request;

/// A response read whole (within the client's size limit), whatever its status.
pub struct Response {
    pub(crate) method: Method,
    /// The URL requested (its path names the call in errors; the query is never shown).
    pub(crate) url: Url,
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    /// The provider's request id header, when it is text.
    pub(crate) request_id: Option<HeaderValue>,
    /// The answer holds a secret ([`Request::conceal_answer`]).
    pub(crate) concealed: bool,
}

/// What one attempt received: a [`Response`] but for the URL, which the call keeps until
/// it ends (one URL per call, not one per attempt).
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) request_id: Option<HeaderValue>,
}

impl Answer {
    /// The response to the call `method url`.
    pub(crate) fn into_response(self, request: &Request, url: Url) -> Response {
        Response {
            method: request.method.clone(),
            url,
            status: self.status,
            headers: self.headers,
            body: self.body,
            request_id: self.request_id,
            concealed: request.conceal_answer,
        }
    }
}

impl Response {
    /// The status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body bytes, exactly as received (the provider's signature, if any, is over these).
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The provider's request id, when the client is configured with its header name.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_ref().and_then(|id| id.to_str().ok())
    }

    /// `Retry-After`, as seconds or an HTTP date, if present.
    pub fn retry_after(&self) -> Option<Duration> {
        super::retry::retry_after(&self.headers, SystemTime::now())
    }

    fn content_type(&self) -> Option<String> {
        self.headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }

    /// Decodes the body as JSON into `T`.
    ///
    /// A body that is not JSON (an HTML page from a proxy) is [`ErrorKind::NotJson`]; JSON that
    /// does not fit `T` is [`ErrorKind::Decode`] naming the path, such as `items[1].amount`.
    ///
    /// For a request marked [`conceal_answer`](Request::conceal_answer), neither error shows
    /// the body or the decoder's message (which can quote a value): only where it failed.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        from_json_slice(&self.body).map_err(|err| {
            let snippet = |body: &[u8]| match self.concealed {
                true => String::new(),
                false => snippet(body),
            };
            let content_type = self.content_type();
            let declared_json = content_type
                .as_deref()
                .is_some_and(|ct| ct.to_ascii_lowercase().contains("json"));
            if err.syntax && !declared_json && !looks_like_json(&self.body) {
                return ErrorKind::NotJson {
                    method: self.method.clone(),
                    path: self.path().to_owned(),
                    status: self.status,
                    content_type,
                    request_id: self.request_id().map(str::to_owned),
                    snippet: snippet(&self.body),
                }
                .into();
            }
            ErrorKind::Decode {
                method: self.method.clone(),
                request_path: self.path().to_owned(),
                status: self.status,
                path: err.path,
                message: match self.concealed {
                    true => "not the expected shape (the answer holds a secret: not shown)".into(),
                    false => err.message,
                },
                request_id: self.request_id().map(str::to_owned),
                snippet: snippet(&self.body),
            }
            .into()
        })
    }

    /// The generic error for this response: [`ErrorKind::Status`] with the method and path, the
    /// request id, `Retry-After` and a body snippet.
    pub fn status_error(&self) -> Error {
        ErrorKind::Status {
            method: self.method.clone(),
            origin: self.url.origin().ascii_serialization(),
            path: self.path().to_owned(),
            status: self.status,
            request_id: self.request_id().map(str::to_owned),
            retry_after: self.retry_after(),
            snippet: snippet(&self.body),
        }
        .into()
    }

    /// The method of the request this answers.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The path of the request this answers (never its query).
    pub fn path(&self) -> &str {
        self.url.path()
    }

    /// `Ok(self)` for a 2xx status, otherwise [`Response::status_error`].
    pub fn error_for_status(self) -> Result<Self, Error> {
        if self.status.is_success() {
            Ok(self)
        } else {
            Err(self.status_error())
        }
    }
}

impl fmt::Debug for Response {
    /// Status, request id and body length; never header values or the body.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("request_id", &self.request_id())
            .field("body_len", &self.body.len())
            .finish_non_exhaustive()
    }
}

/// Whether the first non-blank byte could start a JSON document.
fn looks_like_json(body: &[u8]) -> bool {
    matches!(
        body.iter().find(|b| !b.is_ascii_whitespace()),
        Some(b'{' | b'[' | b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n')
    )
}
