//! Builds the seed's widget-session request, prints the exact body and its signature, and
//! reads a redirect. With `KRYPTONIM_BASE_URL`, `KRYPTONIM_API_KEY` and
//! `KRYPTONIM_SIGNATURE_SECRET` set, it also creates the session.
//!
//! ```text
//! cargo run -p ramp-kryptonim --example widget_session
//! ```

use ramp_kryptonim::{
    Client, Decimal, PaymentMethod, Redirect, SecretString, Url, WidgetSessionRequest,
    WidgetSessionRequestBuilder, sign_body,
};

/// The documentation's five-field example.
fn seed_request() -> WidgetSessionRequestBuilder {
    WidgetSessionRequest::builder()
        .fiat_amount(Decimal::from(15))
        .fiat_currency("EUR")
        .crypto_currency("USDC")
        .network("polygon")
        .destination_address("0x977BC1915dA4f7edA9D2e49BC08356db37478538")
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let request = seed_request().build()?;
    let body = request.to_body();
    let demo_secret = SecretString::from("your_signature_secret");
    println!("body:      {}", String::from_utf8_lossy(&body));
    println!("signature: {}", sign_body(&body, &demo_secret)?);

    let landed = Url::parse(
        "https://yoursite.com/success?sessionId=7c303babX3jp7c4942904a262a0c1b94&status=completed",
    )?;
    let redirect = Redirect::from_url(&landed)?;
    println!(
        "redirect:  session {} is {}",
        redirect.session_id, redirect.status
    );

    let (Ok(base_url), Ok(api_key), Ok(secret)) = (
        std::env::var("KRYPTONIM_BASE_URL"),
        ramp_kryptonim::secret_from_env("KRYPTONIM_API_KEY"),
        ramp_kryptonim::secret_from_env("KRYPTONIM_SIGNATURE_SECRET"),
    ) else {
        println!(
            "(set KRYPTONIM_BASE_URL, KRYPTONIM_API_KEY and KRYPTONIM_SIGNATURE_SECRET to create a session)"
        );
        return Ok(());
    };
    let client = Client::builder(Url::parse(&base_url)?, api_key, secret)
        .testnet(true)
        .build()?;
    let request = seed_request().payment_method(PaymentMethod::Card).build()?;
    let session = client.create_widget_session(&request).await?;
    println!(
        "session {} until {}: {}",
        session.session_id, session.expires_at, session.widget_url
    );
    Ok(())
}
