//! The pattern every ramp crate shares: build the client from secrets in the environment,
//! make one call, match on the error.
//!
//! ```text
//! KRYPTONIM_BASE_URL=... KRYPTONIM_API_KEY=... KRYPTONIM_SIGNATURE_SECRET=... \
//!     cargo run -p ramp-kryptonim --example kryptonim_quickstart
//! ```
//!
//! `ramp sandbox` serves a Kryptonim emulator (its test credentials are in
//! `ramp_sandbox::credentials`).

use ramp_kryptonim::{Client, Decimal, Url, WidgetSessionRequest, secret_from_env};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base_url = Url::parse(&std::env::var("KRYPTONIM_BASE_URL")?)?;
    let client = Client::builder(
        base_url,
        secret_from_env("KRYPTONIM_API_KEY")?,
        secret_from_env("KRYPTONIM_SIGNATURE_SECRET")?,
    )
    .build()?;
    let request = WidgetSessionRequest::builder()
        .fiat_amount(Decimal::new(1550, 2))
        .fiat_currency("EUR")
        .crypto_currency("USDC")
        .network("polygon")
        .destination_address("0x977BC1915dA4f7edA9D2e49BC08356db37478538")
        .build()?;
    match client.create_widget_session(&request).await {
        Ok(session) => println!(
            "open {} (session {})",
            session.widget_url, session.session_id
        ),
        Err(err) if err.api().is_some() => eprintln!("Kryptonim refused: {err}"),
        Err(err) if err.is_retryable() => eprintln!("try again later: {err}"),
        Err(err) => return Err(err.into()),
    }
    Ok(())
}
