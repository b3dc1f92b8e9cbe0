//! What the user wants to buy, validated before anything is sent.

use std::net::IpAddr;

use rust_decimal::Decimal;

/// A network, by its one name here: each of the names providers use for it (`eth`, `erc20`,
/// `1`; `bep20`, `56`; `trc20`, ...) reads as the same network, so offers on it compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Network(&'static str);

impl Network {
    /// The network `name` names (any provider's name for it, case-insensitive); `None` for
    /// one a quote cannot name (a test network, or one unknown here).
    pub fn named(name: &str) -> Option<Self> {
        ramp_address::mainnet(name).map(Self)
    }

    /// Its name here: `ethereum`, `polygon`, `bsc`, `arbitrum`, `optimism`, `base`,
    /// `avalanche`, `bitcoin`, `tron`, `solana`.
    pub fn as_str(self) -> &'static str {
        self.0
    }
}

impl std::fmt::Display for Network {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

/// How the user pays, as a class every provider's words map onto.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PaymentClass {
    /// A credit or debit card.
    Card,
    /// A bank transfer (SEPA, Faster Payments, ...).
    BankTransfer,
    /// Apple Pay.
    ApplePay,
    /// Google Pay.
    GooglePay,
    /// Another provider's word, kept as written.
    Other(String),
}

impl PaymentClass {
    /// `card`, `bank_transfer`, `apple_pay`, `google_pay` (or a provider's own word for one of
    /// them: `creditcard`, `credit_debit_card`, `sepa_bank_transfer`, ...), or any other word,
    /// kept in lower case; `None` for an empty one.
    pub fn named(word: &str) -> Option<Self> {
        let word = word.trim().to_ascii_lowercase();
        Some(match word.as_str() {
            "" => return None,
            // Ours, then the providers' own words for the same class (docs/quotes.md).
            "card" | "creditcard" | "debitcard" | "credit_debit_card" => Self::Card,
            "bank_transfer" | "banktransfer" | "sepa_bank_transfer" | "gbp_bank_transfer" => {
                Self::BankTransfer
            }
            "apple_pay" | "applepay" => Self::ApplePay,
            "google_pay" | "googlepay" => Self::GooglePay,
            _ => Self::Other(word),
        })
    }

    /// Its name: `card`, `bank_transfer`, `apple_pay`, `google_pay`, or the word kept.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Card => "card",
            Self::BankTransfer => "bank_transfer",
            Self::ApplePay => "apple_pay",
            Self::GooglePay => "google_pay",
            Self::Other(word) => word,
        }
    }
}

impl serde::Serialize for PaymentClass {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Why a quote request was refused, before anything was sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QuoteRequestError {
    /// The fiat currency is not three letters.
    #[error("the fiat currency is three letters (EUR, USD), not {0:?}")]
    Fiat(String),
    /// The amount is not above zero.
    #[error("the amount the user pays is above zero, not {0}")]
    Amount(Decimal),
    /// The crypto asset is empty or not letters and digits.
    #[error("the crypto asset is its code (BTC, USDT), not {0:?}")]
    Crypto(String),
    /// The network is not one a quote can name.
    #[error(
        "the network is one of ethereum, polygon, bsc, arbitrum, optimism, base, avalanche, \
         bitcoin, tron, solana (or a provider's name for one), not {0:?}"
    )]
    Network(String),
    /// The user's IP is unspecified (`0.0.0.0`, `::`): it names no user.
    #[error("{0} is not a user's IP: give the IP of the user's browser")]
    UserIp(IpAddr),
    /// The country is not two letters.
    #[error("the country is two letters (FR, US), not {0:?}")]
    Country(String),
}

/// What the user wants: pay `amount` of `fiat` for `crypto` on `network`, optionally by a
/// payment class, from a country and an IP. Validated when built; each provider's words come
/// from the mapping table next to its part (docs/quotes.md in the repository).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteRequest {
    fiat: String,
    amount: Decimal,
    crypto: String,
    network: Network,
    payment: Option<PaymentClass>,
    country: Option<String>,
    user_ip: Option<IpAddr>,
}

