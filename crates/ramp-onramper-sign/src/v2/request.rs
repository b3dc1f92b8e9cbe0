//! API requests: the four headers that carry a V2 signature.

use crate::ErrorKind;
use std::fmt;

use time::OffsetDateTime;
use uuid::Uuid;

use super::canonical::{self, Lines, SIGNATURE_PREFIX};
use super::options::{self, WINDOW};
use super::{Canonical, PublicKey, SignOptions, SigningKey, VerifyError};
use crate::Error;
use crate::content::{check_length, decode};

/// `Authorization`: the API key itself, no `Bearer`.
pub const AUTHORIZATION_HEADER: &str = "Authorization";
/// The signature header (`v2:<base64>`).
pub const SIGNATURE_HEADER: &str = "x-onramper-signature";
/// The timestamp header.
pub const TIMESTAMP_HEADER: &str = "x-onramper-timestamp";
/// The nonce header.
pub const NONCE_HEADER: &str = "x-onramper-nonce";

/// An API request to sign or verify: method, path, query, the `Authorization` value (your
/// API key), the `Content-Type` if the request has one, and the body bytes.
///
/// The body's line of the canonical string is the SHA-256 of nothing for an empty body; of
/// its RFC 8785 canonical form when the content type is JSON (`application/json` or
/// `…+json`); of the bytes as they are otherwise.
///
/// ```
/// use ramp_onramper_sign::v2::ApiRequest;
///
/// let body = br#"{"amount": 100, "currency": "USD"}"#;
/// let request = ApiRequest::new("post", "/checkout/intent", "pk_test_example")
///     .content_type("application/json")
///     .body(body);
/// # let _ = request;
/// ```
#[derive(Clone, Copy)]
pub struct ApiRequest<'a> {
    method: &'a str,
    path: &'a str,
    query: &'a str,
    authorization: &'a str,
    content_type: Option<&'a str>,
    body: &'a [u8],
}

impl<'a> ApiRequest<'a> {
    /// A request without query, content type or body.
    pub fn new(method: &'a str, path: &'a str, authorization: &'a str) -> Self {
        Self {
            method,
            path,
            query: "",
            authorization,
            content_type: None,
            body: &[],
        }
    }

    /// The query string, as sent (with or without the leading `?`).
    pub fn query(mut self, query: &'a str) -> Self {
        self.query = query;
        self
    }

    /// The `Content-Type` header.
    pub fn content_type(mut self, content_type: &'a str) -> Self {
        self.content_type = Some(content_type);
        self
    }

    /// The body bytes, as sent.
    pub fn body(mut self, body: &'a [u8]) -> Self {
        self.body = body;
        self
    }

    fn is_json(&self) -> bool {
        self.content_type.is_some_and(|content_type| {
            let media = content_type
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            media == "application/json" || media.ends_with("+json")
        })
    }

