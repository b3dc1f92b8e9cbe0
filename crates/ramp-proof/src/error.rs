//! The crate's one error type, and the documented error cases.

use std::borrow::Cow;

use ramp_core::http::{ApiError, StatusCode};

/// Everything that can go wrong, from a request refused locally to an answer from Proof.
///
/// One pointer wide; what went wrong is its [`kind`](Error::kind). Proof's own error answers
/// are [`ErrorKind::Api`](crate::ErrorKind::Api), the same [`ApiError`] every provider crate returns, with Proof's
/// `error` slug as its `category`; [`Error::api_kind`] names the documented case.
///
/// No variant holds the client token or an init token.
pub struct Error(Box<ErrorKind>);

/// What went wrong: the [`kind`](Error::kind) of an [`Error`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The request breaks a documented rule; nothing was sent.
    #[error("invalid `{field}`: {reason}")]
    Validation {
        /// The field, by its wire name (`user_email`, `amount`, ...).
        field: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// Proof answered with its error shape `{"error", "code", "message"}`: `error` as the
    /// category, `code` as the code, and what Proof's error table says to do as the hint.
    #[error(transparent)]
    Api(ApiError),
    /// Proof knows no user with this `partner_user_id` (404 `not_found` from the KYC status
    /// call): the user never opened the widget for your partner, or the id is not yours.
    #[error(
        "Proof knows no user {partner_user_id:?} (HTTP {}){}",
        .api.status,
        RequestId(&.api.request_id)
    )]
    UnknownUser {
        /// The id asked for.
        partner_user_id: String,
        /// Proof's answer (status 404, its request id).
        api: ApiError,
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
    /// A credential (client token) is empty or whitespace only; nothing was signed, verified
    /// or sent.
    #[error(transparent)]
    EmptySecret(ramp_core::EmptySecret),
    /// The call failed below the API: a timeout, a connection or transport failure, a status
    /// without Proof's error body (a proxy's HTML page), a body that does not decode (the
    /// error names the JSON path), or an invalid client configuration.
    #[error(transparent)]
    Http(ramp_core::http::Error),
}

ramp_core::provider_error!(Error, ErrorKind, api_in UnknownUser);

/// The provider's name in errors.
pub(crate) const PROVIDER: &str = "Proof";

/// Proof's error answer, when the body is its shape: `error` as the category, `code`, the
/// message, and what to do about the documented case (`origin`: the `Origin` header the
/// client sends, named in a `forbidden_origin` hint).
pub(crate) fn api_error(status: StatusCode, body: &[u8], origin: Option<&str>) -> Option<ApiError> {
    #[derive(serde::Deserialize)]
    struct Body {
        error: String,
        #[serde(default)]
        code: Option<String>,
        #[serde(default)]
        message: Option<String>,
    }
    let body: Body = serde_json::from_slice(body).ok()?;
    let code = body.code.unwrap_or_default();
    let kind = ApiErrorKind::of(&body.error, &code);
    let api = ApiError::new(PROVIDER, status)
        .category(body.error)
        .code(code)
        .message(body.message.unwrap_or_default());
    Some(match hint(kind, origin) {
        Some(hint) => api.hint(hint),
        None => api,
    })
}

/// The error cases Proof documents, from an [`ErrorKind::Api`](crate::ErrorKind::Api)'s `error` and `code`.
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
    /// The documented case of Proof's error answer, when it answered with one.
    pub fn api_kind(&self) -> Option<ApiErrorKind> {
        self.api().map(|api| {
            ApiErrorKind::of(
                api.category.as_deref().unwrap_or_default(),
                api.code.as_deref().unwrap_or_default(),
            )
        })
    }
}

/// `" [request id X]"` or nothing.
struct RequestId<'a>(&'a Option<String>);

impl std::fmt::Display for RequestId<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(id) => write!(f, " [request id {id}]"),
            None => Ok(()),
        }
    }
}

/// What to do about each documented case.
fn hint(kind: ApiErrorKind, origin: Option<&str>) -> Option<Cow<'static, str>> {
    let hint = match kind {
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
            return Some(match origin {
                Some(origin) => format!(
                    "this server's IP or the Origin {origin} is not on your allowlist; \
                     register both with Proof"
                )
                .into(),
                None => "this server's IP is not on your allowlist, or no Origin header was \
                         sent; register the IP with Proof, and set ClientBuilder::origin to a \
                         registered origin"
                    .into(),
            });
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
        ApiErrorKind::Other => return None,
    };
    Some(hint.into())
}
