//! The crate's one error type.

use std::fmt;

use ramp_core::http::StatusCode;

/// Everything that can go wrong, from a request refused locally to an answer from Kryptonim.
///
/// No variant holds a credential: the API key and the signature secret never appear in
/// `Display` or `Debug`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
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
    /// Kryptonim answered with its error shape `{"code", "message"}`.
    #[error("Kryptonim error {code} (HTTP {status}): {message}{}", Hint(.code, *.status))]
    Api {
        /// The HTTP status.
        status: StatusCode,
        /// Kryptonim's error code, such as `INVALID_REQUEST` or `UNAUTHORIZED`.
        code: String,
        /// Kryptonim's message, such as `Unsupported network`.
        message: String,
        /// The `X-Request-Id` response header, when Kryptonim sends one.
        request_id: Option<String>,
        /// The response's `Retry-After`, as a wait, when it carried one.
        retry_after: Option<std::time::Duration>,
    },
    /// A success or failure redirect URL that does not carry a session id and a status.
    #[error("not a Kryptonim redirect: {reason}")]
    InvalidRedirect {
        /// What is missing or ambiguous.
        reason: String,
    },
    /// A credential given to the client or to [`sign_body`](crate::sign_body) is empty or
    /// whitespace only; nothing was signed or sent.
    #[error(transparent)]
    EmptySecret(#[from] ramp_core::EmptySecret),
    /// The call failed below the API: a timeout, a connection or transport failure, a status
    /// without Kryptonim's error body (a proxy's HTML page), a body that does not decode
    /// (the error names the JSON path), or an invalid client configuration.
    #[error(transparent)]
    Http(#[from] ramp_core::http::Error),
}

ramp_core::provider_error!(Error);

impl Error {
    /// Kryptonim's error code, for [`Error::Api`].
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::Api { code, .. } => Some(code),
            _ => None,
        }
    }
}

/// What the documentation says to check after a 401 `UNAUTHORIZED`.
struct Hint<'a>(&'a str, StatusCode);

impl fmt::Display for Hint<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == "UNAUTHORIZED" || self.1 == StatusCode::UNAUTHORIZED {
            f.write_str(
                " (check that the X-API-Key and X-Request-Signature headers are sent, that the \
                 signature secret is the one Kryptonim issued for this environment, and that \
                 the body was not changed after it was signed)",
            )?;
        }
        Ok(())
    }
}
