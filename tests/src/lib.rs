//! Test vectors shared by every `ramp` crate, and the helpers that load them.
//!
//! Vectors are data, not code: `tests/vectors/<name>.json`, one file per provider (and one for
//! the RFC 4231 HMAC-SHA256 cases). Each file has a `description` and a list of `cases`; every
//! case names its `source` (a provider document, an RFC, or "self-computed" with how).
//!
//! ```
//! let file: ramp_conformance::VectorFile<ramp_conformance::HmacCase> =
//!     ramp_conformance::load("rfc4231").unwrap();
//! assert_eq!(file.cases.len(), 7);
//! ```

use std::path::PathBuf;

pub mod properties;
pub mod seeds;

use serde::Deserialize;
use serde::de::DeserializeOwned;

/// One vector file: what it is, and its cases.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VectorFile<C> {
    /// What the vectors are and where they come from.
    pub description: String,
    /// The algorithm the cases exercise.
    pub algorithm: String,
    /// The cases.
    pub cases: Vec<C>,
}

/// An HMAC-SHA256 case: key and message in hex, the expected tag in hex.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HmacCase {
    /// A short name for failure messages.
    pub name: String,
    /// Where the case comes from.
    pub source: String,
    /// The key, hex.
    pub key_hex: String,
    /// The message, hex.
    pub message_hex: String,
    /// The expected tag, hex (only the first `truncate_bits` bits when that is set).
    pub expected_hex: String,
    /// For a truncated-output case, how many leading bits of the tag are compared.
    #[serde(default)]
    pub truncate_bits: Option<usize>,
}

impl HmacCase {
    /// The key bytes.
    pub fn key(&self) -> Vec<u8> {
        decode_hex(&self.name, "key_hex", &self.key_hex)
    }

    /// The message bytes.
    pub fn message(&self) -> Vec<u8> {
        decode_hex(&self.name, "message_hex", &self.message_hex)
    }
}

/// An Onramper URL-signing case: an input URL and either the expected sign content and
/// signature, or the error the crate must give (as a snake_case variant name).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OnramperCase {
    /// A short name for failure messages.
    pub name: String,
    /// Where the case comes from.
    pub source: String,
    /// A full URL, a query string, or a bare sign content.
    pub url: String,
    /// The signing secret (for success cases).
    #[serde(default)]
    pub secret: Option<String>,
    /// The expected sign content (for success cases).
    #[serde(default)]
    pub sign_content: Option<String>,
    /// The expected hex signature (for success cases).
    #[serde(default)]
    pub signature: Option<String>,
    /// The expected error, such as `uppercase_id` (for failure cases).
    #[serde(default)]
    pub error: Option<String>,
}

/// A Kryptonim widget-session case: the request as wire JSON, the exact body the crate must
/// send for it, and that body's `X-Request-Signature`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KryptonimCase {
    /// A short name for failure messages.
    pub name: String,
    /// Where the case comes from.
    pub source: String,
    /// The signature secret.
    pub secret: String,
    /// The request as JSON text (kept as text so numbers keep every digit).
    pub request_json: String,
    /// The exact body bytes, as text.
    pub body: String,
    /// hex(HMAC-SHA256(secret, body)).
    pub signature: String,
}

/// The Koinal vector file: authorization hashes and callback signatures.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KoinalVectors {
    /// What the vectors are and where they come from.
    pub description: String,
    /// The algorithms the cases exercise.
    pub algorithm: String,
    /// Authorization hash cases.
    pub hashes: Vec<KoinalHashCase>,
    /// Callback signature cases.
    pub callbacks: Vec<KoinalCallbackCase>,
}

/// A Koinal authorization hash: the inputs, the signature, the JSON and the header value.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KoinalHashCase {
    /// A short name for failure messages.
    pub name: String,
    /// Where the case comes from.
    pub source: String,
    /// The merchant code.
    pub merchant_code: u64,
    /// The customer reference.
    pub customer_reference: String,
    /// The timestamp string.
    pub timestamp: String,
    /// The merchant secret.
    pub secret: String,
    /// hex(HMAC-SHA256(secret, merchant_code + customer_reference + timestamp + secret)).
    pub signature: String,
    /// The compact JSON the header encodes.
    pub json: String,
    /// The `Hash` header value (standard base64 of `json`).
    pub header: String,
}

/// A Koinal callback body with its signature under each reading of the documentation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KoinalCallbackCase {
    /// A short name for failure messages.
    pub name: String,
    /// Where the case comes from.
    pub source: String,
    /// The raw body, as text.
    pub body: String,
    /// The callback secret.
    pub secret: String,
    /// hex(HMAC-SHA256(key = secret, message = body + secret)).
    pub hmac_body_plus_secret: String,
    /// hex(SHA-256(body + secret)).
    pub sha256_body_plus_secret: String,
}

fn decode_hex(case: &str, field: &str, hex_text: &str) -> Vec<u8> {
    match hex::decode(hex_text) {
        Ok(bytes) => bytes,
        Err(e) => panic!("vector {case:?}: {field} is not hex: {e}"),
    }
}

/// The path of `tests/vectors/<name>.json`.
pub fn vector_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("vectors")
        .join(format!("{name}.json"))
}

/// Loads and decodes `tests/vectors/<name>.json`; the error names the file and the JSON path.
pub fn load<C: DeserializeOwned>(name: &str) -> Result<VectorFile<C>, String> {
    load_as(name)
}

/// Loads `tests/vectors/<name>.json` as any shape (for files that are not a list of cases).
pub fn load_as<T: DeserializeOwned>(name: &str) -> Result<T, String> {
    let path = vector_path(name);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}
