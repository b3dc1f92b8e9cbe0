//! Signs and verifies a test webhook offline, and with `TRANSAK_API_KEY`, `TRANSAK_API_SECRET`
//! and `TRANSAK_REFERRER_DOMAIN` set, creates a staging widget URL (one token request).
//!
//! ```text
//! cargo run -p ramp-transak --example widget_url
//! ```

use ramp_transak::{
    Client, Decimal, Environment, Products, SecretString, Verify as _, WebhookVerifier,
    WidgetParams, secret_from_env, webhook,
};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let token = SecretString::from("demo-partner-access-token");
    // A delivery as Transak would post it (the crate's test helper, feature `test-util`).
    let delivery = webhook::test_util::signed_webhook(
        &serde_json::json!({
            "eventID": "ORDER_COMPLETED",
            "webhookData": {"id": "ord_1", "status": "COMPLETED", "cryptoAmount": "0.05", "cryptoCurrency": "ETH"}
        }),
        &token,
    );
    let event = WebhookVerifier::new(token)?.verify(&delivery.body, &delivery.headers)?;
    println!(
        "webhook: {} for order {} ({} {})",
        event.event,
        event.order.id,
        event.order.crypto_amount.unwrap_or_default(),
        event.order.crypto_currency.as_deref().unwrap_or("?")
    );

    let (Ok(key), Ok(secret), Ok(domain)) = (
        secret_from_env("TRANSAK_API_KEY"),
        secret_from_env("TRANSAK_API_SECRET"),
        std::env::var("TRANSAK_REFERRER_DOMAIN"),
    ) else {
        println!(
            "(set TRANSAK_API_KEY, TRANSAK_API_SECRET and TRANSAK_REFERRER_DOMAIN to create a staging widget URL)"
        );
        return Ok(());
    };
    let client = Client::builder(Environment::Staging, key, secret)
        .referrer_domain(domain)
        .build()?;
    let widget = client
        .create_widget_url(
            &WidgetParams::builder()
                .products_availed(Products::Buy)
                .crypto_currency_code("ETH")
                .fiat_currency("EUR")
                .fiat_amount(Decimal::from(100))
                .build()?,
            // The IP of the user's browser, as your backend sees it (a documentation address
            // here: Transak opens the widget only for the IP it was created for).
            std::net::IpAddr::from([203, 0, 113, 9]),
        )
        .await?;
    println!("widget (single use, 5 minutes): {}", widget.url);
    Ok(())
}
