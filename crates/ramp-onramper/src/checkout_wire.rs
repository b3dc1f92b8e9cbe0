//! The checkout on the wire: the body sent, the request read from JSON, and the answer.

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};
use url::Url;

use crate::{
    CheckoutRequest, CheckoutRequestBuilder, CheckoutSession, CheckoutType, Platform, RedirectUrl,
};

/// The body of `POST /checkout/v2/intent`, in the page's order. The amount is a JSON number
/// with its digits as given; the signature hashes the RFC 8785 form of these bytes.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Body<'a> {
    onramp: &'a str,
    source: &'a str,
    destination: &'a str,
    #[serde(serialize_with = "ramp_core::decimal::serialize_number")]
    amount: &'a Decimal,
    #[serde(rename = "type")]
    kind: &'a str,
    payment_method: &'a str,
    network: &'a str,
    wallet: Wallet<'a>,
    partner_context: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    country: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    external_customer_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    supported_params: Option<&'a serde_json::Map<String, serde_json::Value>>,
    end_user_ip_hash: &'a str,
    /// The name on Onramper's Checkout V2 page; the same value as `endUserIpHash`.
    client_ip_hash: &'a str,
    platform: &'a str,
}

#[derive(Serialize)]
struct Wallet<'a> {
    address: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    memo: Option<&'a str>,
}

impl<'a> Body<'a> {
    pub(crate) fn new(
        request: &'a CheckoutRequest,
        ip_hash: &'a str,
        platform: &'a Platform,
    ) -> Self {
        Self {
            onramp: &request.onramp,
            source: &request.source,
            destination: &request.destination,
            amount: &request.amount,
            kind: request.kind.as_str(),
            payment_method: &request.payment_method,
            network: &request.network,
            wallet: Wallet {
                address: &request.wallet_address,
                memo: request.wallet_memo.as_deref(),
            },
            partner_context: &request.partner_context,
            email: request.email.as_deref(),
            country: request.country.as_deref(),
            external_customer_id: request.external_customer_id.as_deref(),
            supported_params: request.supported_params.as_ref(),
            end_user_ip_hash: ip_hash,
            client_ip_hash: ip_hash,
            platform: platform.as_str(),
        }
    }
}

/// A request as JSON gives it (the `ramp onramper checkout` input): the documented fields;
/// `endUserIpHash` and `platform` come from the client, so they are refused here, as is
/// any unknown field.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Wire {
    onramp: Option<String>,
    source: Option<String>,
    destination: Option<String>,
    #[serde(
        default,
        deserialize_with = "ramp_core::decimal::deserialize_exact_option"
    )]
    amount: Option<Decimal>,
    #[serde(rename = "type")]
    kind: Option<CheckoutType>,
    payment_method: Option<String>,
    network: Option<String>,
    wallet: Option<WireWallet>,
    partner_context: Option<String>,
    email: Option<String>,
    country: Option<String>,
    external_customer_id: Option<String>,
    supported_params: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WireWallet {
    address: Option<String>,
    memo: Option<String>,
}

impl<'de> Deserialize<'de> for CheckoutRequest {
    /// Reads the documented fields and runs [`CheckoutRequestBuilder::build`]'s checks.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wire = Wire::deserialize(deserializer)?;
        let (wallet_address, wallet_memo) = match wire.wallet {
            Some(wallet) => (wallet.address, wallet.memo),
            None => (None, None),
        };
        CheckoutRequestBuilder {
            onramp: wire.onramp,
            source: wire.source,
            destination: wire.destination,
            amount: wire.amount,
            kind: wire.kind,
            payment_method: wire.payment_method,
            network: wire.network,
            wallet_address,
            wallet_memo,
            partner_context: wire.partner_context,
            email: wire.email,
            country: wire.country,
            external_customer_id: wire.external_customer_id,
            supported_params: wire.supported_params,
        }
        .build()
        .map_err(serde::de::Error::custom)
    }
}

/// The answer: `redirectUrl` and `sessionId`, at the top level or inside Onramper's usual
/// `{"message": {...}}` envelope (the page names the fields, not where they sit). An answer
/// with neither is a decode error naming them.
#[derive(Deserialize)]
#[serde(try_from = "AnswerWire")]
pub(crate) struct Answer(pub(crate) CheckoutSession);

#[derive(Deserialize)]
struct AnswerWire {
    #[serde(default)]
    message: Option<Session>,
    #[serde(flatten)]
    top: Session,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Session {
    #[serde(default)]
    redirect_url: Option<Url>,
    #[serde(default)]
    session_id: Option<String>,
}

impl TryFrom<AnswerWire> for Answer {
    type Error = &'static str;

    fn try_from(wire: AnswerWire) -> Result<Self, &'static str> {
        let inner = wire.message.unwrap_or_default();
        let redirect_url = wire.top.redirect_url.or(inner.redirect_url);
        let session_id = wire.top.session_id.or(inner.session_id);
        match (redirect_url, session_id) {
            (Some(url), Some(id)) => Ok(Answer(CheckoutSession {
                redirect_url: RedirectUrl(url),
                session_id: id,
            })),
            _ => Err("missing field `redirectUrl` or `sessionId`"),
        }
    }
}
