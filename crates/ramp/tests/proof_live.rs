//! The tracker poked by Proof's live updates, against the sandbox (its WebSocket pushes each
//! change as it advances a transaction): with an hour between scheduled reads, only the
//! updates can bring each status in time; the webhook is withheld throughout.

use std::sync::Arc;
use std::time::Duration;

use ramp::track::{MemoryBook, Schedule, Tracker};
use ramp::{MemoryStore, OrderStatus};
use ramp_core::SecretString;
use ramp_core::http::Url;
use ramp_sandbox::{Sandbox, Trigger, credentials as c};
use support::Recorder;

mod support;

/// A Proof client on the sandbox, and a new transaction of `user`'s.
async fn transaction(sandbox: &Sandbox, user: &str) -> (ramp::proof::Client, String) {
    let client = ramp::proof::Client::builder(
        Url::parse(&sandbox.proof_url()).unwrap(),
        SecretString::from(c::PROOF_CLIENT_TOKEN),
    )
    .origin(c::PROOF_ORIGIN)
    .build()
    .unwrap();
    let request = ramp::proof::SessionRequest::builder()
        .partner_user_id(user)
        .user_email("user@example.com")
        .network("TRC20")
        .currency("USDT")
        .amount("99.50".parse().unwrap())
        .transaction_type(ramp::proof::TransactionType::Buy)
        .client_ip("203.0.113.42".parse().unwrap())
        .build()
        .unwrap();
    let tx = client
        .create_session(&request)
        .await
        .unwrap()
        .merchant_transaction_id;
    (client, tx)
}

#[tokio::test]
async fn each_live_update_makes_the_tracker_read_at_once_to_the_end() {
    let sandbox = Sandbox::start().await.unwrap();
    let (client, tx) = transaction(&sandbox, "user-1").await;

    let seen = Recorder::default();
    let tracker = Arc::new(
        Tracker::new(
            Arc::new(MemoryBook::new()),
            Arc::new(MemoryStore::default()),
            seen.handler(),
        )
        .proof(client.clone())
        .schedule(Schedule {
            first: Duration::from_secs(3600),
            max: Duration::from_secs(3600),
        })
        .poll(Duration::from_secs(3600)),
    );
    let running = tokio::spawn({
        let tracker = Arc::clone(&tracker);
        async move { tracker.run().await }
    });
    assert!(tracker.follow_proof_live(&client, &tx).await.unwrap());
    // One socket per order, however often it is asked for.
    assert!(!tracker.follow_proof_live(&client, &tx).await.unwrap());
    assert_eq!(tracker.live_updates(), 1);
    assert!(seen.reached(1).await, "the first read, at once");
    // Let the WebSocket connect before the sandbox advances the transaction.
    tokio::time::sleep(Duration::from_millis(300)).await;
    for expected in 2..=3 {
        sandbox
            .withhold(Trigger::ProofWebhook {
                merchant_transaction_id: tx.clone(),
            })
            .unwrap();
        assert!(
            seen.reached(expected).await,
            "read {expected} came with the update"
        );
    }
    let statuses: Vec<OrderStatus> = seen.take().iter().map(|e| e.status).collect();
    assert_eq!(
        statuses,
        [
            OrderStatus::Pending,
            OrderStatus::Processing,
            OrderStatus::Completed
        ]
    );
    assert_eq!(tracker.open_orders().await, Ok(0));
    // The updates end with the order's following, and the socket with them.
    let ended = async {
        while tracker.live_updates() > 0 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(10), ended)
        .await
        .expect("the live socket ended");
    running.abort();
}

#[tokio::test]
async fn the_socket_of_an_order_that_never_ends_closes_when_its_following_does() {
    let sandbox = Sandbox::start().await.unwrap();
    let (client, tx) = transaction(&sandbox, "user-2").await;
    let tracker = Arc::new(
        Tracker::new(
            Arc::new(MemoryBook::new()),
            Arc::new(MemoryStore::default()),
            Recorder::default().handler(),
        )
        .proof(client.clone()),
    );
    // Asked for at once from five places: one socket.
    let opened =
        futures_util::future::join_all((0..5).map(|_| tracker.follow_proof_live(&client, &tx)))
            .await;
    assert_eq!(
        opened.iter().filter(|o| *o == &Ok(true)).count(),
        1,
        "{opened:?}"
    );
    assert_eq!(tracker.live_updates(), 1);
    // Given up (as its maximum age would): the socket goes with it.
    let order = ramp::track::OrderRef::new(ramp::Provider::Proof, tx.clone());
    tracker.forget(&order).await.unwrap();
    let closed = async {
        while tracker.live_updates() > 0 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(5), closed)
        .await
        .expect("the socket closed");
}
