//! Orders: `GET /partners/api/v2/order/{orderId}`, and the order inside webhooks.

use ramp_core::decimal::{deserialize_exact_option, serialize_option_number};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// An order's status. `COMPLETED`, `FAILED`, `CANCELLED`, `EXPIRED` and `REFUNDED` are final.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OrderStatus {
    /// `AWAITING_PAYMENT_FROM_USER`.
    AwaitingPaymentFromUser,
    /// `PAYMENT_DONE_MARKED_BY_USER`.
    PaymentDoneMarkedByUser,
    /// `PROCESSING`.
    Processing,
    /// `PENDING_DELIVERY_FROM_TRANSAK`.
    PendingDeliveryFromTransak,
    /// `COMPLETED` (final).
    Completed,
    /// `FAILED` (final).
    Failed,
    /// `CANCELLED` (final).
    Cancelled,
    /// `EXPIRED` (final).
    Expired,
    /// `REFUNDED` (final).
    Refunded,
    /// Any other value, as written.
    Other(String),
}

ramp_core::wire_enum!(OrderStatus {
    AwaitingPaymentFromUser => "AWAITING_PAYMENT_FROM_USER",
    PaymentDoneMarkedByUser => "PAYMENT_DONE_MARKED_BY_USER",
    Processing => "PROCESSING",
    PendingDeliveryFromTransak => "PENDING_DELIVERY_FROM_TRANSAK",
    Completed => "COMPLETED",
    Failed => "FAILED",
    Cancelled => "CANCELLED",
    Expired => "EXPIRED",
    Refunded => "REFUNDED",
});

impl OrderStatus {
    /// Whether the status is final.
    ///
    /// ```
    /// use ramp_transak::OrderStatus;
    ///
    /// assert!(OrderStatus::from("REFUNDED").is_terminal());
    /// assert!(!OrderStatus::from("PROCESSING").is_terminal());
    /// ```
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            Self::Completed | Self::Failed | Self::Cancelled | Self::Expired | Self::Refunded
        )
    }
}

/// An order, as the order endpoint and webhooks carry it. Amounts are exact; fields Transak
/// adds are ignored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Order {
    /// Transak's order id.
    pub id: String,
    /// Where the order stands.
    pub status: OrderStatus,
    /// `BUY` or `SELL`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_buy_or_sell: Option<String>,
    /// The fiat currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fiat_currency: Option<String>,
    /// The cryptocurrency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crypto_currency: Option<String>,
    /// The fiat amount, exact.
    #[serde(
        default,
        deserialize_with = "deserialize_exact_option",
        serialize_with = "serialize_option_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub fiat_amount: Option<Decimal>,
    /// The crypto amount, exact.
    #[serde(
        default,
        deserialize_with = "deserialize_exact_option",
        serialize_with = "serialize_option_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub crypto_amount: Option<Decimal>,
    /// The network.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<String>,
    /// The wallet the crypto goes to. Compare it with the address you expect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wallet_address: Option<String>,
    /// Your order id, if you set `partnerOrderId`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner_order_id: Option<String>,
    /// Your customer id, if you set `partnerCustomerId`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner_customer_id: Option<String>,
    /// When the order was created, as Transak writes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
}

impl Order {
    /// Whether [`wallet_address`](Self::wallet_address) is well formed for the order's
    /// `network` (or, without one, its `cryptoCurrency` where that says which format):
    /// compare it with the address you asked for before acting on a webhook. Pass `true` for
    /// orders of [`Environment::Staging`](crate::Environment::Staging), whose Bitcoin
    /// addresses are testnet ones. Without an address, or on a network `ramp_address` does
    /// not know, it is [`Checked::UnknownNetwork`](ramp_address::Checked::UnknownNetwork).
    ///
    /// ```
    /// use ramp_transak::webhook;
    ///
    /// let order: ramp_transak::Order = serde_json::from_str(
    ///     r#"{"id":"o","status":"COMPLETED","network":"ethereum","walletAddress":"0x977BC1915dA4f7edA9D2e49BC08356db37478538"}"#,
    /// ).unwrap();
    /// assert!(order.address_check(false).is_valid());
    /// # let _ = webhook::DEFAULT_LEEWAY;
    /// ```
    pub fn address_check(&self, testnet: bool) -> ramp_address::Checked {
        let Some(address) = &self.wallet_address else {
            return ramp_address::Checked::UnknownNetwork;
        };
        let family = match (&self.network, &self.crypto_currency) {
            (Some(network), _) => ramp_address::family_of(network),
            (None, Some(coin)) => ramp_address::family_of_crypto(coin),
            (None, None) => None,
        };
        match family {
            Some(family) => ramp_address::assess(family.name(), address, testnet),
            None => ramp_address::Checked::UnknownNetwork,
        }
    }
}
