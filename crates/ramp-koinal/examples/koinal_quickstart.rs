//! The pattern every ramp crate shares: build the client from secrets in the environment,
//! make one call, match on the error.
//!
//! ```text
//! KOINAL_BASE_URL=... KOINAL_MERCHANT_CODE=1000 KOINAL_SECRET=... \
//!     cargo run -p ramp-koinal --example koinal_quickstart
//! ```

use ramp_koinal::{Client, Decimal, QuoteRequest, Url, secret_from_env};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base_url = Url::parse(&std::env::var("KOINAL_BASE_URL")?)?;
    let merchant_code: u64 = std::env::var("KOINAL_MERCHANT_CODE")?.parse()?;
    let client =
        Client::builder(base_url, merchant_code, secret_from_env("KOINAL_SECRET")?).build()?;
    let request = QuoteRequest::builder()
        .cryptocurrency("BTC")
        .currency("USD")
        .currency_amount(Decimal::from(1000))
        .build()?;
    match client.quote("User1", &request).await {
        Ok(quote) => println!(
            "{} {} for {} {}",
            quote.cryptocurrency_amount,
            quote.cryptocurrency,
            quote.currency_amount,
            quote.currency
        ),
        Err(err) if err.api().is_some() => eprintln!("Koinal refused: {err}"),
        Err(err) if err.is_retryable() => eprintln!("try again later: {err}"),
        Err(err) => return Err(err.into()),
    }
    Ok(())
}