    /// The canonical string's lines 4 to 8 checked and built; `Err` for a request that
    /// cannot be signed unambiguously.
    fn lines(&self) -> Result<(String, String, String, String), Error> {
        check_length(self.query)?;
        let method = self.method.trim().to_ascii_uppercase();
        if method.is_empty() || !method.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(ErrorKind::InvalidRequest {
                reason: "the method must be a word such as GET or POST",
            }
            .into());
        }
        if !self.path.starts_with('/')
            || self.path.contains(['?', '#'])
            || self.path.contains(char::is_whitespace)
        {
            return Err(ErrorKind::InvalidRequest {
                reason: "the path must start with / and hold no query, fragment or space",
            }
            .into());
        }
        let authorization = self.authorization.trim();
        if authorization.is_empty() {
            return Err(ErrorKind::MissingParameter {
                parameter: AUTHORIZATION_HEADER.to_owned(),
            }
            .into());
        }
        if authorization.contains(['\n', '\r']) {
            return Err(ErrorKind::InvalidRequest {
                reason: "the Authorization value must be one line",
            }
            .into());
        }
        let query = self.query.strip_prefix('?').unwrap_or(self.query);
        let mut pairs = Vec::new();
        for raw in query.split('&').filter(|part| !part.is_empty()) {
            let (raw_key, raw_value) = raw.split_once('=').unwrap_or((raw, ""));
            let key = decode(raw_key, raw_key)?;
            let value = decode(raw_value, &key)?;
            canonical::check_unambiguous(&key, &key)?;
            canonical::check_unambiguous(&key, &value)?;
            pairs.push((key, value));
        }
        let mut borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (&**k, &**v)).collect();
        let query = canonical::canonical_query(&mut borrowed);
        let mut headers = format!("authorization:{authorization}");
        if let Some(content_type) = self.content_type {
            let content_type = content_type.trim();
            if content_type.contains(['\n', '\r']) {
                return Err(ErrorKind::InvalidRequest {
                    reason: "the Content-Type value must be one line",
                }
                .into());
            }
            headers.push_str("\ncontent-type:");
            headers.push_str(content_type);
        }
        let body = canonical::body_hash(self.body, self.is_json())?;
        Ok((method, query, headers, body))
    }

    fn canonical_text(&self, timestamp: &str, nonce: &str) -> Result<String, Error> {
        let (method, query, headers, body) = self.lines()?;
        Ok(Lines {
            timestamp,
            nonce,
            method: &method,
            path: self.path,
            query: &query,
            headers: &headers,
            body_sha256: &body,
        }
        .join())
    }
}

impl fmt::Debug for ApiRequest<'_> {
    /// Method, path, content type and body length; the `Authorization` value is redacted.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("authorization", &"[REDACTED]")
            .field("content_type", &self.content_type)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// The canonical string a V2 signature of `request` covers under `options` (timestamp and
/// nonce), without signing.
pub fn request_canonical(
    request: &ApiRequest<'_>,
    options: &SignOptions,
) -> Result<Canonical, Error> {
    let timestamp =
        canonical::format_timestamp(options.timestamp.unwrap_or_else(OffsetDateTime::now_utc))?;
    let nonce = match options.nonce {
        Some(nonce) if canonical::is_v4(&nonce) => nonce,
        Some(_) => return Err(ErrorKind::InvalidNonce.into()),
        None => canonical::new_nonce()?,
    };
    let nonce = canonical::format_nonce(&nonce);
    Ok(Canonical {
        text: request.canonical_text(&timestamp, &nonce)?,
        timestamp,
        nonce,
        fields: Vec::new(),
        expiry: None,
    })
}

/// The four headers of a signed API request.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SignedHeaders {
    /// `Authorization`: the API key, trimmed.
    pub authorization: String,
    /// `x-onramper-signature`: `v2:<standard base64 of the 64-byte signature>`.
    pub signature: String,
    /// `x-onramper-timestamp`.
    pub timestamp: String,
    /// `x-onramper-nonce`.
    pub nonce: String,
}

impl SignedHeaders {
    /// `(name, value)` for each of the four headers, `Authorization` first.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &str)> {
        [
            (AUTHORIZATION_HEADER, self.authorization.as_str()),
            (SIGNATURE_HEADER, self.signature.as_str()),
            (TIMESTAMP_HEADER, self.timestamp.as_str()),
            (NONCE_HEADER, self.nonce.as_str()),
        ]
        .into_iter()
    }
}

impl fmt::Debug for SignedHeaders {
    /// The signature, timestamp and nonce; the `Authorization` value is redacted.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignedHeaders")
            .field("authorization", &"[REDACTED]")
            .field("signature", &self.signature)
            .field("timestamp", &self.timestamp)
            .field("nonce", &self.nonce)
            .finish()
    }
}

