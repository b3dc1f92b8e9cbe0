//! Builds the seed's session request, parses the seed's response and prints the object for
//! `proofWidget.run(...)`. With `PROOF_BASE_URL` and `PROOF_CLIENT_TOKEN` (and optionally
//! `PROOF_ORIGIN`) set, it creates a real session.
//!
//! ```text
//! cargo run -p ramp-proof --example session
//! ```

use ramp_proof::{
    Client, Decimal, SessionRequest, TransactionType, Url, WidgetSession, secret_from_env,
};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let request = SessionRequest::builder()
        .partner_user_id("user-123")
        .user_email("user@example.com")
        .network("TRC20")
        .currency("USDT")
        .amount(Decimal::from(100))
        .transaction_type(TransactionType::Buy)
        .client_ip("203.0.113.42".parse()?)
        .build()?;
    println!(
        "request body: {}",
        String::from_utf8_lossy(&request.to_body())
    );

    let seed_response = r#"{"merchant_transaction_id":"550e8400-e29b-41d4-a716-446655440000","widget_id":"fb359d09-fff6-4b1f-906c-b9062b135065","address":"TRx1a2b3c4d5e6f...","signature":"v2:a1b2c3d4e5f6...","init_token":"eyJhbGciOi...","init_token_type":"sdk_partner_authorization","currency":"USDT","currencies":["USDT"],"fix_currency":true,"network":"TRC20","networks":["TRC20","ERC20"],"fix_network":["TRC20"],"amount":"100","fix_amount":true,"fiat_currency":"EUR","fiat_currencies":["EUR","USD"],"fix_fiat_currency":false,"fix_fiat_amount":true,"type":"buy","lang":"en","theme":"light","redirect_url":"https://app.example.com/done"}"#;
    let session: WidgetSession = serde_json::from_str(seed_response)?;
    println!(
        "proofWidget.run({})",
        serde_json::to_string_pretty(&session.widget_config())?
    );

    let (Ok(base_url), Ok(token)) = (
        std::env::var("PROOF_BASE_URL"),
        secret_from_env("PROOF_CLIENT_TOKEN"),
    ) else {
        println!("(set PROOF_BASE_URL and PROOF_CLIENT_TOKEN to create a session)");
        return Ok(());
    };
    let mut builder = Client::builder(Url::parse(&base_url)?, token);
    if let Ok(origin) = std::env::var("PROOF_ORIGIN") {
        builder = builder.origin(origin);
    }
    let session = builder.build()?.create_session(&request).await?;
    println!("session {}", session.merchant_transaction_id);
    Ok(())
}
