//! What can be read of a genuine delivery that the provider crate's reader refused (a field
//! it needs was left out, `null`, or of another shape): the order and its status, each other
//! field where it reads, absent where it does not. Amounts are read exactly, as everywhere.

#![allow(dead_code, unused_variables)] // each provider's part is used when its feature is on

use std::collections::HashMap;

use ramp_core::json::JsonError;
use rust_decimal::Decimal;
use serde_json::value::RawValue;
use time::OffsetDateTime;

use crate::{Money, OrderEvent, Provider};

/// A JSON object, each member unread.
struct Doc(HashMap<String, Box<RawValue>>);

impl Doc {
    fn parse(json: &[u8], path: &str) -> Result<Self, JsonError> {
        serde_json::from_slice(json)
            .map(Self)
            .map_err(|err| JsonError::at(path, format!("not a JSON object: {err}")))
    }

    /// The member `name`, unless absent or `null`.
    fn get(&self, name: &str) -> Option<&RawValue> {
        self.0
            .get(name)
            .map(|raw| &**raw)
            .filter(|raw| raw.get() != "null")
    }

    fn object(&self, name: &str) -> Result<Self, JsonError> {
        let raw = self
            .get(name)
            .ok_or_else(|| JsonError::at(name, "missing or null"))?;
        Self::parse(raw.get().as_bytes(), name)
    }

    /// A string that is not blank, or an integer as its digits.
    fn text(&self, name: &str) -> Option<String> {
        let raw = self.get(name)?;
        match serde_json::from_str::<serde_json::Value>(raw.get()).ok()? {
            serde_json::Value::String(text) if !text.trim().is_empty() => Some(text),
            serde_json::Value::Number(number) if number.is_u64() => Some(number.to_string()),
            _ => None,
        }
    }

    fn required(&self, name: &str, path: &str) -> Result<String, JsonError> {
        self.text(name)
            .ok_or_else(|| JsonError::at(path, "missing, null, blank or not text"))
    }

    /// An exact amount: a JSON number or numeric text, every digit kept.
    fn decimal(&self, name: &str) -> Option<Decimal> {
        let raw = self.get(name)?;
        let mut reader = serde_json::Deserializer::from_str(raw.get());
        ramp_core::decimal::deserialize_exact(&mut reader).ok()
    }

    fn time(&self, name: &str) -> Option<OffsetDateTime> {
        let raw = self.get(name)?;
        let mut reader = serde_json::Deserializer::from_str(raw.get());
        ramp_core::timestamp::option::deserialize(&mut reader)
            .ok()
            .flatten()
    }

    fn money(&self, amount: &str, currency: &str) -> Option<Money> {
        Money::of(self.decimal(amount), self.text(currency).as_deref())
    }
}

/// The event `provider` signed in `document`, read member by member; the path of the first
/// member the event cannot go without (its order id or status) when it cannot be read.
pub(crate) fn salvage(provider: Provider, document: &[u8]) -> Result<OrderEvent, JsonError> {
    match provider {
        #[cfg(feature = "koinal")]
        Provider::Koinal => koinal(document),
        #[cfg(feature = "onramper")]
        Provider::Onramper => onramper(document),
        #[cfg(feature = "transak")]
        Provider::Transak => transak(document),
        _ => Err(JsonError::at(
            ".",
            "this provider's deliveries are not read here",
        )),
    }
}

#[cfg(feature = "koinal")]
fn koinal(document: &[u8]) -> Result<OrderEvent, JsonError> {
    let doc = Doc::parse(document, ".")?;
    let status = ramp_koinal::OrderStatus::from(doc.required("status", "status")?.as_str());
    Ok(OrderEvent {
        crypto: doc.money("crypto_amount", "cryptocurrency_code"),
        wallet_address: doc.text("address"),
        transaction_hash: doc.text("blockchain_tx_id"),
        partner_reference: doc.text("customer_reference"),
        ..OrderEvent::with_status(
            Provider::Koinal,
            doc.required("order_id", "order_id")?,
            status.normalized(),
            status.as_str(),
        )
    })
}

