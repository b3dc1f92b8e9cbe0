//! Starting the checkout at the offer the user chose, through its provider's crate.

// Which of these a build uses depends on the provider features on.
#![allow(dead_code, unused_imports, unused_variables)]

use std::net::IpAddr;

use url::Url;

use super::{Offer, Quoter, Quotes};

/// The user's side of a checkout: the wallet (checked for the offer's network before
/// anything is sent), the IP of the user's browser, where to return, and your reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckoutDetails {
    wallet_address: String,
    user_ip: IpAddr,
    return_url: Option<Url>,
    reference: Option<String>,
}

impl CheckoutDetails {
    /// Pay out to `wallet_address`, for the user at `user_ip`.
    pub fn new(wallet_address: impl Into<String>, user_ip: IpAddr) -> Self {
        Self {
            wallet_address: wallet_address.into(),
            user_ip,
            return_url: None,
            reference: None,
        }
    }

    /// Where the provider sends the user back (Transak's `redirectURL`, Kryptonim's
    /// success URL).
    pub fn return_url(mut self, url: Url) -> Self {
        self.return_url = Some(url);
        self
    }

    /// Your reference for the order, echoed in its events where the provider echoes one
    /// (Transak's `partnerOrderId`, Onramper's `partnerContext`, Kryptonim's metadata).
    pub fn reference(mut self, reference: impl Into<String>) -> Self {
        self.reference = Some(reference.into());
        self
    }
}

/// A checkout started: where to send the user, and the provider's id for it where it gives
/// one (Koinal's order, Onramper's session, Kryptonim's session). The URL may hold a
/// one-time token (Onramper's does): it is left out of `Debug`, so never log it.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Started {
    /// Who.
    pub quoter: Quoter,
    /// Onramper's ramp.
    pub ramp: Option<String>,
    /// Where to send the user.
    pub url: Url,
    /// The provider's id for it, where it gives one.
    pub id: Option<String>,
}

impl std::fmt::Debug for Started {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Started")
            .field("quoter", &self.quoter)
            .field("ramp", &self.ramp)
            .field("url", &"[REDACTED]")
            .field("id", &self.id)
            .finish()
    }
}

/// Why a checkout was not started.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CheckoutError {
    /// The wallet address is not one of the offer's network: nothing was sent.
    #[error("the wallet address is not one of {network}: {reason}")]
    Address {
        /// The network.
        network: String,
        /// Why.
        reason: String,
    },
    /// The offer is from a provider these quotes are not configured with.
    #[error("the offer is from a provider these quotes are not configured with: {0}")]
    NotConfigured(Quoter),
    /// The provider refused, or the call failed.
    #[error("{quoter} refused the checkout: {message}")]
    Provider {
        /// Who.
        quoter: Quoter,
        /// Its error.
        message: String,
    },
}

