//! What an attempt does with reqwest's answer or failure: a body read within the cap, a
//! transport failure classified, and whether to try again.

use bytes::Bytes;
use reqwest::StatusCode;
use std::time::Duration;
use url::Url;

use super::cause::Cause;
use super::error::{Error, ErrorKind};
use super::request::Request;
use super::retry::is_retryable_status;

/// Why a body read piece by piece stopped.
pub(super) enum Capped {
    /// It is longer than the limit: its first `limit` bytes.
    TooLarge(Vec<u8>),
    /// Reading failed.
    Failed(reqwest::Error),
}

/// A body read piece by piece (after `first`, when a piece was read already), up to `limit`
/// bytes; a body over the limit (whether its declared length says so or its pieces add up
/// to more) stops at the limit.
pub(super) async fn read_capped(
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
pub(super) fn origin(url: &Url) -> String {
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
        ErrorKind::Timeout {
            method,
            path,
            connecting: source.is_connect(),
            timeout,
        }
        .into()
    } else if source.is_connect() {
        ErrorKind::Connect {
            method,
            path,
            cause: Cause::of(&source),
            source,
        }
        .into()
    } else {
        ErrorKind::Transport {
            method,
            path,
            cause: Cause::of(&source),
            source,
        }
        .into()
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

/// The error for a 3xx answer to `method url`: its status, and the origin its `Location`
/// points to (never the path or query, which may carry what the redirect wants to collect).
pub(super) fn redirect_error(
    method: &reqwest::Method,
    url: &Url,
    status: StatusCode,
    headers: &reqwest::header::HeaderMap,
) -> Error {
    let target = headers
        .get(reqwest::header::LOCATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|location| url.join(location).ok())
        .map(|target| origin(&target));
    ErrorKind::Redirect {
        method: method.clone(),
        path: url.path().to_owned(),
        status,
        target,
    }
    .into()
}
