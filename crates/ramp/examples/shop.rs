//! A shop on `ramp`: Koinal, Onramper and Transak on one Redis, a ledger that credits
//! completed orders, and the tracker for pushes that never come. Its tests are
//! `tests/shop.rs`. Run it with the providers' credentials in the environment:
//!
//! ```text
//! cargo run -p ramp --example shop --features koinal,onramper,transak,redis,axum,track
//! ```

use std::time::Duration;

use ramp::koinal::CallbackScheme;
use ramp::transak::{Environment, redis_store::RedisTokenStore};
use ramp::{HandlerError, OrderEvent, OrderStatus, Ramp, RedisStore, secret_from_env as env};

/// The shop's own ledger (a table in a real shop).
pub mod ledger {
    /// Orders credited, with the amount.
    pub static CREDITED: std::sync::Mutex<Vec<(String, String)>> =
        std::sync::Mutex::new(Vec::new());
}

/// Credits a completed order to the ledger, once: `ramp` calls it once per event.
pub async fn credit(event: OrderEvent) -> Result<(), HandlerError> {
    if event.status != OrderStatus::Completed {
        return Ok(());
    }
    let (Some(order), Some(crypto)) = (event.partner_reference, event.crypto) else {
        return Err(HandlerError::give_up(
            "a completed order without our reference or amount",
        ));
    };
    let amount = format!("{} {}", crypto.amount, crypto.currency);
    ledger::CREDITED
        .lock()
        .map_err(|_| HandlerError::retry("ledger poisoned"))?
        .push((order, amount));
    Ok(())
}

#[allow(dead_code)] // the tests include this file for `credit`
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let redis = "redis://127.0.0.1:6379";
    let var = |name| std::env::var(name);
    let (koinal_url, merchant) = (
        var("KOINAL_BASE_URL")?.parse()?,
        var("KOINAL_MERCHANT")?.parse()?,
    );
    let koinal_api =
        ramp::koinal::Client::builder(koinal_url, merchant, env("KOINAL_SECRET")?).build()?;
    let koinal = ramp::koinal::WebhookVerifier::new(
        env("KOINAL_CALLBACK_SECRET")?,
        CallbackScheme::default(),
    )?;
    let onramper = ramp::onramper_sign::WebhookVerifier::new(env("ONRAMPER_WEBHOOK_SECRET")?)?;
    let (key, secret) = (env("TRANSAK_API_KEY")?, env("TRANSAK_API_SECRET")?);
    let tokens = RedisTokenStore::builder(redis).build(&Environment::Production, &key)?;
    let transak = ramp::transak::Client::builder(Environment::Production, key, secret)
        .token_store(tokens)
        .build()?;

    let store = RedisStore::connect(redis, Duration::from_secs(5)).await?;
    let ramp = Ramp::builder(store, credit)
        .koinal(koinal, koinal_api)
        .onramper(onramper)
        .transak(transak)
        .start();
    let app = axum::Router::new().nest("/webhooks", ramp.router());
    let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            tokio::signal::ctrl_c().await.ok();
        })
        .await?;
    ramp.shutdown().await;
    Ok(())
}
