//! `ramp demo`: every provider's flow through the SDK crates, against an in-process sandbox.

use std::future::Future;
use std::process::ExitCode;

use ramp_core::SecretString;
use ramp_sandbox::{Sandbox, credentials as c};
use url::Url;

/// The demo user's IP: Transak and Onramper take the IP of the user's browser.
const USER_IP: std::net::IpAddr = std::net::IpAddr::V4(std::net::Ipv4Addr::new(203, 0, 113, 9));

pub(crate) type Step = Result<String, Box<dyn std::error::Error>>;

#[path = "demo_events.rs"]
mod events;

/// Runs one step, prints its outcome, and counts failures.
async fn step(failures: &mut u32, name: &str, run: impl Future<Output = Step>) {
    match run.await {
        Ok(summary) => println!("  ok    {name}: {summary}"),
        Err(err) => {
            *failures += 1;
            println!("  FAIL  {name}: {err}");
        }
    }
}

pub(crate) fn secret(value: &str) -> SecretString {
    SecretString::from(value)
}

pub(crate) async fn run() -> ExitCode {
    let sandbox = match Sandbox::start().await {
        Ok(sandbox) => sandbox,
        Err(err) => {
            eprintln!("ramp: could not start the sandbox: {err}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "ramp demo: sandbox on http://{} (test credentials only)\n",
        sandbox.addr()
    );
    let mut failures = 0;
    let orders = events::Orders::default();

    println!("kryptonim");
    step(
        &mut failures,
        "create a signed widget session",
        kryptonim(&sandbox),
    )
    .await;
    println!("proof");
    step(
        &mut failures,
        "create a widget session and its widget config",
        proof(&sandbox, &orders),
    )
    .await;
    println!("transak");
    step(
        &mut failures,
        "create a widget URL (partner token fetched once)",
        transak(&sandbox, &orders),
    )
    .await;
    println!("koinal");
    step(
        &mut failures,
        "quote, order, status and a verified callback",
        koinal(&sandbox, &orders),
    )
    .await;
    println!("onramper");
    step(
        &mut failures,
        "sign a V2 widget URL the sandbox accepts once",
        onramper(&sandbox),
    )
    .await;
    step(
        &mut failures,
        "compare every provider's quote, check out at the best (Checkout V2)",
        onramper_checkout(&sandbox, &orders),
    )
    .await;
    println!("webhooks");
    step(
        &mut failures,
        "follow every order to its end through one webhook endpoint",
        events::follow(&sandbox, &orders),
    )
    .await;

    println!();
    if failures == 0 {
        println!("all 5 providers succeeded");
        ExitCode::SUCCESS
    } else {
        println!("{failures} provider flow(s) failed");
        ExitCode::FAILURE
    }
}

async fn kryptonim(sandbox: &Sandbox) -> Step {
    use ramp_kryptonim::{Client, Decimal, WidgetSessionRequest, sign_body};
    let client = Client::builder(
        Url::parse(&sandbox.kryptonim_url())?,
        secret(c::KRYPTONIM_API_KEY),
        secret(c::KRYPTONIM_SIGNATURE_SECRET),
    )
    .build()?;
    let request = WidgetSessionRequest::builder()
        .fiat_amount(Decimal::new(1550, 2))
        .fiat_currency("EUR")
        .crypto_currency("USDC")
        .network("polygon")
        .destination_address("0x977BC1915dA4f7edA9D2e49BC08356db37478538")
        .build()?;
    let body = request.to_body();
    println!("        body       {}", String::from_utf8_lossy(&body));
    println!(
        "        signature  {}",
        sign_body(&body, &secret(c::KRYPTONIM_SIGNATURE_SECRET))?
    );
    let session = client.create_widget_session(&request).await?;
    Ok(format!(
        "session {} until {} -> {}",
        session.session_id, session.expires_at, session.widget_url
    ))
}

async fn proof(sandbox: &Sandbox, orders: &events::Orders) -> Step {
    use ramp_proof::{Client, Decimal, SessionRequest, TransactionType};
    let client = Client::builder(
        Url::parse(&sandbox.proof_url())?,
        secret(c::PROOF_CLIENT_TOKEN),
    )
    .origin(c::PROOF_ORIGIN)
    .build()?;
    let request = SessionRequest::builder()
        .partner_user_id("user-123")
        .user_email("user@example.com")
        .network("TRC20")
        .currency("USDT")
        .amount("99.50".parse::<Decimal>()?)
        .transaction_type(TransactionType::Buy)
        .client_ip("203.0.113.42".parse()?)
        .build()?;
    let session = client.create_session(&request).await?;
    let config = session.widget_config();
    println!(
        "        proofWidget.run({{ widgetId: {}, amount: {}, fixNetwork: {}, ... }})",
        config["widgetId"], config["amount"], config["fixNetwork"]
    );
    let tx = client.transaction(&session.merchant_transaction_id).await?;
    if let Ok(mut slot) = orders.proof.lock() {
        *slot = Some((client.clone(), session.merchant_transaction_id.clone()));
    }
    Ok(format!(
        "transaction {} is {}",
        session.merchant_transaction_id, tx.status
    ))
}

async fn transak(sandbox: &Sandbox, orders: &events::Orders) -> Step {
    use ramp_transak::{Client, Decimal, Environment, Products, WidgetParams};
    let client = Client::builder(
        Environment::Custom {
            api: Url::parse(&sandbox.transak_api_url())?,
            gateway: Url::parse(&sandbox.transak_gateway_url())?,
        },
        secret(c::TRANSAK_API_KEY),
        secret(c::TRANSAK_API_SECRET),
    )
    .referrer_domain("yourdomain.com")
    .build()?;
    let quote = client
        .price_quote(
            &ramp_transak::PriceQuoteRequest::builder()
                .fiat_currency("EUR")
                .crypto_currency("ETH")
                .network("ethereum")
                .payment_method("credit_debit_card")
                .fiat_amount(Decimal::from(100))
                .build()?,
        )
        .await?;
    println!(
        "        quote      {} {} for {} {} (fee {})",
        quote.crypto_amount,
        quote.crypto_currency,
        quote.fiat_amount,
        quote.fiat_currency,
        quote.total_fee.unwrap_or_default()
    );
    let params = WidgetParams::builder()
        .products_availed(Products::Buy)
        .crypto_currency_code("ETH")
        .fiat_currency("EUR")
        .fiat_amount(Decimal::from(100))
        .build()?;
    let first = client.create_widget_url(&params, USER_IP).await?;
    let second = client.create_widget_url(&params, USER_IP).await?;
    if first.url == second.url {
        return Err("two widget URLs were the same; each must be single-use".into());
    }
    let tokens = sandbox.transak_token_refreshes();
    if tokens != 1 {
        return Err(
            format!("{tokens} access tokens were fetched for two calls; expected 1").into(),
        );
    }
    let summary = format!(
        "{} (single use, 5 minutes; one token for both calls)",
        first.url
    );
    if let Ok(mut slot) = orders.transak.lock() {
        *slot = Some((client, first.url.to_string()));
    }
    Ok(summary)
}

async fn koinal(sandbox: &Sandbox, orders: &events::Orders) -> Step {
    use ramp_koinal::{Client, Decimal, QuoteRequest, Verify as _, WebhookVerifier, webhook};
    let client = Client::builder(
        Url::parse(&sandbox.koinal_url())?,
        c::KOINAL_MERCHANT_CODE,
        secret(c::KOINAL_SECRET),
    )
    .build()?;
    let request = QuoteRequest::builder()
        .cryptocurrency("BTC")
        .currency("USD")
        .currency_amount(Decimal::from(1000))
        .build()?;
    let quote = client.quote("User1", &request).await?;
    println!(
        "        quote      {} {} for {} {}",
        quote.cryptocurrency_amount, quote.cryptocurrency, quote.currency_amount, quote.currency
    );
    let order = client
        .create_order(
            "User1",
            &quote
                .order("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq")
                .build()?,
        )
        .await?;
    let status = client.order_status("User1", &order.order_id).await?;
    if let Ok(mut slot) = orders.koinal.lock() {
        *slot = Some(order.order_id.clone());
    }
    println!(
        "        order      {} is {} -> {}",
        order.order_id, status.status, order.checkout_url
    );
    let (body, signature) = sandbox
        .koinal_callback(&order.order_id)
        .ok_or("the sandbox does not know the order")?;
    let verifier = WebhookVerifier::new(
        secret(c::KOINAL_CALLBACK_SECRET),
        ramp_koinal::CallbackScheme::HmacBodyPlusSecret,
    )?;
    let headers = ramp_core::webhook::header_map(webhook::SIGNATURE_HEADER, &signature)
        .ok_or("the sandbox's signature is not a header value")?;
    let callback = verifier.verify(&body, &headers)?;
    Ok(format!(
        "callback verified: order {} {} ({} {})",
        callback.order_id, callback.status, callback.crypto_amount, callback.cryptocurrency_code
    ))
}

async fn onramper(sandbox: &Sandbox) -> Step {
    // Signature V2 (Ed25519), as every new integration signs: the sandbox holds the public
    // key of this test key pair.
    let key = ramp_onramper_sign::v2::SigningKey::from_pkcs8_pem(c::ONRAMPER_V2_PRIVATE_KEY_PEM)?;
    let url =
        ramp_onramper_sign::WidgetUrlBuilder::new(&sandbox.onramper_url(), c::ONRAMPER_API_KEY)
            .param("defaultFiat", "EUR")
            .wallet("eth", "0x71C7656EC7ab88b098defB751B7401B5f6d8976F")
            .network_wallet("ethereum", "0x71C7656EC7ab88b098defB751B7401B5f6d8976F")
            .end_user_ip(USER_IP)
            .sign_v2(&key)?;
    println!(
        "        public key {} (registered with the sandbox)",
        key.public_key()
    );
    let response = ramp_core::http::reqwest::get(url.as_str()).await?;
    let status = response.status();
    let text = response.text().await?;
    if !status.is_success() {
        return Err(format!("the sandbox refused the V2 URL: {text}").into());
    }
    // The same URL again: a V2 signature is single use.
    let replay = ramp_core::http::reqwest::get(url.as_str()).await?;
    if replay.status().is_success() {
        return Err("the sandbox accepted a replayed V2 URL".into());
    }
    Ok(format!("{url} accepted (V2), its replay refused"))
}

async fn onramper_checkout(sandbox: &Sandbox, orders: &events::Orders) -> Step {
    use ramp::quote::{CheckoutDetails, Comparable, QuoteRequest, Quotes};
    let url = |text: String| Url::parse(&text);
    let onramper = ramp::onramper::Client::builder(
        ramp::onramper::Environment::Custom(url(sandbox.onramper_api_url())?),
        secret(c::ONRAMPER_API_KEY),
    )
    .signing_key(ramp::onramper_sign::SigningKey::from_pkcs8_pem(
        c::ONRAMPER_V2_PRIVATE_KEY_PEM,
    )?)
    .build()?;
    let transak = ramp::transak::Client::builder(
        ramp::transak::Environment::Custom {
            api: url(sandbox.transak_api_url())?,
            gateway: url(sandbox.transak_gateway_url())?,
        },
        secret(c::TRANSAK_API_KEY),
        secret(c::TRANSAK_API_SECRET),
    )
    .referrer_domain("demo.example")
    .build()?;
    let kryptonim = ramp::kryptonim::Client::builder(
        url(sandbox.kryptonim_url())?,
        secret(c::KRYPTONIM_API_KEY),
        secret(c::KRYPTONIM_SIGNATURE_SECRET),
    )
    .build()?;
    let koinal = ramp::koinal::Client::builder(
        url(sandbox.koinal_url())?,
        c::KOINAL_MERCHANT_CODE,
        secret(c::KOINAL_SECRET),
    )
    .build()?;
    let quotes = Quotes::new()
        .onramper(onramper)
        .transak(transak)
        .kryptonim(kryptonim)
        .koinal(koinal, "User1");
    let request = QuoteRequest::new("EUR", ramp::Decimal::from(100), "ETH", "ethereum")?;
    let comparison = quotes.quote(&request).await;
    for (offer, comparable) in &comparison.offers {
        let who = match &offer.ramp {
            Some(ramp) => format!("{}/{ramp}", offer.quoter),
            None => offer.quoter.to_string(),
        };
        let note = match comparable {
            Comparable::No(why) => format!("  (not compared: {why})"),
            _ => String::new(),
        };
        println!(
            "        offer      {who:<20} {} {} for {} {}{note}",
            offer.crypto_amount, offer.crypto_currency, offer.fiat_amount, offer.fiat_currency
        );
    }
    for failure in &comparison.failures {
        println!(
            "        no offer   {}{}: {}",
            failure.quoter,
            failure
                .ramp
                .as_deref()
                .map(|ramp| format!("/{ramp}"))
                .unwrap_or_default(),
            failure.refusal
        );
    }
    let best = comparison.best().ok_or("no comparable offer")?;
    // The demo follows an Onramper session through its webhooks; the sandbox's best offer is
    // an Onramper ramp's. Checked before anything is started elsewhere.
    if best.quoter != ramp::quote::Quoter::Onramper {
        return Err(format!(
            "the best offer was {}'s; the demo follows Onramper's",
            best.quoter
        )
        .into());
    }
    let details = CheckoutDetails::new("0x71C7656EC7ab88b098defB751B7401B5f6d8976F", USER_IP)
        .reference("demo-order-1");
    let started = quotes.checkout(best, &details).await?;
    let id = started
        .id
        .clone()
        .ok_or("the checkout gave no id to follow")?;
    if let Ok(mut slot) = orders.onramper.lock() {
        *slot = Some(id.clone());
    }
    // The redirect URL holds a one-time token: the demo names the session, not the URL.
    Ok(format!(
        "best: {}/{} ({} {}); checked out: session {id} (redirect URL kept secret)",
        started.quoter,
        started.ramp.as_deref().unwrap_or("-"),
        best.crypto_amount,
        best.crypto_currency
    ))
}
