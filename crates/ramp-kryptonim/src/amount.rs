//! Which side of the exchange an amount is on.

use rust_decimal::Decimal;

/// The amount a session or quote is based on: the fiat the user spends, or the crypto the
/// user receives. Kryptonim takes exactly one of the two, and the type says so.
///
/// ```
/// use ramp_kryptonim::{Amount, Decimal};
///
/// let spend = Amount::Fiat(Decimal::new(1550, 2)); // 15.50 EUR
/// assert_eq!(spend.value().to_string(), "15.50");
/// assert!(spend.is_fiat());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Amount {
    /// An amount of fiat currency to spend (`fiatAmount`, or `amount` in a quote).
    Fiat(Decimal),
    /// An amount of cryptocurrency to buy (`cryptoAmount`, or `convertedAmount` in a quote).
    Crypto(Decimal),
}

impl Amount {
    /// The amount, whichever side it is on.
    pub fn value(&self) -> Decimal {
        match self {
            Self::Fiat(value) | Self::Crypto(value) => *value,
        }
    }

    /// `(fiat, crypto)`: the amount on its side, `None` on the other.
    pub(crate) fn sides(self) -> (Option<Decimal>, Option<Decimal>) {
        match self {
            Self::Fiat(value) => (Some(value), None),
            Self::Crypto(value) => (None, Some(value)),
        }
    }

    /// Whether this is a fiat amount.
    pub fn is_fiat(&self) -> bool {
        matches!(self, Self::Fiat(_))
    }
}
