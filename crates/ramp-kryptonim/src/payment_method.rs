//! Payment methods, shared by widget sessions and quotes.

/// A payment method, as Kryptonim names it on the wire.
///
/// The seven methods of the documentation are variants; a method Kryptonim adds later
/// decodes as [`PaymentMethod::Other`] instead of failing. Which methods are available
/// depends on the country and currency; on the testnet only `card` and `bank_transfer` work.
///
/// ```
/// use ramp_kryptonim::PaymentMethod;
///
/// assert_eq!(PaymentMethod::GooglePay.as_str(), "google_pay");
/// assert_eq!(PaymentMethod::from("blik"), PaymentMethod::Blik);
/// assert_eq!(PaymentMethod::from("pix"), PaymentMethod::Other("pix".into()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PaymentMethod {
    /// `card` (testnet and production).
    Card,
    /// `bank_transfer` (testnet and production).
    BankTransfer,
    /// `apple_pay` (production only).
    ApplePay,
    /// `google_pay` (production only).
    GooglePay,
    /// `astropay` (production only).
    Astropay,
    /// `blik` (production only).
    Blik,
    /// `ideal` (production only).
    Ideal,
    /// A method not in the documentation, sent and received as written.
    Other(String),
}

ramp_core::wire_enum!(PaymentMethod {
    Card => "card",
    BankTransfer => "bank_transfer",
    ApplePay => "apple_pay",
    GooglePay => "google_pay",
    Astropay => "astropay",
    Blik => "blik",
    Ideal => "ideal",
});

impl PaymentMethod {
    /// Whether the documentation lists the method as available on the testnet.
    pub fn on_testnet(&self) -> bool {
        matches!(self, Self::Card | Self::BankTransfer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_method_round_trips_by_name() {
        for name in [
            "card",
            "bank_transfer",
            "apple_pay",
            "google_pay",
            "astropay",
            "blik",
            "ideal",
        ] {
            let method = PaymentMethod::from(name);
            assert!(!matches!(method, PaymentMethod::Other(_)), "{name}");
            assert_eq!(method.as_str(), name);
            let json = serde_json::to_string(&method).unwrap();
            assert_eq!(
                serde_json::from_str::<PaymentMethod>(&json).unwrap(),
                method
            );
        }
        assert_eq!(
            serde_json::from_str::<PaymentMethod>(r#""sepa_instant""#).unwrap(),
            PaymentMethod::Other("sepa_instant".into())
        );
    }
}
