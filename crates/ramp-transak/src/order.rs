//! Orders: `GET /partners/api/v2/order/{orderId}`, and the order inside webhooks.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::BuyOrSell;

/// An order's status: every status in Transak's order status reference (on-ramp, off-ramp and
/// NFT checkout). `COMPLETED`, `FAILED`, `CANCELLED`, `EXPIRED` and `REFUNDED` are final.
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
    /// `ON_HOLD_PENDING_DELIVERY_FROM_TRANSAK`: the order is on hold (for a sale, the crypto
    /// arrived but the fiat payout could not be sent yet). Not final.
    OnHoldPendingDeliveryFromTransak,
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
    OnHoldPendingDeliveryFromTransak => "ON_HOLD_PENDING_DELIVERY_FROM_TRANSAK",
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
    /// assert_eq!(
    ///     OrderStatus::from("ON_HOLD_PENDING_DELIVERY_FROM_TRANSAK"),
    ///     OrderStatus::OnHoldPendingDeliveryFromTransak,
    /// );
    /// assert!(!OrderStatus::OnHoldPendingDeliveryFromTransak.is_terminal());
    /// ```
    pub fn is_terminal(&self) -> bool {
        self.normalized().is_terminal()
    }

    /// The status every provider shares: `AWAITING_PAYMENT_FROM_USER` is pending;
    /// `PAYMENT_DONE_MARKED_BY_USER`, `PROCESSING`, `PENDING_DELIVERY_FROM_TRANSAK` and
    /// `ON_HOLD_PENDING_DELIVERY_FROM_TRANSAK` processing; `COMPLETED`, `FAILED`,
    /// `CANCELLED`, `EXPIRED` and `REFUNDED` themselves; anything else unknown.
    pub fn normalized(&self) -> ramp_core::webhook::OrderStatus {
        use ramp_core::webhook::OrderStatus as Normal;
        match self {
            Self::AwaitingPaymentFromUser => Normal::Pending,
            Self::PaymentDoneMarkedByUser
            | Self::Processing
            | Self::PendingDeliveryFromTransak
            | Self::OnHoldPendingDeliveryFromTransak => Normal::Processing,
            Self::Completed => Normal::Completed,
            Self::Failed => Normal::Failed,
            Self::Cancelled => Normal::Cancelled,
            Self::Expired => Normal::Expired,
            Self::Refunded => Normal::Refunded,
            Self::Other(_) => Normal::Unknown,
        }
    }
}

/// An order, as the order endpoints and webhooks carry it. Amounts are exact; fields Transak
/// adds are ignored.
///
/// Transak names the order id `_id` in Get Order By ID and Get Orders, and `id` in webhooks:
/// both are read (when both are present they must agree), and it is written as `id`.
///
/// ```
/// let order: ramp_transak::Order =
///     serde_json::from_str(r#"{"_id":"322dc79c","status":"COMPLETED"}"#).unwrap();
/// assert_eq!(order.id, "322dc79c");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", try_from = "crate::order_wire::OrderWire")]
#[non_exhaustive]
pub struct Order {
    /// Transak's order id (`_id` or `id` on the wire).
    pub id: String,
    /// Where the order stands.
    pub status: OrderStatus,
    /// `BUY` or `SELL`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_buy_or_sell: Option<BuyOrSell>,
    /// The fiat currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fiat_currency: Option<String>,
    /// The cryptocurrency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crypto_currency: Option<String>,
    /// The fiat amount, exact.
    #[serde(
        default,
        with = "ramp_core::decimal::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub fiat_amount: Option<Decimal>,
    /// The crypto amount, exact.
    #[serde(
        default,
        with = "ramp_core::decimal::option",
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
    /// When the order was created (`createdAt`).
    #[serde(
        default,
        with = "ramp_core::timestamp::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_at: Option<OffsetDateTime>,
    /// What the user paid, in the fiat currency, exact (`amountPaid`).
    #[serde(
        default,
        with = "ramp_core::decimal::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub amount_paid: Option<Decimal>,
    /// The payment method, such as `sepa_bank_transfer` (`paymentOptionId`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_option_id: Option<String>,
    /// The quote the order was priced with (`quoteId`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote_id: Option<String>,
    /// The blockchain transaction that delivered the crypto, once there is one
    /// (`transactionHash`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_hash: Option<String>,
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

#[cfg(test)]
mod tests {
    use super::OrderStatus;

    /// Transak's order status reference (docs.transak.com, "How to Track Order Status"), on-ramp
    /// and off-ramp tables: every code has a variant of its own, and only these are final.
    #[test]
    fn every_documented_status_is_named() {
        let documented = [
            ("AWAITING_PAYMENT_FROM_USER", false),
            ("PAYMENT_DONE_MARKED_BY_USER", false),
            ("PROCESSING", false),
            ("PENDING_DELIVERY_FROM_TRANSAK", false),
            ("ON_HOLD_PENDING_DELIVERY_FROM_TRANSAK", false),
            ("COMPLETED", true),
            ("CANCELLED", true),
            ("FAILED", true),
            ("REFUNDED", true),
            ("EXPIRED", true),
        ];
        for (code, terminal) in documented {
            let status = OrderStatus::from(code);
            assert!(
                !matches!(status, OrderStatus::Other(_)),
                "{code} is not named"
            );
            assert_eq!(status.as_str(), code);
            assert_eq!(status.is_terminal(), terminal, "{code}");
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{code}\""));
            assert_eq!(serde_json::from_str::<OrderStatus>(&json).unwrap(), status);
        }
        let unknown = OrderStatus::from("ON_HOLD");
        assert_eq!(unknown, OrderStatus::Other("ON_HOLD".into()));
        assert!(!unknown.is_terminal());
    }
}
