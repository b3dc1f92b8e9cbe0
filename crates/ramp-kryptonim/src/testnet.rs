//! The testnet's documented limits, checked before sending when the client is in testnet mode.
//!
//! Kryptonim: "The testnet environment currently supports only USDC, USDT, MATIC on Polygon
//! network", with `polygon` or `80002` (Polygon Amoy) as the chain, and only `card` and
//! `bank_transfer` as payment methods. Symbols and chain names are compared without regard to
//! case.

use crate::{ChainId, Error, ErrorKind, PaymentMethod, QuoteRequest, WidgetSessionRequest};

const TOKENS: [&str; 3] = ["USDC", "USDT", "MATIC"];
const TOKENS_TEXT: &str = "USDC, USDT and MATIC";
const NETWORKS: [&str; 2] = ["polygon", "80002"];
const NETWORKS_TEXT: &str = "polygon and 80002 (Polygon Amoy)";
const AMOY_CHAIN_ID: u64 = 80002;
const METHODS_TEXT: &str = "card and bank_transfer";

fn one_of(allowed: &[&str], value: &str) -> bool {
    allowed.iter().any(|a| a.eq_ignore_ascii_case(value))
}

fn limit(field: &'static str, value: &str, allowed: &'static str) -> Error {
    Error::from(ErrorKind::TestnetLimit {
        field,
        value: value.to_owned(),
        allowed,
    })
}

fn check_token(field: &'static str, token: &str) -> Result<(), Error> {
    if one_of(&TOKENS, token) {
        Ok(())
    } else {
        Err(limit(field, token, TOKENS_TEXT))
    }
}

fn check_method(method: Option<&PaymentMethod>) -> Result<(), Error> {
    match method {
        Some(method) if !method.on_testnet() => {
            Err(limit("paymentMethod", method.as_str(), METHODS_TEXT))
        }
        _ => Ok(()),
    }
}

pub(crate) fn check_widget_session(request: &WidgetSessionRequest) -> Result<(), Error> {
    check_token("cryptoCurrency", request.crypto_currency())?;
    if !one_of(&NETWORKS, request.network()) {
        return Err(limit("network", request.network(), NETWORKS_TEXT));
    }
    check_method(request.payment_method())
}

pub(crate) fn check_quote(request: &QuoteRequest) -> Result<(), Error> {
    check_token("tokenAddress", request.token())?;
    let on_testnet = match request.chain() {
        ChainId::Name(name) => one_of(&NETWORKS, name),
        ChainId::Id(id) => *id == AMOY_CHAIN_ID,
    };
    if !on_testnet {
        return Err(limit(
            "chainId",
            &request.chain().to_string(),
            NETWORKS_TEXT,
        ));
    }
    check_method(request.payment_method())
}
