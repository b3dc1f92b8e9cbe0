//! Quotes, then a Checkout V2 session, against the local sandbox (started in-process with its
//! public test credentials), or against Onramper's staging API with `ONRAMPER_API_KEY` and
//! `ONRAMPER_SIGNING_KEY_PEM` set.
//!
//! ```text
//! cargo run -p ramp-onramper --example onramper_checkout
//! ```

use std::net::IpAddr;

use ramp_onramper::{
    CheckoutRequest, Client, Decimal, Environment, Platform, QuoteRequest, SecretString,
    SigningKey, Url, secret_from_env,
};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let staging = (
        secret_from_env("ONRAMPER_API_KEY"),
        SigningKey::from_env("ONRAMPER_SIGNING_KEY_PEM"),
    );
    // Keeps the sandbox running while the example talks to it.
    let mut _sandbox = None;
    let client = match staging {
        (Ok(api_key), Ok(key)) => Client::builder(Environment::Staging, api_key).signing_key(key),
        _ => {
            use ramp_sandbox::credentials as c;
            let sandbox = ramp_sandbox::Sandbox::start().await?;
            println!(
                "(ONRAMPER_API_KEY and ONRAMPER_SIGNING_KEY_PEM not set: using the local sandbox)"
            );
            let client = Client::builder(
                Environment::Custom(Url::parse(&sandbox.onramper_api_url())?),
                SecretString::from(c::ONRAMPER_API_KEY),
            )
            .signing_key(SigningKey::from_pkcs8_pem(c::ONRAMPER_V2_PRIVATE_KEY_PEM)?);
            _sandbox = Some(sandbox);
            client
        }
    }
    .build()?;

    let quotes = client
        .quotes(
            &QuoteRequest::builder()
                .source("eur")
                .destination("eth")
                .amount(Decimal::from(100))
                .platform(Platform::Web)
                .build()?,
        )
        .await?;
    for quote in &quotes {
        match quote.payout {
            Some(payout) => println!("{}: {payout} eth for 100 eur", quote.ramp),
            None => println!("{}: no quote ({} errors)", quote.ramp, quote.errors.len()),
        }
    }
    let best = quotes
        .iter()
        .filter(|quote| quote.payout.is_some())
        .max_by_key(|quote| quote.payout)
        .ok_or("no onramp quoted")?;

    // The IP of the user's browser, as your backend sees it (a documentation address here).
    let user_ip = IpAddr::from([203, 0, 113, 9]);
    let session = client
        .checkout(
            &CheckoutRequest::builder()
                .onramp(&best.ramp)
                .source("eur")
                .destination("eth")
                .amount(Decimal::from(100))
                .payment_method("creditcard")
                .network("ethereum")
                .wallet_address("0x977BC1915dA4f7edA9D2e49BC08356db37478538")
                .partner_context("example-order-1")
                .build()?,
            user_ip,
            Platform::Web,
        )
        .await?;
    // `session` prints its redirect URL as [REDACTED]: send the URL to the user's browser.
    println!("{session:?}");
    Ok(())
}