impl Quotes {
    /// Starts the checkout at `offer` (one of this `Quotes`' answers) for the user in
    /// `details`: Kryptonim a widget session for the quoted amounts, Transak a widget URL
    /// with the amount, asset, network and method, Koinal an order on the quote's token,
    /// Onramper a Checkout V2 session at the quoted ramp and method. The wallet is checked
    /// for the offer's network first; a wrong one sends nothing.
    pub async fn checkout(
        &self,
        offer: &Offer,
        details: &CheckoutDetails,
    ) -> Result<Started, CheckoutError> {
        // Koinal's offer says no network: its coin names it (BTC on bitcoin, ETH on ethereum).
        let network = offer
            .network
            .map(|network| network.as_str())
            .or_else(|| {
                super::providers::KOINAL_COINS
                    .iter()
                    .find(|(code, _)| *code == offer.crypto_currency)
                    .map(|(_, network)| *network)
            })
            .ok_or_else(|| CheckoutError::Address {
                network: "(none)".to_owned(),
                reason: "the offer names no network to check the address for".to_owned(),
            })?;
        // Mainnet, and a network this crate knows: a testnet address is refused too.
        let policy = ramp_address::Policy::default().strict(true);
        ramp_address::check(network, &details.wallet_address, policy).map_err(|err| {
            CheckoutError::Address {
                network: network.to_owned(),
                reason: err.to_string(),
            }
        })?;
        let refused = |message: String| CheckoutError::Provider {
            quoter: offer.quoter,
            message,
        };
        match offer.quoter {
            #[cfg(feature = "transak")]
            Quoter::Transak => {
                let client = self
                    .transak_client()
                    .ok_or(CheckoutError::NotConfigured(offer.quoter))?;
                let mut params = ramp_transak::WidgetParams::builder()
                    .products_availed(ramp_transak::Products::Buy)
                    .fiat_currency(&offer.fiat_currency)
                    .fiat_amount(offer.fiat_amount)
                    .crypto_currency_code(&offer.crypto_currency)
                    .wallet_address(&details.wallet_address);
                if let Some(word) = &offer.checkout.network {
                    params = params.network(word);
                }
                if let Some(word) = &offer.checkout.method {
                    params = params.payment_method(word);
                }
                if let Some(reference) = &details.reference {
                    params = params.partner_order_id(reference);
                }
                if let Some(url) = &details.return_url {
                    params = params.redirect_url(url.as_str());
                }
                let params = params.build().map_err(|err| refused(err.to_string()))?;
                let widget = client
                    .create_widget_url(&params, details.user_ip)
                    .await
                    .map_err(|err| refused(err.to_string()))?;
                Ok(Started {
                    quoter: offer.quoter,
                    ramp: None,
                    url: widget.url,
                    id: None,
                })
            }
            #[cfg(feature = "koinal")]
            Quoter::Koinal => {
                let (client, customer) = self
                    .koinal_client()
                    .ok_or(CheckoutError::NotConfigured(offer.quoter))?;
                let token = offer
                    .checkout
                    .token
                    .as_ref()
                    .ok_or_else(|| refused("the offer has no quote token".into()))?;
                let request =
                    ramp_koinal::OrderRequest::builder(token.0.clone(), &details.wallet_address)
                        .cryptocurrency(offer.crypto_currency.clone())
                        .ip_address(details.user_ip)
                        .build()
                        .map_err(|err| refused(err.to_string()))?;
                let order = client
                    .create_order(customer, &request)
                    .await
                    .map_err(|err| refused(err.to_string()))?;
                Ok(Started {
                    quoter: offer.quoter,
                    ramp: None,
                    url: order.checkout_url,
                    id: Some(order.order_id),
                })
            }
            #[cfg(feature = "kryptonim")]
            Quoter::Kryptonim => {
                let client = self
                    .kryptonim_client()
                    .ok_or(CheckoutError::NotConfigured(offer.quoter))?;
                // Its widget names networks by name; only `polygon` is documented.
                if network != "polygon" {
                    return Err(refused(format!(
                        "Kryptonim's widget name for {network} is not known here (polygon is)"
                    )));
                }
                let mut request = ramp_kryptonim::WidgetSessionRequest::builder()
                    .fiat_amount(offer.fiat_amount)
                    .fiat_currency(&offer.fiat_currency)
                    .crypto_currency(&offer.crypto_currency)
                    .network(network)
                    .destination_address(&details.wallet_address)
                    .ip_address(details.user_ip);
                if let Some(word) = &offer.checkout.method {
                    request =
                        request.payment_method(ramp_kryptonim::PaymentMethod::from(word.as_str()));
                }
                if let Some(reference) = &details.reference {
                    request = request.metadata("reference", reference.clone());
                }
                if let Some(url) = &details.return_url {
                    request = request.success_url(url.clone());
                }
                let request = request.build().map_err(|err| refused(err.to_string()))?;
                let session = client
                    .create_widget_session(&request)
                    .await
                    .map_err(|err| refused(err.to_string()))?;
                Ok(Started {
                    quoter: offer.quoter,
                    ramp: None,
                    url: session.widget_url,
                    id: Some(session.session_id),
                })
            }
            #[cfg(feature = "onramper")]
            Quoter::Onramper => {
                let client = self
                    .onramper_client()
                    .ok_or(CheckoutError::NotConfigured(offer.quoter))?;
                // Onramper's checkout carries your reference (`partnerContext`), required.
                let reference = details.reference.clone().ok_or_else(|| {
                    refused(
                        "Onramper's checkout needs your reference (CheckoutDetails::reference)"
                            .into(),
                    )
                })?;
                let ramp = offer
                    .ramp
                    .clone()
                    .ok_or_else(|| refused("the offer names no ramp".into()))?;
                let destination = offer
                    .checkout
                    .destination
                    .clone()
                    .ok_or_else(|| refused("the offer names no destination".into()))?;
                let mut request = ramp_onramper::CheckoutRequest::builder()
                    .onramp(&ramp)
                    .source(offer.fiat_currency.to_ascii_lowercase())
                    .destination(destination)
                    .amount(offer.fiat_amount)
                    .wallet_address(&details.wallet_address);
                if let Some(word) = &offer.checkout.method {
                    request = request.payment_method(word);
                }
                if let Some(word) = &offer.checkout.network {
                    request = request.network(word);
                }
                let request = request
                    .partner_context(reference)
                    .build()
                    .map_err(|err| refused(err.to_string()))?;
                let session = client
                    .checkout(&request, details.user_ip, ramp_onramper::Platform::Web)
                    .await
                    .map_err(|err| refused(err.to_string()))?;
                Ok(Started {
                    quoter: offer.quoter,
                    ramp: Some(ramp),
                    url: session.redirect_url.expose_url().clone(),
                    id: Some(session.session_id),
                })
            }
            #[allow(unreachable_patterns)]
            other => Err(CheckoutError::NotConfigured(other)),
        }
    }
}
