//! The HTTP plumbing every provider crate shares (feature `http`).
//!
//! A provider crate builds a [`Request`] (its bytes already signed), hands it to an
//! [`HttpClient`], and decodes the [`Response`] into its typed result or typed error,
//! wrapping [`Error`] for what is not provider-specific.
//!
//! Tracing: each call runs in a `ramp.http` span with `method`, `path`, `status`, `attempt`
//! and `latency_ms`; no header value, query string or body is ever recorded.

mod api_error;
mod builder;
mod cause;
mod client;
mod config;
mod error;
mod error_text;
mod macros;
mod request;
mod response;
mod retry;
mod transport;
mod upgrade;

pub use crate::json::{JsonError, from_json_slice};
pub use api_error::ApiError;
pub use builder::HttpClientBuilder;
pub use cause::Cause;
pub use client::{
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_DEADLINE, DEFAULT_MAX_BODY_BYTES, DEFAULT_TIMEOUT, HttpClient,
};
pub use config::HttpConfig;
pub use error::{Error, ErrorKind};
pub use error_text::{SNIPPET_CHARS, snippet};
pub use request::{Request, RetryWhen};
pub use response::Response;
pub use retry::{RetryPolicy, is_retryable_status};
pub use upgrade::{Upgrade, UpgradeClient, retry_after_header};

/// The HTTP client crate underneath, so a provider crate's user can pass its own
/// `reqwest::Client` without matching versions by hand.
pub use reqwest;
pub use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
pub use reqwest::{Method, StatusCode};
pub use url::Url;
