//! The demo's last step: every order it made, followed to a final status through one
//! webhook endpoint (`ramp::endpoint`), with the sandbox delivering the providers' webhooks
//! to an in-process listener, and a tracker (`ramp::track`) reading the status whose push
//! the sandbox withholds.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use ramp::endpoint::Endpoint;
use ramp::store::DedupStore;
use ramp::track::{MemoryBook, Schedule, Tracker};
use ramp::{MemoryStore, OrderEvent, Provider};
use ramp_sandbox::{Sandbox, Trigger, credentials as c};

use super::{Step, secret};

/// What the provider steps made, for the webhook step to follow.
#[derive(Default)]
pub(crate) struct Orders {
    pub(crate) proof: Mutex<Option<(ramp_proof::Client, String)>>,
    pub(crate) transak: Mutex<Option<(ramp_transak::Client, String)>>,
    pub(crate) koinal: Mutex<Option<String>>,
    pub(crate) onramper: Mutex<Option<String>>,
}

fn taken<T>(slot: &Mutex<Option<T>>, what: &str) -> Result<T, String> {
    slot.lock()
        .ok()
        .and_then(|mut slot| slot.take())
        .ok_or_else(|| format!("the {what} step made no order to follow"))
}

pub(crate) async fn follow(sandbox: &Sandbox, orders: &Orders) -> Step {
    let (proof, proof_tx) = taken(&orders.proof, "proof")?;
    let (transak, widget_url) = taken(&orders.transak, "transak")?;
    let koinal_order = taken(&orders.koinal, "koinal")?;
    let onramper_session = taken(&orders.onramper, "onramper")?;

    let seen: Arc<Mutex<Vec<OrderEvent>>> = Arc::default();
    let handler_seen = Arc::clone(&seen);
    let handler = move |event: OrderEvent| {
        let seen = Arc::clone(&handler_seen);
        async move {
            println!(
                "        event      {} {} is {} ({})",
                event.provider, event.order_id, event.status, event.provider_status
            );
            seen.lock()
                .map_err(|_| ramp::HandlerError::retry("the event list was poisoned"))?
                .push(event);
            Ok::<(), ramp::HandlerError>(())
        }
    };
    // One store and one handler for the pushes and the tracker's reads: each event once.
    let store: Arc<dyn DedupStore> = Arc::new(MemoryStore::default());
    let schedule = Schedule {
        first: Duration::from_millis(50),
        max: Duration::from_millis(200),
    };
    let tracker = Arc::new(
        Tracker::new(
            Arc::new(MemoryBook::new()),
            Arc::clone(&store),
            handler.clone(),
        )
        .proof(proof.clone())
        .schedule(schedule),
    );
    let router = Endpoint::new(store, handler)
        .koinal(ramp_koinal::WebhookVerifier::new(
            secret(c::KOINAL_CALLBACK_SECRET),
            ramp_koinal::CallbackScheme::HmacBodyPlusSecret,
        )?)
        .onramper(ramp_onramper_sign::WebhookVerifier::new(secret(
            c::ONRAMPER_WEBHOOK_SECRET,
        ))?)
        // The widget client itself verifies: it knows the token the sandbox signs with.
        .transak(transak)
        .proof(proof)
        .tracker(Arc::clone(&tracker))
        .router();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let server = tokio::spawn(async move { axum::serve(listener, router).await });

    // Loading the Transak widget URL is what makes its order in the sandbox.
    let loaded: serde_json::Value = serde_json::from_slice(
        &ramp_core::http::reqwest::get(&widget_url)
            .await?
            .bytes()
            .await?,
    )?;
    let transak_order = loaded["orderId"]
        .as_str()
        .ok_or("the Transak widget made no order")?
        .to_owned();
    let deliveries = [
        (
            Trigger::ProofWebhook {
                merchant_transaction_id: proof_tx.clone(),
            },
            "proof",
        ),
        (
            Trigger::TransakWebhook {
                order_id: transak_order,
                event: "ORDER_COMPLETED".into(),
            },
            "transak",
        ),
        (
            Trigger::KoinalCallback {
                order_id: koinal_order,
            },
            "koinal",
        ),
        (
            Trigger::OnramperWebhook {
                transaction_id: onramper_session,
                status: "completed".into(),
            },
            "onramper",
        ),
    ];
    for (trigger, route) in deliveries {
        let delivery = sandbox.trigger(trigger, &format!("{base}/{route}")).await?;
        if delivery.status != 200 {
            return Err(format!("the {route} delivery was answered {}", delivery.status).into());
        }
    }
    // Proof's transaction completes, and its push never comes: the tracker, which the
    // endpoint gave the order to, reads it.
    sandbox.withhold(Trigger::ProofWebhook {
        merchant_transaction_id: proof_tx.clone(),
    })?;
    println!("        withheld   proof {proof_tx} completed, never pushed: the tracker reads it");
    tokio::time::timeout(Duration::from_secs(10), async {
        while tracker.open_orders().await? > 0 {
            tracker.tick().await?;
            tokio::time::sleep(schedule.first).await;
        }
        Ok::<(), ramp::StoreError>(())
    })
    .await
    .map_err(|_| "the tracker did not read Proof's order to its end within 10 s")??;
    server.abort();

    let events = seen
        .lock()
        .map_err(|_| "the event list was poisoned")?
        .clone();
    let mut keys: Vec<String> = events.iter().map(OrderEvent::dedup_key).collect();
    keys.sort();
    keys.dedup();
    if keys.len() != events.len() {
        return Err("an event was handled twice".into());
    }
    for provider in [
        Provider::Proof,
        Provider::Transak,
        Provider::Koinal,
        Provider::Onramper,
    ] {
        let last = events.iter().rev().find(|event| event.provider == provider);
        if !last.is_some_and(OrderEvent::is_terminal) {
            return Err(format!("{provider}'s order did not reach a final status").into());
        }
    }
    Ok(format!(
        "{} events, each handled once; every order at a final status (one read by the \
         tracker: its push never came)",
        events.len()
    ))
}