impl QuoteRequest {
    /// Pay `amount` of `fiat` (three letters) for `crypto` (its code) on `network` (any
    /// provider's name for it). Upper-cases the codes.
    pub fn new(
        fiat: &str,
        amount: Decimal,
        crypto: &str,
        network: &str,
    ) -> Result<Self, QuoteRequestError> {
        let fiat_code = fiat.trim().to_ascii_uppercase();
        if fiat_code.len() != 3 || !fiat_code.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(QuoteRequestError::Fiat(fiat.to_owned()));
        }
        if amount <= Decimal::ZERO {
            return Err(QuoteRequestError::Amount(amount));
        }
        let crypto_code = crypto.trim().to_ascii_uppercase();
        if crypto_code.is_empty()
            || crypto_code.len() > 16
            || !crypto_code.bytes().all(|b| b.is_ascii_alphanumeric())
        {
            return Err(QuoteRequestError::Crypto(crypto.to_owned()));
        }
        let network = Network::named(network)
            .ok_or_else(|| QuoteRequestError::Network(network.to_owned()))?;
        Ok(Self {
            fiat: fiat_code,
            amount,
            crypto: crypto_code,
            network,
            payment: None,
            country: None,
            user_ip: None,
        })
    }

    /// Only offers for this payment class (`PaymentClass::named("card")`, ...).
    pub fn payment(mut self, class: PaymentClass) -> Self {
        self.payment = Some(class);
        self
    }

    /// The user's country (two letters), for the providers that price by it.
    pub fn country(mut self, country: &str) -> Result<Self, QuoteRequestError> {
        let code = country.trim().to_ascii_uppercase();
        if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(QuoteRequestError::Country(country.to_owned()));
        }
        self.country = Some(code);
        Ok(self)
    }

    /// The IP of the user's browser, for the providers that price or check by it; an
    /// unspecified one (`0.0.0.0`, `::`) names no user and is refused.
    pub fn user_ip(mut self, ip: IpAddr) -> Result<Self, QuoteRequestError> {
        if ip.is_unspecified() {
            return Err(QuoteRequestError::UserIp(ip));
        }
        self.user_ip = Some(ip);
        Ok(self)
    }

    /// The fiat currency (upper case).
    pub fn fiat(&self) -> &str {
        &self.fiat
    }

    /// What the user pays, in [`fiat`](Self::fiat).
    pub fn amount(&self) -> Decimal {
        self.amount
    }

    /// The crypto asset's code (upper case).
    pub fn crypto(&self) -> &str {
        &self.crypto
    }

    /// The network.
    pub fn network(&self) -> Network {
        self.network
    }

    /// The payment class asked for, if any.
    pub fn payment_class(&self) -> Option<&PaymentClass> {
        self.payment.as_ref()
    }

    /// The user's country, if given.
    pub fn country_code(&self) -> Option<&str> {
        self.country.as_deref()
    }

    /// The user's IP, if given.
    pub fn ip(&self) -> Option<IpAddr> {
        self.user_ip
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_is_validated_before_anything_is_sent() {
        let ok = QuoteRequest::new("eur", Decimal::from(100), "usdt", "TRC20").unwrap();
        assert_eq!(
            (ok.fiat(), ok.crypto(), ok.network().as_str()),
            ("EUR", "USDT", "tron")
        );
        assert_eq!(
            QuoteRequest::new("EURO", Decimal::from(100), "USDT", "tron"),
            Err(QuoteRequestError::Fiat("EURO".into()))
        );
        assert_eq!(
            QuoteRequest::new("EUR", Decimal::ZERO, "USDT", "tron"),
            Err(QuoteRequestError::Amount(Decimal::ZERO))
        );
        assert_eq!(
            QuoteRequest::new("EUR", Decimal::ONE, "US DT", "tron"),
            Err(QuoteRequestError::Crypto("US DT".into()))
        );
        assert_eq!(
            QuoteRequest::new("EUR", Decimal::ONE, "USDT", "sepolia"),
            Err(QuoteRequestError::Network("sepolia".into()))
        );
        assert!(ok.clone().country("FRA").is_err());
        assert_eq!(ok.country("fr").unwrap().country_code(), Some("FR"));
    }

    #[test]
    fn every_providers_name_for_a_network_is_the_same_network() {
        for (name, canonical) in [
            ("erc20", "ethereum"),
            ("56", "bsc"),
            ("MATIC", "polygon"),
            ("avaxcchain", "avalanche"),
            ("sol", "solana"),
        ] {
            assert_eq!(
                Network::named(name).map(Network::as_str),
                Some(canonical),
                "{name}"
            );
        }
        // Each is one ramp-address checks addresses for.
        assert_eq!(
            ramp_address::family_of("bep20"),
            Some(ramp_address::Family::Evm)
        );
        assert_eq!(Network::named("sepolia"), None, "a testnet names no quote");
    }

    #[test]
    fn payment_classes_read_their_names_and_keep_other_words() {
        assert_eq!(PaymentClass::named("card"), Some(PaymentClass::Card));
        assert_eq!(
            PaymentClass::named("Apple_Pay"),
            Some(PaymentClass::ApplePay)
        );
        assert_eq!(PaymentClass::named("creditcard"), Some(PaymentClass::Card));
        assert_eq!(
            PaymentClass::named("sepa_bank_transfer"),
            Some(PaymentClass::BankTransfer)
        );
        assert_eq!(
            PaymentClass::named("PIX"),
            Some(PaymentClass::Other("pix".into()))
        );
        assert_eq!(PaymentClass::named(" "), None);
    }
}
