//! A Transak webhook checked by hand: the body's JWT split, its HS256 signature checked, the
//! payload decoded into plain serde structs.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;

#[derive(Deserialize)]
struct Body {
    data: String,
}

#[derive(Deserialize)]
struct Header {
    alg: String,
}

/// The event, as a user would declare it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PlainEvent {
    /// `eventID`.
    #[serde(rename = "eventID")]
    pub event: String,
    /// `webhookData`.
    #[serde(rename = "webhookData")]
    pub order: PlainOrder,
}

/// The order inside a webhook: the same fields as the SDK's `Order`, doubles for amounts.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct PlainOrder {
    pub id: String,
    pub status: String,
    pub is_buy_or_sell: Option<String>,
    pub fiat_currency: Option<String>,
    pub crypto_currency: Option<String>,
    pub fiat_amount: Option<f64>,
    pub crypto_amount: Option<f64>,
    pub network: Option<String>,
    pub wallet_address: Option<String>,
    pub partner_order_id: Option<String>,
    pub partner_customer_id: Option<String>,
    pub created_at: Option<String>,
}

/// The event of a webhook body whose JWT is HS256-signed with `token`; `None` otherwise.
pub fn verify(body: &[u8], token: &[u8]) -> Option<PlainEvent> {
    let body: Body = serde_json::from_slice(body).ok()?;
    let mut parts = body.data.split('.');
    let (header, payload, signature) = (parts.next()?, parts.next()?, parts.next()?);
    let header: Header = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).ok()?).ok()?;
    if header.alg != "HS256" {
        return None;
    }
    let signature = URL_SAFE_NO_PAD.decode(signature).ok()?;
    let signed = &body.data.as_bytes()[..body.data.rfind('.')?];
    if !crate::hmac_verify(token, signed, &signature) {
        return None;
    }
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()
}
