//! The one shape of a provider's own error answer.

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;

use serde::de::DeserializeOwned;

use super::{Error, Response};

/// A provider answered with its documented error body: the same shape for every provider.
///
/// Reached from any provider crate's error as `err.api()` (or by matching its
/// `ErrorKind::Api`). `Display` names the provider, the code and the message once:
///
/// ```
/// use ramp_core::http::{ApiError, StatusCode};
///
/// let err = ApiError::new("Transak", StatusCode::CONFLICT)
///     .code("4005")
///     .message("Order already exists")
///     .request_id("r-1");
/// assert_eq!(err.to_string(), "Transak error 4005 (HTTP 409 Conflict): Order already exists [request id r-1]");
/// assert_eq!(err.code.as_deref(), Some("4005"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// The provider that answered, by name (`Transak`, `Proof`, ...).
    pub provider: &'static str,
    /// The HTTP status of the answer.
    pub status: StatusCode,
    /// The provider's error code, as it came (Transak's numeric `errorCode` as its digits,
    /// Kryptonim's `INVALID_REQUEST`, Koinal's `"05"`); `None` when the body has none.
    pub code: Option<String>,
    /// The provider's error class, where it sends one besides the code (Proof's `error`
    /// slug, such as `invalid_request`).
    pub category: Option<String>,
    /// The provider's message (empty when the body has none).
    pub message: String,
    /// The provider's request id header: quote it to the provider's support.
    pub request_id: Option<String>,
    /// The answer's `Retry-After`, as a wait.
    pub retry_after: Option<Duration>,
    /// What the provider's documentation says to check for this code, when it says.
    pub hint: Option<Cow<'static, str>>,
}

impl ApiError {
    /// An error from `provider` with this status, and nothing else known yet.
    pub fn new(provider: &'static str, status: StatusCode) -> Self {
        Self {
            provider,
            status,
            code: None,
            category: None,
            message: String::new(),
            request_id: None,
            retry_after: None,
            hint: None,
        }
    }

    /// An error from `provider` for this answer: its status, request id and `Retry-After`.
    pub fn from_response(provider: &'static str, response: &Response) -> Self {
        Self {
            request_id: response.request_id().map(str::to_owned),
            retry_after: response.retry_after(),
            ..Self::new(provider, response.status())
        }
    }

    /// With the provider's code (an empty code is no code).
    pub fn code(mut self, code: impl Into<String>) -> Self {
        let code = code.into();
        self.code = (!code.is_empty()).then_some(code);
        self
    }

    /// With the provider's error class (an empty one is none).
    pub fn category(mut self, category: impl Into<String>) -> Self {
        let category = category.into();
        self.category = (!category.is_empty()).then_some(category);
        self
    }

    /// With the provider's message.
    pub fn message(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
    }

    /// With the request id.
    pub fn request_id(mut self, request_id: impl Into<String>) -> Self {
        self.request_id = Some(request_id.into());
        self
    }

    /// With what to check.
    pub fn hint(mut self, hint: impl Into<Cow<'static, str>>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Whether the same call may succeed later (408, 429, 500, 502, 503, 504).
    pub fn is_retryable(&self) -> bool {
        super::is_retryable_status(self.status)
    }
}

impl Response {
    /// The answer as a provider crate reads it: a 2xx body as `T`; otherwise the provider's
    /// error body, read by `error_body`, as an [`ApiError`]; anything else (a proxy's HTML
    /// page, an empty body) as the generic [status error](Response::status_error).
    ///
    /// ```
    /// # fn read(response: ramp_core::http::Response) -> Result<(), ramp_core::http::Error> {
    /// use ramp_core::http::{ApiError, Error};
    ///
    /// #[derive(serde::Deserialize)]
    /// struct Body { code: String, message: String }
    ///
    /// enum MyError { Api(ApiError), Http(Error) }
    /// impl From<ApiError> for MyError { fn from(e: ApiError) -> Self { Self::Api(e) } }
    /// impl From<Error> for MyError { fn from(e: Error) -> Self { Self::Http(e) } }
    ///
    /// let quote: Result<serde_json::Value, MyError> = response.decode(|response| {
    ///     let body: Body = serde_json::from_slice(response.body()).ok()?;
    ///     Some(ApiError::from_response("Example", response).code(body.code).message(body.message))
    /// });
    /// # Ok(()) }
    /// ```
    pub fn decode<T, E>(&self, error_body: impl FnOnce(&Self) -> Option<ApiError>) -> Result<T, E>
    where
        T: DeserializeOwned,
        E: From<Error> + From<ApiError>,
    {
        if self.status().is_success() {
            return Ok(self.json()?);
        }
        Err(match error_body(self) {
            Some(api) => api.into(),
            None => self.status_error().into(),
        })
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} error", self.provider)?;
        match (&self.category, &self.code) {
            (Some(category), Some(code)) if category != code => write!(f, " {category}/{code}")?,
            (Some(_), Some(code)) => write!(f, " {code}")?,
            (Some(one), None) | (None, Some(one)) => write!(f, " {one}")?,
            (None, None) => {}
        }
        write!(f, " (HTTP {})", self.status)?;
        match self.message.as_str() {
            "" => f.write_str(": (no message)")?,
            message => write!(f, ": {message}")?,
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        if let Some(wait) = self.retry_after {
            write!(f, " (retry after {wait:?})")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, " ({hint})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_provider_code_and_message_once() {
        let err = ApiError::new("Proof", StatusCode::BAD_REQUEST)
            .category("invalid_request")
            .code("currency_not_allowed")
            .message("Currency not allowed")
            .hint("enable it");
        assert_eq!(
            err.to_string(),
            "Proof error invalid_request/currency_not_allowed (HTTP 400 Bad Request): \
             Currency not allowed (enable it)"
        );
        let bare = ApiError::new("Koinal", StatusCode::OK).code("");
        assert_eq!(bare.code, None);
        assert_eq!(bare.to_string(), "Koinal error (HTTP 200 OK): (no message)");
    }
}
