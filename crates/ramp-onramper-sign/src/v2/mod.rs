//! Onramper Signature V2 (Ed25519), for widget URLs and API requests (feature `v2`, on by
//! default).
//!
//! Onramper requires V2 for every new integration and switches V1 off for a partner once it
//! has migrated. A V2 signature is an Ed25519 signature by your private key over an
//! eight-line canonical string:
//!
//! ```text
//! ONRAMPER-SIG-V2
//! 2024-01-15T10:30:00.000Z                      timestamp, UTC, milliseconds
//! 550e8400-e29b-41d4-a716-446655440000          nonce, UUID v4, single use
//! GET                                           method
//! /                                             path
//! apiKey=pk_test_x&wallets=eth%3A0x1234         canonical query: signed fields, sorted, URLSearchParams-encoded
//!                                               canonical headers (empty for widget URLs)
//! e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855    SHA-256 of the body
//! ```
//!
//! - Keys: [`SigningKey`] (PKCS#8 PEM in, zeroized, never printed; [`SigningKey::generate`])
//!   and [`PublicKey`] (SPKI PEM or hex out, for onboarding).
//! - Widget URLs: [`sign_widget_url_v2`], [`sign_widget_url_v2_with`] and
//!   [`verify_widget_url_v2`]; every core parameter present is signed.
//! - API requests: [`sign_request_v2`] gives the four headers; [`verify_request_v2`].
//! - [`widget_canonical`] and [`request_canonical`] show the canonical string, to compare a
//!   signature by hand; `ramp onramper sign --v2` and `ramp onramper sign-request` print the
//!   same.
//! - Verification refuses with Onramper's documented codes ([`VerifyError::code`]): a
//!   15-minute window, 30 seconds of future skew; [`NonceCache`] refuses a reused nonce.
//!
//! Where Onramper's documentation is ambiguous, the choices are written where they apply:
//! `~` and `*` in signed values are refused ([`AMBIGUOUS`]); the API path (line 5)
//! is taken as sent; a JSON body is recognised by its content type.

mod canonical;
mod key;
mod nonce;
mod options;
mod request;
mod verify_error;
mod widget;
mod widget_verify;

pub use canonical::{
    AMBIGUOUS, EMPTY_BODY_SHA256, VERSION, canonical_json, format_timestamp, parse_timestamp,
};
pub use key::{PublicKey, SigningKey};
pub use nonce::NonceCache;
pub use options::{FUTURE_SKEW, MAX_EXPIRY, SignOptions, WINDOW};
pub use request::{
    AUTHORIZATION_HEADER, ApiRequest, NONCE_HEADER, Received, SIGNATURE_HEADER, SignedHeaders,
    TIMESTAMP_HEADER, VerifiedRequest, request_canonical, sign_request_v2, verify_request_v2,
};
pub use time::OffsetDateTime;
pub use uuid::Uuid;
pub use verify_error::{ErrorCode, VerifyError};
pub use widget::{
    CORE_PARAMETERS, Canonical, DEFAULT_SIGNED_FIELDS, SIG_V2, SIG_V2_EXPIRY, SIG_V2_FIELDS,
    SIG_V2_NONCE, SIG_V2_TIMESTAMP, sign_widget_url_v2, sign_widget_url_v2_with, widget_canonical,
};
pub use widget_verify::{VerifiedWidgetUrl, verify_widget_url_v2};

/// `v2:<standard base64 of 64 bytes>` into the 64 bytes.
fn parse_signature(value: Option<&str>) -> Result<[u8; 64], VerifyError> {
    let value = value.ok_or(VerifyError::SignatureMissing)?;
    let encoded = value
        .strip_prefix(canonical::SIGNATURE_PREFIX)
        .ok_or(VerifyError::SignatureVersionMismatch)?;
    ramp_core::base64_decode(encoded)
        .ok()
        .and_then(|bytes| <[u8; 64]>::try_from(bytes).ok())
        .ok_or(VerifyError::SignatureInvalid(
            "the signature is not 64 bytes of standard base64",
        ))
}
