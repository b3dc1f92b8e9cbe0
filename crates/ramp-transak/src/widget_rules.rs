//! The rules a widget's parameters follow, checked before anything is sent: the documented
//! ones, the typed names `extra` may not shadow, and the wallet addresses.

use ramp_core::validate;

use crate::{Error, ErrorKind, WidgetParams};

/// The wire names of the typed parameters, which `extra` may not use.
pub(crate) const TYPED: [&str; 39] = [
    "apiKey",
    "referrerDomain",
    "productsAvailed",
    "fiatCurrency",
    "defaultFiatCurrency",
    "countryCode",
    "excludeFiatCurrencies",
    "network",
    "defaultNetwork",
    "networks",
    "cryptoCurrencyCode",
    "defaultCryptoCurrency",
    "cryptoCurrencyList",
    "fiatAmount",
    "defaultFiatAmount",
    "cryptoAmount",
    "defaultCryptoAmount",
    "paymentMethod",
    "defaultPaymentMethod",
    "disablePaymentMethods",
    "walletAddress",
    "walletAddressesData",
    "disableWalletAddressForm",
    "email",
    "userData",
    "isAutoFillUserData",
    "isFeeCalculationHidden",
    "hideExchangeScreen",
    "themeColor",
    "hideMenu",
    "colorMode",
    "exchangeScreenTitle",
    "backgroundColors",
    "textColors",
    "borderColors",
    "redirectURL",
    "partnerOrderId",
    "partnerCustomerId",
    "walletRedirection",
];

impl WidgetParams {
    /// Checks the documented rules: `apiKey` and `referrerDomain` present and not empty, each
    /// amount positive, an email with a local part and a domain, an absolute `redirectURL`,
    /// and no `extra` key shadowing a typed parameter. The client runs this (after filling
    /// in its API key and referrer domain) before anything is sent.
    pub fn validate(&self) -> Result<(), Error> {
        if let Some(api_key) = &self.api_key {
            validate::required("apiKey", Some(api_key.clone()))?;
        }
        if let Some(domain) = &self.referrer_domain {
            validate::required("referrerDomain", Some(domain.clone()))?;
        }
        for (field, amount) in [
            ("fiatAmount", self.fiat_amount),
            ("defaultFiatAmount", self.default_fiat_amount),
            ("cryptoAmount", self.crypto_amount),
            ("defaultCryptoAmount", self.default_crypto_amount),
        ] {
            if let Some(amount) = amount {
                validate::positive(field, amount)?;
            }
        }
        if let Some(email) = &self.email {
            validate::email("email", email.clone())?;
        }
        if let Some(url) = &self.redirect_url {
            validate::absolute_url("redirectURL", url)?;
        }
        if let Some(key) = self.extra.keys().find(|k| TYPED.contains(&k.as_str())) {
            return Err(Error::from(ErrorKind::Validation {
                field: "extra",
                reason: format!("`{key}` is a typed parameter; set its field instead"),
            }));
        }
        Ok(())
    }

    /// With the client's API key and referrer domain where these are unset, validated.
    /// Every wallet address, checked for its network before anything is sent.
    pub(crate) fn check_addresses(&self, policy: ramp_address::Policy) -> Result<(), Error> {
        self.check_addresses_with(|network, address| {
            ramp_address::check(network, address, policy).map(|_| ())
        })
    }

    /// Every wallet address checked with `check` (network, address).
    pub(crate) fn check_addresses_with(
        &self,
        check: impl Fn(&str, &str) -> Result<(), ramp_address::CheckError>,
    ) -> Result<(), Error> {
        let invalid = |field: &'static str, err: ramp_address::CheckError| {
            Error::from(ErrorKind::Validation {
                field,
                reason: err.to_string(),
            })
        };
        let check_by_coin = |coin: &str, address: &str| {
            let network = ramp_address::family_of_crypto(coin).map(ramp_address::Family::name);
            check(network.unwrap_or(coin), address)
        };
        if let Some(address) = &self.wallet_address {
            match (&self.network, &self.crypto_currency_code) {
                (Some(network), _) => check(network, address),
                (None, Some(coin)) => check_by_coin(coin, address),
                (None, None) => check("", address),
            }
            .map_err(|err| invalid("walletAddress", err))?;
        }
        if let Some(data) = &self.wallet_addresses_data {
            for (network, wallet) in data.networks.iter().flatten() {
                check(network, &wallet.address)
                    .map_err(|err| invalid("walletAddressesData", err))?;
            }
            for (coin, wallet) in data.coins.iter().flatten() {
                check_by_coin(coin, &wallet.address)
                    .map_err(|err| invalid("walletAddressesData", err))?;
            }
        }
        Ok(())
    }

    pub(crate) fn completed(
        &self,
        api_key: &str,
        referrer_domain: Option<&str>,
    ) -> Result<Self, Error> {
        let mut params = self.clone();
        params.api_key.get_or_insert_with(|| api_key.to_owned());
        if params.referrer_domain.is_none() {
            params.referrer_domain = referrer_domain.map(str::to_owned);
        }
        if params.referrer_domain.is_none() {
            return Err(Error::from(ErrorKind::Validation {
                field: "referrerDomain",
                reason: "is required; set it on the client (ClientBuilder::referrer_domain) or \
                         in the parameters"
                    .into(),
            }));
        }
        params.validate()?;
        Ok(params)
    }
}
