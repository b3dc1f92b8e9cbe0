//! The crate's one error type.

use ramp_core::http::{ApiError, Response};

/// Everything that can go wrong, from a request refused locally to an answer from Kryptonim.
///
/// One pointer wide; what went wrong is its [`kind`](Error::kind). Kryptonim's own error
/// answers are [`ErrorKind::Api`](crate::ErrorKind::Api), the same [`ApiError`] every provider crate returns.
///
/// No variant holds a credential: the API key and the signature secret never appear in
/// `Display` or `Debug`.
pub struct Error(Box<ErrorKind>);

/// What went wrong: the [`kind`](Error::kind) of an [`Error`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The request breaks a rule of Kryptonim's documentation; nothing was sent.
    #[error("invalid `{field}`: {reason}")]
    Validation {
        /// The field, by its wire name (`fiatCurrency`, `metadata`, ...).
        field: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// The client is in testnet mode and the request asks for something the testnet does not
    /// support; nothing was sent.
    #[error("testnet supports only {allowed} for `{field}`, not {value:?}")]
    TestnetLimit {
        /// The field, by its wire name.
        field: &'static str,
        /// The value that was given.
        value: String,
        /// The values the testnet supports, as the documentation lists them.
        allowed: &'static str,
    },
    /// Kryptonim answered with its error shape `{"code", "message"}`: the code (such as
    /// `INVALID_REQUEST` or `UNAUTHORIZED`) and message as they came, with the request id
    /// and what to check after a 401.
    #[error(transparent)]
    Api(ApiError),
    /// A success or failure redirect URL that does not carry a session id and a status.
    #[error("not a Kryptonim redirect: {reason}")]
    InvalidRedirect {
        /// What is missing or ambiguous.
        reason: String,
    },
    /// A credential given to the client or to [`sign_body`](crate::sign_body) is empty or
    /// whitespace only; nothing was signed or sent.
    #[error(transparent)]
    EmptySecret(ramp_core::EmptySecret),
    /// The call failed below the API: a timeout, a connection or transport failure, a status
    /// without Kryptonim's error body (a proxy's HTML page), a body that does not decode
    /// (the error names the JSON path), or an invalid client configuration.
    #[error(transparent)]
    Http(ramp_core::http::Error),
}

ramp_core::provider_error!(Error, ErrorKind);

/// The provider's name in errors.
pub(crate) const PROVIDER: &str = "Kryptonim";

/// What the documentation says to check after a 401 `UNAUTHORIZED`.
pub(crate) const UNAUTHORIZED_HINT: &str = "check that the X-API-Key and X-Request-Signature \
    headers are sent, that the signature secret is the one Kryptonim issued for this \
    environment, and that the body was not changed after it was signed";

/// Kryptonim's error answer, when the body is its shape `{"code", "message"}`.
pub(crate) fn api_error(response: &Response) -> Option<ApiError> {
    #[derive(serde::Deserialize)]
    struct Body {
        code: String,
        #[serde(default)]
        message: String,
    }
    let body: Body = serde_json::from_slice(response.body()).ok()?;
    let unauthorized = body.code == "UNAUTHORIZED"
        || response.status() == ramp_core::http::StatusCode::UNAUTHORIZED;
    let api = ApiError::from_response(PROVIDER, response)
        .code(body.code)
        .message(body.message);
    Some(if unauthorized {
        api.hint(UNAUTHORIZED_HINT)
    } else {
        api
    })
}
