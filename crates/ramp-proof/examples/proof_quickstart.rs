//! The pattern every ramp crate shares: build the client from secrets in the environment,
//! make one call, match on the error.
//!
//! ```text
//! PROOF_BASE_URL=... PROOF_CLIENT_TOKEN=... PROOF_ORIGIN=https://app.example.com \
//!     cargo run -p ramp-proof --example proof_quickstart
//! ```

use ramp_proof::{Client, Decimal, SessionRequest, Url, secret_from_env};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base_url = Url::parse(&std::env::var("PROOF_BASE_URL")?)?;
    let client = Client::builder(base_url, secret_from_env("PROOF_CLIENT_TOKEN")?)
        .origin(std::env::var("PROOF_ORIGIN")?)
        .build()?;
    let request = SessionRequest::builder()
        .partner_user_id("user-123")
        .user_email("user@example.com")
        .network("TRC20")
        .currency("USDT")
        .amount(Decimal::new(9950, 2))
        .build()?;
    match client.create_session(&request).await {
        Ok(session) => println!("transaction {}", session.merchant_transaction_id),
        Err(err) if err.api().is_some() => eprintln!("Proof refused: {err}"),
        Err(err) if err.is_retryable() => eprintln!("try again later: {err}"),
        Err(err) => return Err(err.into()),
    }
    Ok(())
}
