//! The crate's one error type.

use ramp_core::http::ApiError;

/// Everything that can go wrong, from a request refused locally to an answer from Onramper.
///
/// One pointer wide; what went wrong is its [`kind`](Error::kind). Onramper's own error
/// answers are [`ErrorKind::Api`](crate::ErrorKind::Api), the same [`ApiError`] every provider crate returns.
///
/// No variant holds the API key, the signing key or a redirect URL.
pub struct Error(Box<ErrorKind>);

/// What went wrong: the [`kind`](Error::kind) of an [`Error`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The request breaks a documented rule; nothing was signed or sent.
    #[error("invalid `{field}`: {reason}")]
    Validation {
        /// The field, by its wire name (`amount`, `wallet.address`, ...).
        field: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// Onramper answered with an error body: its code (such as `SIGNATURE_INVALID` or
    /// `NONCE_REUSED`) and message, as they came.
    #[error(transparent)]
    Api(ApiError),
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
    Signing(ramp_onramper_sign::Error),
    /// A credential (the API key) is empty or whitespace only; nothing was sent.
    #[error(transparent)]
    EmptySecret(ramp_core::EmptySecret),
    /// The call failed below the API: a timeout, a connection or transport failure, a status
    /// without an error body (a proxy's HTML page), a body that does not decode (the error
    /// names the JSON path), or an invalid client configuration.
    #[error(transparent)]
    Http(ramp_core::http::Error),
}

ramp_core::provider_error!(Error, ErrorKind);

/// The provider's name in errors.
pub(crate) const PROVIDER: &str = "Onramper";

impl From<ramp_onramper_sign::Error> for Error {
    fn from(err: ramp_onramper_sign::Error) -> Self {
        ErrorKind::Signing(err).into()
    }
}
