//! Koinal's authorization hash by hand: `format!`, HMAC-SHA256, hex, a serde struct, base64.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::Serialize;

#[derive(Serialize)]
struct Hash<'a> {
    merchant_code: u64,
    customer_reference: &'a str,
    timestamp: &'a str,
    signature: &'a str,
}

/// The `Hash` header value: base64 of the compact JSON of the four fields, the signature
/// being hex HMAC-SHA256 (key = secret) of `merchant_code + customer_reference + timestamp +
/// secret`.
pub fn header_value(
    merchant_code: u64,
    customer_reference: &str,
    timestamp: &str,
    secret: &str,
) -> String {
    let message = format!("{merchant_code}{customer_reference}{timestamp}{secret}");
    let signature = crate::hmac_hex(secret.as_bytes(), message.as_bytes());
    let json = serde_json::to_vec(&Hash {
        merchant_code,
        customer_reference,
        timestamp,
        signature: &signature,
    })
    .unwrap_or_default();
    STANDARD.encode(json)
}
