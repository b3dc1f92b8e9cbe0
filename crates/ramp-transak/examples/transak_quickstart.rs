//! The pattern every ramp crate shares: build the client from secrets in the environment,
//! make one call, match on the error.
//!
//! ```text
//! TRANSAK_API_KEY=... TRANSAK_API_SECRET=... cargo run -p ramp-transak --example transak_quickstart
//! ```

use ramp_transak::{Client, Decimal, Environment, PriceQuoteRequest, secret_from_env};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder(
        Environment::Staging,
        secret_from_env("TRANSAK_API_KEY")?,
        secret_from_env("TRANSAK_API_SECRET")?,
    )
    .referrer_domain("yourdomain.com")
    .build()?;
    let request = PriceQuoteRequest::builder()
        .fiat_currency("EUR")
        .crypto_currency("ETH")
        .network("ethereum")
        .payment_method("credit_debit_card")
        .fiat_amount(Decimal::from(100))
        .build()?;
    match client.price_quote(&request).await {
        Ok(quote) => println!(
            "{} {} for {} {}",
            quote.crypto_amount, quote.crypto_currency, quote.fiat_amount, quote.fiat_currency
        ),
        Err(err) if err.api().is_some() => eprintln!("Transak refused: {err}"),
        Err(err) if err.is_retryable() => eprintln!("try again later: {err}"),
        Err(err) => return Err(err.into()),
    }
    Ok(())
}
