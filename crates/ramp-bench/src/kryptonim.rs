//! Kryptonim by hand: a plain serde struct, `serde_json::to_vec`, HMAC-SHA256, hex.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::inputs;

/// The widget-session body as a user would declare it: plain serde fields of the types the
/// SDK's request holds (`url::Url`, `IpAddr`), a double for the amount, the metadata as a
/// JSON object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlainRequest {
    /// `fiatAmount`.
    pub fiat_amount: f64,
    /// `fiatCurrency`.
    pub fiat_currency: String,
    /// `cryptoCurrency`.
    pub crypto_currency: String,
    /// `network`.
    pub network: String,
    /// `destinationAddress`.
    pub destination_address: String,
    /// `email`.
    pub email: String,
    /// `paymentMethod`.
    pub payment_method: String,
    /// `metadata`.
    pub metadata: Map<String, Value>,
    /// `successUrl`.
    pub success_url: url::Url,
    /// `failureUrl`.
    pub failure_url: url::Url,
    /// `ipAddress`.
    pub ip_address: std::net::IpAddr,
}

/// The same body with every text left a `String`: what reading it costs when nothing is
/// parsed beyond JSON itself.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct UntypedRequest {
    pub fiat_amount: f64,
    pub fiat_currency: String,
    pub crypto_currency: String,
    pub network: String,
    pub destination_address: String,
    pub email: String,
    pub payment_method: String,
    pub metadata: Map<String, Value>,
    pub success_url: String,
    pub failure_url: String,
    pub ip_address: String,
}

/// The same request as [`inputs::kryptonim_request`].
pub fn plain_request() -> PlainRequest {
    let mut metadata = Map::new();
    metadata.insert("orderId".to_owned(), Value::from("12345"));
    PlainRequest {
        fiat_amount: inputs::KRYPTONIM_AMOUNT.parse().unwrap_or_default(),
        fiat_currency: "EUR".to_owned(),
        crypto_currency: "USDC".to_owned(),
        network: "polygon".to_owned(),
        destination_address: inputs::ADDRESS.to_owned(),
        email: "user@example.com".to_owned(),
        payment_method: "card".to_owned(),
        metadata,
        success_url: inputs::url("https://yoursite.com/success"),
        failure_url: inputs::url("https://yoursite.com/failure"),
        ip_address: std::net::IpAddr::from([192, 0, 2, 1]),
    }
}

/// The body and its `X-Request-Signature`: `serde_json::to_vec`, then hex HMAC-SHA256.
pub fn sign(request: &PlainRequest, secret: &[u8]) -> (Vec<u8>, String) {
    let body = serde_json::to_vec(request).unwrap_or_default();
    let signature = crate::hmac_hex(secret, &body);
    (body, signature)
}

/// A request read from JSON with `serde_json::from_slice`, nothing checked.
pub fn parse(json: &[u8]) -> Option<PlainRequest> {
    serde_json::from_slice(json).ok()
}

/// [`parse`], then the one check the SDK's `build()` makes that costs more than a comparison:
/// the destination address well formed for its network (EIP-55's Keccak-256 for EVM).
pub fn parse_checking_address(json: &[u8]) -> Option<PlainRequest> {
    let request = parse(json)?;
    ramp_address::check_format(&request.network, &request.destination_address).ok()?;
    Some(request)
}

/// A request read from JSON into strings, nothing parsed or checked.
pub fn parse_untyped(json: &[u8]) -> Option<UntypedRequest> {
    serde_json::from_slice(json).ok()
}

/// The widget session Kryptonim answers with, with the same field types as the SDK's.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlainSession {
    /// `sessionId`.
    pub session_id: String,
    /// `widgetUrl`.
    pub widget_url: url::Url,
    /// `expiresAt`.
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: time::OffsetDateTime,
}
