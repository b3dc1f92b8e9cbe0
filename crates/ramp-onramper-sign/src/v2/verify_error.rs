//! Why a V2 signature was refused, as Onramper's documented error codes.

use std::fmt;

/// Onramper's documented Signature V2 error codes, with the HTTP status each comes with.
/// A code this crate does not know reads as [`ErrorCode::Other`].
///
/// ```
/// use ramp_onramper_sign::v2::ErrorCode;
///
/// assert_eq!(ErrorCode::from("TIMESTAMP_EXPIRED"), ErrorCode::TimestampExpired);
/// assert_eq!(ErrorCode::TimestampExpired.http_status(), 401);
/// assert_eq!(ErrorCode::from("IP_BLOCKED").http_status(), 403);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// `SIGNATURE_MISSING`.
    SignatureMissing,
    /// `SIGNATURE_INVALID`.
    SignatureInvalid,
    /// `SIGNATURE_VERSION_MISMATCH`.
    SignatureVersionMismatch,
    /// `TIMESTAMP_MISSING`.
    TimestampMissing,
    /// `TIMESTAMP_EXPIRED`.
    TimestampExpired,
    /// `TIMESTAMP_FUTURE`.
    TimestampFuture,
    /// `TIMESTAMP_INVALID_FORMAT`.
    TimestampInvalidFormat,
    /// `NONCE_MISSING`.
    NonceMissing,
    /// `NONCE_INVALID_FORMAT`.
    NonceInvalidFormat,
    /// `NONCE_REUSED`.
    NonceReused,
    /// `WIDGET_EXPIRED`.
    WidgetExpired,
    /// `API_KEY_MISSING`.
    ApiKeyMissing,
    /// `PARTNER_NOT_FOUND`.
    PartnerNotFound,
    /// `PUBLIC_KEY_NOT_CONFIGURED`.
    PublicKeyNotConfigured,
    /// `IP_BLOCKED` (403).
    IpBlocked,
    /// `DOMAIN_BLOCKED` (403).
    DomainBlocked,
    /// `DOMAIN_NOT_WHITELISTED` (403).
    DomainNotWhitelisted,
    /// `WALLET_BLOCKED` (403).
    WalletBlocked,
    /// `RATE_LIMIT_EXCEEDED` (429).
    RateLimitExceeded,
    /// Any other code, as written.
    Other(String),
}

const CODES: [(ErrorCode, &str); 19] = [
    (ErrorCode::SignatureMissing, "SIGNATURE_MISSING"),
    (ErrorCode::SignatureInvalid, "SIGNATURE_INVALID"),
    (
        ErrorCode::SignatureVersionMismatch,
        "SIGNATURE_VERSION_MISMATCH",
    ),
    (ErrorCode::TimestampMissing, "TIMESTAMP_MISSING"),
    (ErrorCode::TimestampExpired, "TIMESTAMP_EXPIRED"),
    (ErrorCode::TimestampFuture, "TIMESTAMP_FUTURE"),
    (
        ErrorCode::TimestampInvalidFormat,
        "TIMESTAMP_INVALID_FORMAT",
    ),
    (ErrorCode::NonceMissing, "NONCE_MISSING"),
    (ErrorCode::NonceInvalidFormat, "NONCE_INVALID_FORMAT"),
    (ErrorCode::NonceReused, "NONCE_REUSED"),
    (ErrorCode::WidgetExpired, "WIDGET_EXPIRED"),
    (ErrorCode::ApiKeyMissing, "API_KEY_MISSING"),
    (ErrorCode::PartnerNotFound, "PARTNER_NOT_FOUND"),
    (
        ErrorCode::PublicKeyNotConfigured,
        "PUBLIC_KEY_NOT_CONFIGURED",
    ),
    (ErrorCode::IpBlocked, "IP_BLOCKED"),
    (ErrorCode::DomainBlocked, "DOMAIN_BLOCKED"),
    (ErrorCode::DomainNotWhitelisted, "DOMAIN_NOT_WHITELISTED"),
    (ErrorCode::WalletBlocked, "WALLET_BLOCKED"),
    (ErrorCode::RateLimitExceeded, "RATE_LIMIT_EXCEEDED"),
];

