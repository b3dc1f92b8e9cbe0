//! The crate's one error type, and the documented error cases.

use std::fmt;

use ramp_core::http::StatusCode;

/// Everything that can go wrong, from a request refused locally to an answer from Proof.
///
/// No variant holds the client token or an init token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request breaks a documented rule; nothing was sent.
    #[error("invalid `{field}`: {reason}")]
    Validation {
        /// The field, by its wire name (`user_email`, `amount`, ...).
        field: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// Proof answered with its error shape `{"error", "code", "message"}`.
    #[error(
        "Proof error {}{} (HTTP {status}){}: {}{}",
        .error,
        Code(.code),
        RequestId(.request_id),
        if .message.is_empty() { "(no message)" } else { .message },
        Hint(ApiErrorKind::of(.error, .code), .origin)
    )]
    Api {
        /// The HTTP status.
        status: StatusCode,
        /// Proof's error slug, such as `invalid_request` or `forbidden`.
        error: String,
        /// Proof's error code, such as `currency_not_allowed` or `forbidden_origin`.
        code: String,
        /// Proof's message.
        message: String,
        /// The `X-Request-Id` response header: quote it to Proof's support.
        request_id: Option<String>,
        /// The response's `Retry-After`, as a wait, when it carried one.
        retry_after: Option<std::time::Duration>,
        /// The `Origin` header the client sent, if any (named in a `forbidden_origin` error).
        origin: Option<String>,
    },
    /// Proof knows no user with this `partner_user_id` (404 `not_found` from the KYC status
    /// call): the user never opened the widget for your partner, or the id is not yours.
    #[error("Proof knows no user {partner_user_id:?} (HTTP 404 not_found){}", RequestId(.request_id))]
    UnknownUser {
        /// The id asked for.
        partner_user_id: String,
        /// The `X-Request-Id` response header, when Proof sent one.
        request_id: Option<String>,
    },
    /// The live-updates WebSocket was refused with an answer that is not Proof's error shape
    /// (see `Client::watch`, feature `websocket`).
    #[error("the WebSocket upgrade was refused with HTTP {status}: {body}")]
    UpgradeRefused {
        /// The HTTP status of the refusal.
        status: StatusCode,
        /// The start of the answer's body.
        body: String,
    },
    /// A webhook body that is not the documented transaction JSON.
    #[error("webhook body could not be read at `{path}`: {message}")]
    InvalidWebhook {
        /// Where in the body decoding failed (`.` for the document itself).
        path: String,
        /// What was wrong there.
        message: String,
    },
    /// A credential (client token) is empty or whitespace only; nothing was signed, verified
    /// or sent.
    #[error(transparent)]
    EmptySecret(#[from] ramp_core::EmptySecret),
    /// The call failed below the API: a timeout, a connection or transport failure, a status
    /// without Proof's error body (a proxy's HTML page), a body that does not decode (the
    /// error names the JSON path), or an invalid client configuration.
    #[error(transparent)]
    Http(#[from] ramp_core::http::Error),
}

ramp_core::provider_error!(Error);

/// The error cases Proof documents, from an [`Error::Api`]'s `error` and `code`.
///
/// Any other pair is [`ApiErrorKind::Other`]: an unknown slug never fails to decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ApiErrorKind {
    /// 400 `invalid_request`/`validation_error`: a required field is missing or has the wrong
    /// type.
    ValidationError,
    /// 400 `invalid_request`/`decode_error`: the body is not valid JSON.
    DecodeError,
    /// 400 `invalid_request`/`missing_param`: a parameter is missing.
    MissingParam,
    /// 400 `invalid_request`/`currency_not_allowed`: the currency is not enabled for your
    /// integration.
    CurrencyNotAllowed,
    /// 400 `wallet_not_supported`/`WALLET_NOT_SUPPORTED`: no active wallet for the currency and
    /// network.
    WalletNotSupported,
    /// 401 `unauthorised`/`invalid_token`: the client token is missing or inactive.
    InvalidToken,
    /// 401 `unauthorised`/`missing_token`: no client token was sent.
    MissingToken,
    /// 403 `forbidden`/`forbidden_origin`: the request's IP or Origin is not on your
    /// allowlist.
    ForbiddenOrigin,
    /// 404 `not_found`: the transaction, user or wallet does not exist or is not yours.
    NotFound,
    /// 500 `internal_error` (`db_error`, `token_error`): retry once.
    InternalError,
    /// 500 `publish_failed`/`kafka_unavailable`: Proof could not publish a lifecycle event
    /// (webhook path only); Proof redelivers.
    PublishFailed,
    /// 502 `upstream_error`/`provider_error`: an external service failed; retry with the same
    /// body (the client does).
    ProviderError,
    /// 502 `upstream_unavailable` (`upstream_unavailable`, `upstream_invalid_response`): retry
    /// with backoff.
    UpstreamUnavailable,
    /// Anything else.
    Other,
}

