//! The normalized order event every provider's deliveries become.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use ramp_core::webhook::OrderStatus;

use crate::store::EventKey;

/// The provider an event came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Provider {
    /// Transak.
    Transak,
    /// Proof.
    Proof,
    /// Koinal.
    Koinal,
    /// Onramper.
    Onramper,
    /// A provider of your own, made by [`Provider::other`] (for
    /// [`Endpoint::verified`](crate::endpoint::Endpoint::verified) and
    /// `Tracker::source`).
    Other(OtherName),
}

/// The name of a provider of your own: see [`Provider::other`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OtherName(&'static str);

/// The names [`Provider::other`] made, so that a stored [`Provider`] reads back.
static OTHERS: std::sync::Mutex<Vec<&'static str>> = std::sync::Mutex::new(Vec::new());

/// A name [`Provider::other`] refuses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "a provider's name is 1 to 32 lower-case letters, digits, `-` or `_`, and not one this \
     crate has: {0:?}"
)]
pub struct ProviderNameError(pub String);

impl Provider {
    /// The providers this crate has.
    const BUILT_IN: [Self; 4] = [Self::Transak, Self::Proof, Self::Koinal, Self::Onramper];

    /// A provider of your own, named `name` (its events' `provider`, its route's default
    /// path `/<name>`, its keys in the store): 1 to 32 lower-case letters, digits, `-` or
    /// `_`, and not the name of a provider this crate has.
    pub fn other(name: &'static str) -> Result<Self, ProviderNameError> {
        let valid = (1..=32).contains(&name.len())
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
            && Self::BUILT_IN.iter().all(|p| p.as_str() != name);
        if !valid {
            return Err(ProviderNameError(name.to_owned()));
        }
        if let Ok(mut others) = OTHERS.lock()
            && !others.contains(&name)
        {
            others.push(name);
        }
        Ok(Self::Other(OtherName(name)))
    }

    /// The provider named `name`: one this crate has, or one [`Provider::other`] made.
    pub fn from_name(name: &str) -> Option<Self> {
        if let Some(known) = Self::BUILT_IN.iter().find(|p| p.as_str() == name) {
            return Some(*known);
        }
        let others = OTHERS.lock().ok()?;
        others
            .iter()
            .find(|other| **other == name)
            .map(|other| Self::Other(OtherName(other)))
    }

    /// Its name: `transak`, `proof`, `koinal`, `onramper`, or your own.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Transak => "transak",
            Self::Proof => "proof",
            Self::Koinal => "koinal",
            Self::Onramper => "onramper",
            Self::Other(OtherName(name)) => name,
        }
    }
}

impl Serialize for Provider {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Provider {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = std::borrow::Cow::<'de, str>::deserialize(d)?;
        Self::from_name(&name).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown provider {name:?} (one of your own is known once Provider::other made it)"
            ))
        })
    }
}

impl std::fmt::Display for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An exact amount and its currency, as the provider sent them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Money {
    /// The amount, exact (written as a JSON number with every digit).
    #[serde(serialize_with = "ramp_core::decimal::serialize_number")]
    pub amount: Decimal,
    /// The currency as the provider wrote it (`EUR`, `usdt`, ...); empty when it sent none.
    pub currency: String,
}

impl Money {
    /// `amount` of `currency`: for a handler's tests, or a status read of your own.
    ///
    /// ```
    /// use ramp::{Money, OrderEvent, OrderStatus, Provider};
    /// use rust_decimal::Decimal;
    ///
    /// let mut event = OrderEvent::with_status(Provider::Koinal, "42", OrderStatus::Completed, "COMPLETED");
    /// event.crypto = Some(Money::new(Decimal::new(1205, 2), "USDT")); // 12.05 USDT
    /// assert_eq!(event.crypto.unwrap().amount.to_string(), "12.05");
    /// ```
    pub fn new(amount: Decimal, currency: impl Into<String>) -> Self {
        Self {
            amount,
            currency: currency.into(),
        }
    }

    #[allow(dead_code)] // with no provider feature on, nothing converts
    pub(crate) fn of(amount: Option<Decimal>, currency: Option<&str>) -> Option<Self> {
        Some(Self {
            amount: amount?,
            currency: currency.unwrap_or_default().to_owned(),
        })
    }
}

/// One provider's news about one order, the same shape for every provider: what the
/// provider said, normalized, with its own status kept beside.
///
/// It serializes as one JSON object: `provider`, `order_id`, `status` (normalized),
/// `provider_status`, whichever of `fiat`, `crypto`, `wallet_address`, `transaction_hash`,
/// `time` and `partner_reference` the provider sent, and `unread` when it was read in part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct OrderEvent {
    /// Who sent it.
    pub provider: Provider,
    /// The provider's order id (Transak's order `id`, Proof's `merchant_transaction_id`,
    /// Koinal's `order_id` as text, Onramper's `transactionId`).
    pub order_id: String,
    /// The status, normalized.
    pub status: OrderStatus,
    /// The status as the provider wrote it.
    pub provider_status: String,
    /// The fiat side, when sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fiat: Option<Money>,
    /// The crypto side, when sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crypto: Option<Money>,
    /// The wallet the crypto goes to: compare it with the one you ordered for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wallet_address: Option<String>,
    /// The blockchain transaction id, once there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transaction_hash: Option<String>,
    /// When the provider says it happened (or the order was made, where that is all it says).
    #[serde(
        with = "time::serde::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub time: Option<OffsetDateTime>,
    /// Your own reference, where the provider echoes it (Transak `partnerOrderId`, Onramper
    /// `partnerContext`, Koinal `customer_reference`, Proof `partner_user_id`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partner_reference: Option<String>,
    /// Set when the delivery was read in part (the provider crate's reader refused it, and
    /// its order and status were read field by field): the JSON path the reader refused. The
    /// fields it lacks are absent here, whatever the provider meant by them. A redelivery
    /// carries the same bytes: a handler that cannot act on it should set the order aside
    /// (for a person to look at) rather than fail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unread: Option<String>,
    /// The provider's own event (see [`provider_event`](Self::provider_event)).
    #[serde(skip)]
    pub(crate) kept: crate::provider_event::Kept,
}