impl ErrorCode {
    /// The code as Onramper writes it.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Other(code) => code,
            known => CODES
                .iter()
                .find(|(code, _)| code == known)
                .map_or("", |(_, text)| text),
        }
    }

    /// The HTTP status Onramper answers with: 403 for the blocking codes, 429 for the rate
    /// limit, 401 for the rest.
    pub fn http_status(&self) -> u16 {
        match self {
            Self::IpBlocked
            | Self::DomainBlocked
            | Self::DomainNotWhitelisted
            | Self::WalletBlocked => 403,
            Self::RateLimitExceeded => 429,
            _ => 401,
        }
    }
}

impl From<&str> for ErrorCode {
    fn from(text: &str) -> Self {
        CODES
            .iter()
            .find(|(_, code)| *code == text)
            .map_or_else(|| Self::Other(text.to_owned()), |(code, _)| code.clone())
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a V2 signature was refused; [`code`](Self::code) gives Onramper's error code for it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// No `sigV2` parameter or `x-onramper-signature` header.
    #[error("SIGNATURE_MISSING: there is no V2 signature")]
    SignatureMissing,
    /// The signature does not start with `v2:`.
    #[error("SIGNATURE_VERSION_MISMATCH: the signature does not start with v2:")]
    SignatureVersionMismatch,
    /// The signature is not 64 bytes of standard base64, or does not verify under the key.
    #[error("SIGNATURE_INVALID: {0}")]
    SignatureInvalid(&'static str),
    /// No timestamp.
    #[error("TIMESTAMP_MISSING: there is no V2 timestamp")]
    TimestampMissing,
    /// The timestamp is not ISO 8601 UTC (`2024-01-15T10:30:00.000Z`).
    #[error("TIMESTAMP_INVALID_FORMAT: {0} is not an ISO 8601 UTC time ending in Z")]
    TimestampInvalidFormat(&'static str),
    /// The signature is older than the window (15 minutes).
    #[error(
        "TIMESTAMP_EXPIRED: the signature is {age_seconds} s old, more than the {window_seconds} s allowed"
    )]
    TimestampExpired {
        /// How old the signature is, in seconds.
        age_seconds: i64,
        /// The window, in seconds.
        window_seconds: i64,
    },
    /// The timestamp is further in the future than the tolerated skew (30 seconds).
    #[error(
        "TIMESTAMP_FUTURE: the timestamp is {ahead_seconds} s in the future, more than the {skew_seconds} s tolerated"
    )]
    TimestampFuture {
        /// How far ahead, in seconds.
        ahead_seconds: i64,
        /// The tolerated skew, in seconds.
        skew_seconds: i64,
    },
    /// No nonce.
    #[error("NONCE_MISSING: there is no V2 nonce")]
    NonceMissing,
    /// The nonce is not a lower-case UUID v4.
    #[error("NONCE_INVALID_FORMAT: the nonce is not a lower-case UUID v4")]
    NonceInvalidFormat,
    /// The nonce was used before (see [`NonceCache`](super::NonceCache)).
    #[error("NONCE_REUSED: the nonce was already used")]
    NonceReused,
    /// The widget URL's `sigV2Expiry` has passed, or is more than 30 minutes after its
    /// timestamp, or is not a time.
    #[error("WIDGET_EXPIRED: {0}")]
    WidgetExpired(&'static str),
    /// The URL has no `apiKey`, or the request no `Authorization`.
    #[error("API_KEY_MISSING: there is no API key")]
    ApiKeyMissing,
    /// The URL or request cannot be read (bad percent-encoding, a signed field twice, a
    /// character whose encoding is ambiguous): nothing can verify it.
    #[error("SIGNATURE_INVALID: {0}")]
    Unreadable(crate::Error),
}

impl VerifyError {
    /// Onramper's error code for this refusal.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::SignatureMissing => ErrorCode::SignatureMissing,
            Self::SignatureVersionMismatch => ErrorCode::SignatureVersionMismatch,
            Self::SignatureInvalid(_) | Self::Unreadable(_) => ErrorCode::SignatureInvalid,
            Self::TimestampMissing => ErrorCode::TimestampMissing,
            Self::TimestampInvalidFormat(_) => ErrorCode::TimestampInvalidFormat,
            Self::TimestampExpired { .. } => ErrorCode::TimestampExpired,
            Self::TimestampFuture { .. } => ErrorCode::TimestampFuture,
            Self::NonceMissing => ErrorCode::NonceMissing,
            Self::NonceInvalidFormat => ErrorCode::NonceInvalidFormat,
            Self::NonceReused => ErrorCode::NonceReused,
            Self::WidgetExpired(_) => ErrorCode::WidgetExpired,
            Self::ApiKeyMissing => ErrorCode::ApiKeyMissing,
        }
    }
}
