//! The crate's one error type.

use ramp_core::http::StatusCode;

/// Everything that can go wrong, from a request refused locally to an answer from Onramper.
///
/// No variant holds the API key, the signing key or a redirect URL.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request breaks a documented rule; nothing was signed or sent.
    #[error("invalid `{field}`: {reason}")]
    Validation {
        /// The field, by its wire name (`amount`, `wallet.address`, ...).
        field: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// Onramper answered with an error body: its code (such as `SIGNATURE_INVALID` or
    /// `NONCE_REUSED`, empty when the body has none) and message.
    #[error("Onramper error {code} (HTTP {status}): {message}")]
    Api {
        /// The HTTP status.
        status: StatusCode,
        /// Onramper's code, as it came.
        code: String,
        /// Onramper's message.
        message: String,
        /// The `x-request-id` response header, when the response has one.
        request_id: Option<String>,
        /// The response's `Retry-After`, as a wait, when it carried one.
        retry_after: Option<std::time::Duration>,
    },
    /// The checkout's 2xx answer could not be read: it is not JSON, or holds no `redirectUrl`
    /// and `sessionId`. Neither the body nor a value from it is shown: the body may hold the
    /// one-time redirect URL.
    #[error("the checkout answer could not be read ({reason}); its body is not shown")]
    UnreadableCheckout {
        /// Where reading failed.
        reason: String,
    },
    /// The request could not be signed (Signature V2): an ambiguous character, a bad key.
    #[error("could not sign the request: {0}")]
    Signing(#[from] ramp_onramper_sign::Error),
    /// A credential (the API key) is empty or whitespace only; nothing was sent.
    #[error(transparent)]
    EmptySecret(#[from] ramp_core::EmptySecret),
    /// The call failed below the API: a timeout, a connection or transport failure, a status
    /// without an error body (a proxy's HTML page), a body that does not decode (the error
    /// names the JSON path), or an invalid client configuration.
    #[error(transparent)]
    Http(#[from] ramp_core::http::Error),
}

ramp_core::provider_error!(Error);

impl Error {
    /// Onramper's error code, when it answered with one.
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::Api { code, .. } if !code.is_empty() => Some(code),
            _ => None,
        }
    }
}