/// Signs an API request with Signature V2: the four headers to send with it.
///
/// ```
/// use ramp_onramper_sign::v2::{sign_request_v2, verify_request_v2, ApiRequest, Received, SignOptions, SigningKey};
/// use time::OffsetDateTime;
///
/// let key = SigningKey::generate()?;
/// let body = br#"{"sourceCurrency":"eur","destinationCurrency":"btc","sourceAmount":100}"#;
/// let request = ApiRequest::new("POST", "/checkout/intent", "pk_test_x")
///     .content_type("application/json")
///     .body(body);
/// let headers = sign_request_v2(&request, &key, &SignOptions::new())?;
/// for (name, value) in headers.iter() {
///     // request_builder = request_builder.header(name, value);
///     # let _ = (name, value);
/// }
/// let received = Received::new(Some(&headers.signature), Some(&headers.timestamp), Some(&headers.nonce));
/// verify_request_v2(&request, &received, &key.public_key(), OffsetDateTime::now_utc())
///     .expect("a fresh signature verifies");
/// # Ok::<(), ramp_onramper_sign::Error>(())
/// ```
pub fn sign_request_v2(
    request: &ApiRequest<'_>,
    key: &SigningKey,
    options: &SignOptions,
) -> Result<SignedHeaders, Error> {
    let canonical = request_canonical(request, options)?;
    let signature = key.sign(canonical.text.as_bytes());
    Ok(SignedHeaders {
        authorization: request.authorization.trim().to_owned(),
        signature: format!("{SIGNATURE_PREFIX}{}", ramp_core::base64_encode(&signature)),
        timestamp: canonical.timestamp,
        nonce: canonical.nonce,
    })
}

/// The V2 headers a request arrived with (`None` for a header that is absent).
#[derive(Debug, Clone, Copy, Default)]
pub struct Received<'a> {
    signature: Option<&'a str>,
    timestamp: Option<&'a str>,
    nonce: Option<&'a str>,
}

impl<'a> Received<'a> {
    /// The `x-onramper-signature`, `x-onramper-timestamp` and `x-onramper-nonce` values.
    pub fn new(
        signature: Option<&'a str>,
        timestamp: Option<&'a str>,
        nonce: Option<&'a str>,
    ) -> Self {
        Self {
            signature,
            timestamp,
            nonce,
        }
    }
}

/// A request whose V2 signature holds.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifiedRequest {
    /// When it was signed.
    pub timestamp: OffsetDateTime,
    /// Its nonce: single use (see [`NonceCache`](super::NonceCache)).
    pub nonce: Uuid,
}

/// Verifies an API request's V2 signature with the partner's public key at `now`: the
/// signature over the canonical string, the 15-minute window and the 30-second future skew,
/// each refusal with its documented error code. The nonce is not checked for reuse here:
/// pass it to a [`NonceCache`](super::NonceCache).
pub fn verify_request_v2(
    request: &ApiRequest<'_>,
    received: &Received<'_>,
    key: &PublicKey,
    now: OffsetDateTime,
) -> Result<VerifiedRequest, VerifyError> {
    let signature = super::parse_signature(received.signature)?;
    let timestamp_text = received.timestamp.ok_or(VerifyError::TimestampMissing)?;
    let timestamp = canonical::parse_timestamp(timestamp_text)
        .ok_or(VerifyError::TimestampInvalidFormat(TIMESTAMP_HEADER))?;
    let nonce_text = received.nonce.ok_or(VerifyError::NonceMissing)?;
    let nonce = canonical::parse_nonce(nonce_text).ok_or(VerifyError::NonceInvalidFormat)?;
    if request.authorization.trim().is_empty() {
        return Err(VerifyError::ApiKeyMissing);
    }
    options::check_window(timestamp, now, WINDOW)?;
    let text = request
        .canonical_text(timestamp_text, nonce_text)
        .map_err(VerifyError::Unreadable)?;
    if !key.verifies(text.as_bytes(), &signature) {
        return Err(VerifyError::SignatureInvalid(
            "the signature does not match the request under this public key",
        ));
    }
    Ok(VerifiedRequest { timestamp, nonce })
}
