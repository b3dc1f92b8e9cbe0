//! What a provider offers, what failed, and the comparison of the offers.

use rust_decimal::Decimal;
use serde::Serialize;
use time::OffsetDateTime;

use super::{Network, PaymentClass};

/// Who quotes: each provider with a quote API. Proof publishes none, so it is not here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Quoter {
    /// Kryptonim (`ramp_kryptonim::Client::quotes`).
    Kryptonim,
    /// Transak (`ramp_transak::Client::price_quote`).
    Transak,
    /// Koinal (`ramp_koinal::Client::quote`).
    Koinal,
    /// Onramper (`ramp_onramper::Client::quotes`): one offer per ramp it quotes for.
    Onramper,
}

impl Quoter {
    /// Its name: `kryptonim`, `transak`, `koinal`, `onramper`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Kryptonim => "kryptonim",
            Self::Transak => "transak",
            Self::Koinal => "koinal",
            Self::Onramper => "onramper",
        }
    }
}

impl std::fmt::Display for Quoter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The fees of an offer, where the provider itemizes them.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fees {
    /// Itemized: the total and each fee, exact, in the currency the provider gives them in
    /// (Transak: the fiat; Onramper: not published).
    Itemized {
        /// Their sum, as the provider gave it.
        total: Decimal,
        /// Each fee: its name as the provider wrote it, and its amount.
        items: Vec<(String, Decimal)>,
    },
    /// The provider does not itemize its fees (they are in its price, or not said).
    NotItemized,
}

impl Fees {
    /// The total, where itemized.
    pub fn total(&self) -> Option<Decimal> {
        match self {
            Self::Itemized { total, .. } => Some(*total),
            Self::NotItemized => None,
        }
    }
}

/// One provider's offer (for Onramper, one ramp's), exact as the provider wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Offer {
    /// Who offers it.
    pub quoter: Quoter,
    /// Onramper's ramp (`moonpay`, ...): each is an offer of its own, never merged with a
    /// direct integration of the same company.
    pub ramp: Option<String>,
    /// The fiat the user is charged, and its currency.
    pub fiat_amount: Decimal,
    /// The fiat currency.
    pub fiat_currency: String,
    /// The crypto the wallet receives, exact as the provider wrote it.
    pub crypto_amount: Decimal,
    /// The crypto asset.
    pub crypto_currency: String,
    /// The network, where the provider says it (Koinal does not).
    pub network: Option<Network>,
    /// The payment class, where the provider says it (Koinal does not).
    pub payment: Option<PaymentClass>,
    /// The fees, or that they are not itemized.
    pub fees: Fees,
    /// The provider's own labels, passed through (Onramper's `recommendations`).
    pub labels: Vec<String>,
    /// Whether the price binds the checkout (Koinal's quote token binds its order; the
    /// others' widgets price again).
    pub binding: bool,
    /// When it was fetched.
    pub fetched_at: OffsetDateTime,
    /// What the checkout at it needs: the provider's words, and Koinal's quote token.
    pub(crate) checkout: CheckoutWords,
}

/// The provider's words an offer was quoted in, for its checkout.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct CheckoutWords {
    /// The network word sent (Transak's, Onramper's) or the network's name (Kryptonim).
    pub(crate) network: Option<String>,
    /// The payment method word sent.
    pub(crate) method: Option<String>,
    /// Onramper's destination id.
    pub(crate) destination: Option<String>,
    /// Koinal's quote token, which binds the order made with it.
    pub(crate) token: Option<QuoteToken>,
}

/// A quote token: it authorizes the order made with it, so it never prints.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct QuoteToken(pub(crate) String);

impl std::fmt::Debug for QuoteToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[REDACTED]")
    }
}

/// Why a provider (or one of Onramper's ramps) gave no offer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Refusal {
    /// No answer within the deadline.
    Timeout,
    /// Outside its limits for this purchase, in the fiat currency where it gave them.
    Limit {
        /// The smallest amount it takes, where given.
        min_amount: Option<Decimal>,
        /// The largest amount it takes, where given.
        max_amount: Option<Decimal>,
    },
    /// It cannot quote this pair, network or payment class.
    Unsupported(String),
    /// Its own error: the code where it gave one, and its message.
    Provider {
        /// The provider's code.
        code: Option<String>,
        /// The provider's message, or what failed.
        message: String,
    },
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Timeout => f.write_str("no answer within the deadline"),
            Self::Limit {
                min_amount,
                max_amount,
            } => {
                f.write_str("outside its limits")?;
                if let Some(min) = min_amount {
                    write!(f, " (at least {min})")?;
                }
                if let Some(max) = max_amount {
                    write!(f, " (at most {max})")?;
                }
                Ok(())
            }
            Self::Unsupported(what) => write!(f, "unsupported: {what}"),
            Self::Provider { code, message } => match code {
                Some(code) => write!(f, "{code}: {message}"),
                None => f.write_str(message),
            },
        }
    }
}

/// A provider (or one of Onramper's ramps) that gave no offer, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Failure {
    /// Who.
    pub quoter: Quoter,
    /// Onramper's ramp, where the failure is one ramp's.
    pub ramp: Option<String>,
    /// Why.
    pub refusal: Refusal,
}

/// Whether an offer buys what was asked, so that it compares with the others.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Comparable {
    /// The same fiat amount charged, asset, network and payment class as asked.
    Yes,
    /// It cannot be compared: what differs or is not said (`network not said`, `charges
    /// 101.50 EUR`, ...).
    No(String),
}

/// The offers, best first among those that buy the same thing, then those that cannot be
/// compared (marked, never ranked among them); and, beside them, one failure per provider
/// or ramp that gave none.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Comparison {
    /// The offers, each with whether it compares: comparable ones first, most crypto first.
    pub offers: Vec<(Offer, Comparable)>,
    /// Who gave no offer.
    pub failures: Vec<Failure>,
}

impl Comparison {
    /// The best offer: the most crypto received among those that compare.
    pub fn best(&self) -> Option<&Offer> {
        self.offers
            .iter()
            .find(|(_, comparable)| *comparable == Comparable::Yes)
            .map(|(offer, _)| offer)
    }
}
