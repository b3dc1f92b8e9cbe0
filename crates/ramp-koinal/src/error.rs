//! The crate's one error type.

use std::fmt;
use std::time::Duration;

use ramp_core::http::ApiError;

/// Everything that can go wrong, from a request refused locally to a forged callback.
///
/// One pointer wide; what went wrong is its [`kind`](Error::kind). Koinal's own error answers
/// are [`ErrorKind::Api`](crate::ErrorKind::Api), the same [`ApiError`] every provider crate returns.
///
/// No variant holds the merchant secret, the callback secret or an authorization hash.
pub struct Error(Box<ErrorKind>);

/// What went wrong: the [`kind`](Error::kind) of an [`Error`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The request breaks a documented rule; nothing was sent.
    #[error("invalid `{field}`: {reason}")]
    Validation {
        /// The field, by its wire name (`currency`, `destination_tag`, ...).
        field: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// Koinal answered with a result code other than `"00"` (its code and message as they
    /// came), or an HTTP error with its envelope.
    #[error(transparent)]
    Api(ApiError),
    /// An authorization hash that decodes but is refused by
    /// [`AuthHash::verify`](crate::AuthHash::verify) or
    /// [`AuthHash::verify_fresh`](crate::AuthHash::verify_fresh).
    #[error("authorization hash rejected: {0}")]
    HashRejected(HashError),
    /// An authorization hash that cannot be decoded ([`AuthHash::decode`](crate::AuthHash::decode)).
    #[error("not a Koinal authorization hash: {reason}")]
    InvalidHash {
        /// What is wrong with it.
        reason: String,
    },
    /// A credential (merchant secret, callback secret) is empty or whitespace only; nothing was signed, verified
    /// or sent.
    #[error(transparent)]
    EmptySecret(ramp_core::EmptySecret),
    /// The call failed below the API: a timeout, a connection or transport failure, a status
    /// without Koinal's envelope (a proxy's HTML page), a body that does not decode (the error
    /// names the JSON path), or an invalid client configuration.
    #[error(transparent)]
    Http(ramp_core::http::Error),
}

ramp_core::provider_error!(Error, ErrorKind);

/// The provider's name in errors.
pub(crate) const PROVIDER: &str = "Koinal";

/// Why an authorization hash was refused. Each cause is its own variant so logs say which.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum HashError {
    /// The signature does not match the fields under this secret: a changed field, or
    /// another merchant's secret.
    Mismatch,
    /// The timestamp is not Unix seconds.
    InvalidTimestamp,
    /// The timestamp is older than the maximum age: a replayed hash.
    Expired {
        /// How old it is.
        age: Duration,
        /// The maximum age allowed.
        max_age: Duration,
    },
    /// The timestamp is further ahead of the verifier's clock than the allowed skew.
    FromTheFuture {
        /// How far ahead it is.
        ahead: Duration,
    },
}

impl fmt::Display for HashError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Mismatch => f.write_str(
                "the signature does not match the fields (changed fields, or another secret)",
            ),
            Self::InvalidTimestamp => f.write_str("the timestamp is not Unix seconds"),
            Self::Expired { age, max_age } => write!(
                f,
                "the timestamp is {}s old, older than the {}s allowed",
                age.as_secs(),
                max_age.as_secs()
            ),
            Self::FromTheFuture { ahead } => write!(
                f,
                "the timestamp is {}s in the future, beyond the allowed clock skew",
                ahead.as_secs()
            ),
        }
    }
}