impl OrderEvent {
    /// An event with only its core: for a status read of your own (a `track::StatusRead` you
    /// implement) or a handler's tests; set the other fields after.
    pub fn with_status(
        provider: Provider,
        order_id: impl Into<String>,
        status: OrderStatus,
        provider_status: impl Into<String>,
    ) -> Self {
        Self {
            provider,
            order_id: order_id.into(),
            status,
            provider_status: provider_status.into(),
            fiat: None,
            crypto: None,
            wallet_address: None,
            transaction_hash: None,
            time: None,
            partner_reference: None,
            unread: None,
            kept: crate::provider_event::Kept::default(),
        }
    }

    /// The event's core: who, which order, which status; the rest empty.
    pub fn new(provider: Provider, event: &impl ramp_core::webhook::Event) -> Self {
        Self {
            provider,
            order_id: event.order_id().to_owned(),
            status: event.status(),
            provider_status: event.provider_status().to_owned(),
            fiat: None,
            crypto: None,
            wallet_address: event.wallet_address().map(str::to_owned),
            transaction_hash: None,
            time: None,
            partner_reference: None,
            unread: None,
            kept: crate::provider_event::Kept::default(),
        }
    }

    /// `provider:order_id:provider_status` (a `:` or `%` in the order id escaped as `%3A`,
    /// `%25`): a delivery with a key already handled is a duplicate.
    pub fn dedup_key(&self) -> String {
        format!(
            "{}:{}:{}",
            self.provider,
            ramp_core::webhook::key_part(&self.order_id),
            self.provider_status
        )
    }

    /// `provider:order_id` (a `:` or `%` in the order id escaped): the order's key.
    pub fn order_key(&self) -> String {
        format!(
            "{}:{}",
            self.provider,
            ramp_core::webhook::key_part(&self.order_id)
        )
    }

    /// What a store is asked about this event: its [`dedup_key`](Self::dedup_key), its
    /// [`order_key`](Self::order_key) and how final its status is.
    pub fn key(&self) -> EventKey {
        EventKey::new(self.dedup_key(), self.order_key(), finality(self.status))
    }

    /// Whether nothing follows it.
    pub fn is_terminal(&self) -> bool {
        self.status.is_terminal()
    }
}

/// 0 for a status that is not final, 1 for a final one, 2 for refunded: the one final status
/// that may follow another (a completed order refunded, a failed one paid back).
pub(crate) fn finality(status: OrderStatus) -> u8 {
    match status {
        OrderStatus::Refunded => 2,
        status if status.is_terminal() => 1,
        _ => 0,
    }
}

/// How far along an order with `status` is, to tell which of two reads is older: created,
/// pending, processing, then final; `None` for a status that is not documented.
#[allow(dead_code)] // used by the Proof route only
pub(crate) fn stage(status: OrderStatus) -> Option<u8> {
    match status {
        OrderStatus::Created => Some(0),
        OrderStatus::Pending => Some(1),
        OrderStatus::Processing => Some(2),
        OrderStatus::Unknown => None,
        _ => Some(3),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_built_by_hand_has_its_key_and_no_order_id_can_forge_another() {
        let event = OrderEvent::with_status(
            Provider::Onramper,
            "01HX9",
            OrderStatus::Completed,
            "completed",
        );
        assert_eq!(event.dedup_key(), "onramper:01HX9:completed");
        assert!(event.is_terminal());
        assert_eq!(
            event.key(),
            EventKey::new("onramper:01HX9:completed", "onramper:01HX9", 1)
        );
        let sly =
            OrderEvent::with_status(Provider::Onramper, "01HX9:paid", OrderStatus::Pending, "x");
        assert_eq!(sly.dedup_key(), "onramper:01HX9%3Apaid:x");
        assert_ne!(
            sly.dedup_key(),
            OrderEvent::with_status(Provider::Onramper, "01HX9", OrderStatus::Unknown, "paid:x")
                .dedup_key()
        );
        assert_eq!(sly.key().order(), "onramper:01HX9%3Apaid");
        assert_eq!(sly.key().finality(), 0);
    }

    #[test]
    fn only_refunded_may_follow_another_final_status() {
        let key =
            |status| OrderEvent::with_status(Provider::Transak, "o", status, status.as_str()).key();
        let completed = key(OrderStatus::Completed).finality();
        assert!(key(OrderStatus::Processing).is_ended_by(completed));
        assert!(key(OrderStatus::Failed).is_ended_by(completed));
        assert!(key(OrderStatus::Unknown).is_ended_by(completed));
        assert!(!key(OrderStatus::Refunded).is_ended_by(completed));
        assert!(key(OrderStatus::Refunded).is_ended_by(key(OrderStatus::Refunded).finality()));
        assert!(!key(OrderStatus::Processing).is_ended_by(0), "not ended");
    }
}