impl ApiErrorKind {
    /// The case for an `error` slug and `code`.
    pub fn of(error: &str, code: &str) -> Self {
        match (error, code) {
            (_, "validation_error") => Self::ValidationError,
            (_, "decode_error") => Self::DecodeError,
            (_, "missing_param") => Self::MissingParam,
            (_, "currency_not_allowed") => Self::CurrencyNotAllowed,
            (_, "WALLET_NOT_SUPPORTED") | ("wallet_not_supported", _) => Self::WalletNotSupported,
            (_, "invalid_token") => Self::InvalidToken,
            (_, "missing_token") => Self::MissingToken,
            (_, "forbidden_origin") => Self::ForbiddenOrigin,
            ("not_found", _) => Self::NotFound,
            ("internal_error", _) => Self::InternalError,
            ("publish_failed", _) | (_, "kafka_unavailable") => Self::PublishFailed,
            (_, "provider_error") | ("upstream_error", _) => Self::ProviderError,
            ("upstream_unavailable", _) => Self::UpstreamUnavailable,
            _ => Self::Other,
        }
    }
}

impl Error {
    /// The documented case of an [`Error::Api`].
    pub fn api_kind(&self) -> Option<ApiErrorKind> {
        match self {
            Self::Api { error, code, .. } => Some(ApiErrorKind::of(error, code)),
            _ => None,
        }
    }
}

/// `"/code"` or nothing.
struct Code<'a>(&'a str);

impl fmt::Display for Code<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            Ok(())
        } else {
            write!(f, "/{}", self.0)
        }
    }
}

/// `" [request id X]"` or nothing.
struct RequestId<'a>(&'a Option<String>);

impl fmt::Display for RequestId<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(id) => write!(f, " [request id {id}]"),
            None => Ok(()),
        }
    }
}

/// What to do about each documented case.
struct Hint<'a>(ApiErrorKind, &'a Option<String>);

impl fmt::Display for Hint<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hint = match self.0 {
            ApiErrorKind::ValidationError | ApiErrorKind::MissingParam => {
                "a required field is missing or has the wrong type"
            }
            ApiErrorKind::DecodeError => "the request body is not valid JSON",
            ApiErrorKind::CurrencyNotAllowed => {
                "the currency is not enabled for your integration; Proof confirms the list at \
                 onboarding"
            }
            ApiErrorKind::WalletNotSupported => {
                "no active wallet for this currency and network; contact Proof to provision one"
            }
            ApiErrorKind::InvalidToken | ApiErrorKind::MissingToken => {
                "the client token is missing or inactive; check it is this environment's token, \
                 as production and sandbox tokens differ"
            }
            ApiErrorKind::ForbiddenOrigin => {
                return match self.1 {
                    Some(origin) => write!(
                        f,
                        " (this server's IP or the Origin {origin} is not on your allowlist; \
                         register both with Proof)"
                    ),
                    None => f.write_str(
                        " (this server's IP is not on your allowlist, or no Origin header was \
                         sent; register the IP with Proof, and set ClientBuilder::origin to a \
                         registered origin)",
                    ),
                };
            }
            ApiErrorKind::NotFound => {
                "the transaction, user or wallet does not exist or does not belong to your partner"
            }
            ApiErrorKind::InternalError => "an internal error at Proof; retry once",
            ApiErrorKind::PublishFailed => {
                "Proof could not publish a lifecycle event; Proof redelivers"
            }
            ApiErrorKind::ProviderError => {
                "an external service failed; retrying with the same body is safe"
            }
            ApiErrorKind::UpstreamUnavailable => {
                "an upstream service is unavailable; retry with backoff"
            }
            ApiErrorKind::Other => return Ok(()),
        };
        write!(f, " ({hint})")
    }
}
