//! Reproduces the documentation's authorization hash, signs and verifies a callback, and,
//! with `KOINAL_BASE_URL`, `KOINAL_MERCHANT_CODE` and `KOINAL_SECRET` set, gets a quote.
//!
//! ```text
//! cargo run -p ramp-koinal --example checkout
//! ```

use ramp_core::webhook::{Verify, header_map};
use ramp_koinal::{
    AuthHash, CallbackScheme, Client, Decimal, QuoteRequest, SecretString, Url, WebhookVerifier,
    secret_from_env,
};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The documentation's worked example.
    let demo_secret = SecretString::from("11qq22ww");
    let hash = AuthHash::new(1000, "User1", "1000", &demo_secret)?;
    println!("hash json:   {}", hash.to_json());
    println!("Hash header: {}", hash.to_header_value());

    // A callback as Koinal would send it, verified over the raw bytes.
    let body = br#"{"order_id":12,"status":"COMPLETED","customer_reference":"User1","crypto_amount":0.10034116,"cryptocurrency_code":"BTC","address":"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq","blockchain_tx_id":null}"#;
    // Koinal's signature under the default reading: HMAC-SHA256(secret, body + secret), hex.
    let signature = ramp_core::hmac_sha256_hex(b"11qq22ww", &[&body[..], b"11qq22ww"].concat());
    let headers = header_map("Signature", &signature).ok_or("invalid header")?;
    let verifier = WebhookVerifier::new(demo_secret.clone(), CallbackScheme::default())?;
    let received = verifier.verify(body, &headers)?;
    println!(
        "callback:    order {} {} ({} {} to {})",
        received.order_id,
        received.status,
        received.crypto_amount,
        received.cryptocurrency_code,
        received.address
    );

    let (Ok(base_url), Ok(merchant_code), Ok(secret)) = (
        std::env::var("KOINAL_BASE_URL"),
        std::env::var("KOINAL_MERCHANT_CODE"),
        secret_from_env("KOINAL_SECRET"),
    ) else {
        println!("(set KOINAL_BASE_URL, KOINAL_MERCHANT_CODE and KOINAL_SECRET to get a quote)");
        return Ok(());
    };
    let client = Client::builder(Url::parse(&base_url)?, merchant_code.parse()?, secret).build()?;
    let request = QuoteRequest::builder()
        .cryptocurrency("BTC")
        .currency("USD")
        .currency_amount(Decimal::from(100))
        .build()?;
    let quote = client.quote("demo-user", &request).await?;
    println!(
        "quote:       {} {} for {} {}",
        quote.cryptocurrency_amount, quote.cryptocurrency, quote.currency_amount, quote.currency
    );
    Ok(())
}
