//! `GET /widget/transactions/{id}` and the partner webhook, which share one shape.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// `buy` or `sell`; another value Proof may send later is kept as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransactionType {
    /// `buy`: the user buys crypto (on-ramp).
    Buy,
    /// `sell`: the user sells crypto (off-ramp; must be enabled for your integration).
    Sell,
    /// Any other value, as written (never accepted in a request).
    Other(String),
}

/// A transaction's status. `completed`, `failed` and `cancelled` are final.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OrderStatus {
    /// `pending`.
    Pending,
    /// `processing`.
    Processing,
    /// `completed` (final).
    Completed,
    /// `failed` (final).
    Failed,
    /// `cancelled` (final).
    Cancelled,
    /// Any other value, as written.
    Other(String),
}

ramp_core::wire_enum!(TransactionType { Buy => "buy", Sell => "sell" });
ramp_core::wire_enum!(OrderStatus {
    Pending => "pending",
    Processing => "processing",
    Completed => "completed",
    Failed => "failed",
    Cancelled => "cancelled",
});

impl OrderStatus {
    /// Whether the status is final (`completed`, `failed` or `cancelled`).
    ///
    /// ```
    /// use ramp_proof::OrderStatus;
    ///
    /// assert!(OrderStatus::Completed.is_terminal());
    /// assert!(!OrderStatus::from("processing").is_terminal());
    /// assert!(!OrderStatus::from("on_hold").is_terminal());
    /// ```
    pub fn is_terminal(&self) -> bool {
        self.normalized().is_terminal()
    }

    /// The status every provider shares: `pending`, `processing`, `completed`, `failed` and
    /// `cancelled` themselves, anything else unknown.
    pub fn normalized(&self) -> ramp_core::webhook::OrderStatus {
        use ramp_core::webhook::OrderStatus as Normal;
        match self {
            Self::Pending => Normal::Pending,
            Self::Processing => Normal::Processing,
            Self::Completed => Normal::Completed,
            Self::Failed => Normal::Failed,
            Self::Cancelled => Normal::Cancelled,
            Self::Other(_) => Normal::Unknown,
        }
    }
}

/// A transaction as `GET /widget/transactions/{id}` returns it, and as the partner webhook
/// posts it (without `partner_user_id`). Amounts are exact; unknown fields are ignored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Transaction {
    /// The id from [`WidgetSession::merchant_transaction_id`](crate::WidgetSession).
    pub merchant_transaction_id: String,
    /// Your id for the user (absent from webhooks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner_user_id: Option<String>,
    /// `buy` or `sell`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub transaction_type: Option<TransactionType>,
    /// Where the transaction stands.
    pub status: OrderStatus,
    /// The crypto currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// The network.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<String>,
    /// The crypto amount, exact, once known.
    #[serde(
        default,
        with = "ramp_core::decimal::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub crypto_amount: Option<Decimal>,
    /// The fiat currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fiat_currency: Option<String>,
    /// The fiat amount, exact, once known.
    #[serde(
        default,
        with = "ramp_core::decimal::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub fiat_amount: Option<Decimal>,
    /// When the transaction was created (Proof's examples write RFC 3339; seconds or
    /// milliseconds since the epoch are read too).
    #[serde(
        default,
        with = "ramp_core::timestamp::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_at: Option<OffsetDateTime>,
    /// When it last changed.
    #[serde(
        default,
        with = "ramp_core::timestamp::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub updated_at: Option<OffsetDateTime>,
}

/// What the partner webhook delivers: the transaction shape without `partner_user_id`.
pub type TransactionUpdate = Transaction;

impl ramp_core::webhook::Event for Transaction {
    fn order_id(&self) -> &str {
        &self.merchant_transaction_id
    }

    fn provider_status(&self) -> &str {
        self.status.as_str()
    }

    fn status(&self) -> ramp_core::webhook::OrderStatus {
        self.status.normalized()
    }
}
