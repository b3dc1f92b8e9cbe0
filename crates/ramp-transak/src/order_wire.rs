//! How an [`Order`] is read: with its id named `_id` (the order endpoints) or `id` (webhooks).

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::{Order, OrderStatus};

/// An order as it arrives, before its id is settled.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct OrderWire {
    #[serde(default)]
    id: Option<String>,
    #[serde(default, rename = "_id")]
    underscore_id: Option<String>,
    status: OrderStatus,
    #[serde(default)]
    is_buy_or_sell: Option<crate::BuyOrSell>,
    #[serde(default)]
    fiat_currency: Option<String>,
    #[serde(default)]
    crypto_currency: Option<String>,
    #[serde(
        default,
        deserialize_with = "ramp_core::decimal::deserialize_exact_option"
    )]
    fiat_amount: Option<Decimal>,
    #[serde(
        default,
        deserialize_with = "ramp_core::decimal::deserialize_exact_option"
    )]
    crypto_amount: Option<Decimal>,
    #[serde(default)]
    network: Option<String>,
    #[serde(default)]
    wallet_address: Option<String>,
    #[serde(default)]
    partner_order_id: Option<String>,
    #[serde(default)]
    partner_customer_id: Option<String>,
    #[serde(default, with = "ramp_core::timestamp::option")]
    created_at: Option<time::OffsetDateTime>,
    #[serde(
        default,
        deserialize_with = "ramp_core::decimal::deserialize_exact_option"
    )]
    amount_paid: Option<Decimal>,
    #[serde(default)]
    payment_option_id: Option<String>,
    #[serde(default)]
    quote_id: Option<String>,
    #[serde(default)]
    transaction_hash: Option<String>,
}

impl TryFrom<OrderWire> for Order {
    type Error = String;

    fn try_from(wire: OrderWire) -> Result<Self, String> {
        let id = match (wire.underscore_id, wire.id) {
            (Some(a), Some(b)) if a != b => {
                return Err(format!("the order's `_id` ({a}) and `id` ({b}) disagree"));
            }
            (Some(id), _) | (None, Some(id)) => id,
            (None, None) => return Err("missing field `_id` (or `id`)".into()),
        };
        Ok(Order {
            id,
            status: wire.status,
            is_buy_or_sell: wire.is_buy_or_sell,
            fiat_currency: wire.fiat_currency,
            crypto_currency: wire.crypto_currency,
            fiat_amount: wire.fiat_amount,
            crypto_amount: wire.crypto_amount,
            network: wire.network,
            wallet_address: wire.wallet_address,
            partner_order_id: wire.partner_order_id,
            partner_customer_id: wire.partner_customer_id,
            created_at: wire.created_at,
            amount_paid: wire.amount_paid,
            payment_option_id: wire.payment_option_id,
            quote_id: wire.quote_id,
            transaction_hash: wire.transaction_hash,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::Order;

    #[test]
    fn the_id_is_read_as_id_or_underscore_id() {
        for body in [
            r#"{"_id":"o-1","status":"COMPLETED"}"#,
            r#"{"id":"o-1","status":"COMPLETED"}"#,
            r#"{"_id":"o-1","id":"o-1","status":"COMPLETED"}"#,
        ] {
            let order: Order = serde_json::from_str(body).unwrap();
            assert_eq!(order.id, "o-1", "{body}");
            assert_eq!(
                serde_json::to_string(&order).unwrap(),
                r#"{"id":"o-1","status":"COMPLETED"}"#
            );
        }
    }

    #[test]
    fn a_missing_or_contradictory_id_is_an_error_naming_it() {
        let missing = serde_json::from_str::<Order>(r#"{"status":"COMPLETED"}"#).unwrap_err();
        assert_eq!(missing.to_string(), "missing field `_id` (or `id`)");
        let both = serde_json::from_str::<Order>(r#"{"_id":"a","id":"b","status":"COMPLETED"}"#)
            .unwrap_err();
        assert_eq!(
            both.to_string(),
            "the order's `_id` (a) and `id` (b) disagree"
        );
    }
}