#[cfg(feature = "onramper")]
fn onramper(document: &[u8]) -> Result<OrderEvent, JsonError> {
    let doc = Doc::parse(document, ".")?;
    let status =
        ramp_onramper_sign::webhook::OrderStatus::from(doc.required("status", "status")?.as_str());
    // `in` is what the user pays: fiat on a buy, crypto on a sell.
    let sell = doc.text("transactionType").as_deref() == Some("sell");
    let (paid_in, paid_out) = (
        doc.money("inAmount", "sourceCurrency"),
        doc.money("outAmount", "targetCurrency"),
    );
    let (fiat, crypto) = if sell {
        (paid_out, paid_in)
    } else {
        (paid_in, paid_out)
    };
    Ok(OrderEvent {
        fiat,
        crypto,
        wallet_address: doc.text("walletAddress"),
        transaction_hash: doc.text("transactionHash"),
        time: doc.time("statusDate"),
        partner_reference: doc.text("partnerContext"),
        ..OrderEvent::with_status(
            Provider::Onramper,
            doc.required("transactionId", "transactionId")?,
            status.normalized(),
            status.as_str(),
        )
    })
}

#[cfg(feature = "transak")]
fn transak(document: &[u8]) -> Result<OrderEvent, JsonError> {
    let order = Doc::parse(document, ".")?.object("webhookData")?;
    let status =
        ramp_transak::OrderStatus::from(order.required("status", "webhookData.status")?.as_str());
    let id = match (order.text("id"), order.text("_id")) {
        (Some(id), Some(other)) if id != other => {
            return Err(JsonError::at(
                "webhookData.id",
                "differs from webhookData._id: which order is meant cannot be told",
            ));
        }
        (Some(id), _) | (None, Some(id)) => id,
        (None, None) => {
            return Err(JsonError::at(
                "webhookData.id",
                "missing, null, blank or not text",
            ));
        }
    };
    Ok(OrderEvent {
        fiat: order.money("fiatAmount", "fiatCurrency"),
        crypto: order.money("cryptoAmount", "cryptoCurrency"),
        wallet_address: order.text("walletAddress"),
        transaction_hash: order.text("transactionHash"),
        time: order.time("createdAt"),
        partner_reference: order.text("partnerOrderId"),
        ..OrderEvent::with_status(Provider::Transak, id, status.normalized(), status.as_str())
    })
}

#[cfg(all(test, feature = "koinal", feature = "onramper", feature = "transak"))]
mod tests {
    use super::*;

    #[test]
    fn what_can_be_read_is_read_exactly_and_the_rest_is_absent() {
        let event = salvage(
            Provider::Koinal,
            br#"{"order_id":12,"status":"COMPLETED","customer_reference":null,"crypto_amount":0.100341160000000001,"cryptocurrency_code":"BTC"}"#,
        )
        .unwrap();
        assert_eq!(
            serde_json::to_string(&event).unwrap(),
            r#"{"provider":"koinal","order_id":"12","status":"completed","provider_status":"COMPLETED","crypto":{"amount":0.100341160000000001,"currency":"BTC"}}"#
        );
        let event = salvage(
            Provider::Onramper,
            br#"{"transactionId":"01HX9","status":"paid","inAmount":"a lot","statusDate":7}"#,
        )
        .unwrap();
        assert_eq!((event.fiat, event.provider_status.as_str()), (None, "paid"));
        let event = salvage(
            Provider::Transak,
            br#"{"eventID":"ORDER_NEW_KIND","webhookData":{"_id":"ord-1","status":"REFUNDED","fiatAmount":{}}}"#,
        )
        .unwrap();
        assert_eq!(
            (event.order_id.as_str(), event.status),
            ("ord-1", ramp_core::webhook::OrderStatus::Refunded)
        );
    }

    #[test]
    fn without_its_order_or_status_nothing_is_made_up_and_the_path_is_named() {
        let path = |provider, json: &[u8]| salvage(provider, json).unwrap_err().path;
        assert_eq!(
            path(Provider::Koinal, br#"{"status":"COMPLETED"}"#),
            "order_id"
        );
        assert_eq!(
            path(Provider::Koinal, br#"{"order_id":" ","status":"X"}"#),
            "order_id"
        );
        assert_eq!(
            path(Provider::Koinal, br#"{"order_id":1,"status":null}"#),
            "status"
        );
        assert_eq!(
            path(Provider::Onramper, br#"{"status":"paid"}"#),
            "transactionId"
        );
        assert_eq!(
            path(Provider::Transak, br#"{"webhookData":null}"#),
            "webhookData"
        );
        assert_eq!(
            path(
                Provider::Transak,
                br#"{"webhookData":{"status":"COMPLETED"}}"#
            ),
            "webhookData.id"
        );
        assert_eq!(path(Provider::Koinal, b"[1]"), ".");
    }
}
