//! "Each event handled once" under time, faults and hostile input, through the endpoint on
//! 127.0.0.1: a final status is forever (after `keep`, against stale pushes and forged Proof
//! hints), Proof's pushes in any order and its reads failing, genuine deliveries the reader
//! cannot read (handled with what can be read, or kept and handed back), and a full store.

use std::sync::Arc;
use std::time::Duration;

use ramp::endpoint::RedeliverError;
use ramp::{MemoryStore, OrderStatus, Outcome, Provider, Unreadable};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

mod support;

use support::harness::{KOINAL, koinal, onramper, proof_hint, start, start_on};
use support::proof_tx as tx;

async fn proof_answers(h: &support::harness::Harness, id: &str, answer: ResponseTemplate) {
    Mock::given(method("GET"))
        .and(path(format!("/proof/widget/transactions/{id}")))
        .respond_with(answer)
        .mount(&h.proof)
        .await;
}

#[tokio::test]
async fn a_proof_push_older_than_the_read_is_answered_200_with_what_the_read_says() {
    let h = start(false).await;
    proof_answers(&h, "tx-old", tx("tx-old", "completed")).await;
    // Before, this was 503 on every retry, each costing a read from Proof.
    assert_eq!(
        h.post("proof", &proof_hint("tx-old", "processing")).await,
        200
    );
    assert_eq!(
        h.post("proof", &proof_hint("tx-old", "processing")).await,
        200
    );
    assert_eq!(h.post("proof", &proof_hint("tx-old", "pending")).await, 200);
    let events = h.events();
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].status, OrderStatus::Completed);
    assert_eq!(h.tracker.open_orders().await, Ok(0), "ended: not followed");
}

#[tokio::test]
async fn a_proof_read_that_fails_is_answered_503_and_the_order_is_followed() {
    let h = start(false).await;
    proof_answers(&h, "tx-down", ResponseTemplate::new(502)).await;
    proof_answers(
        &h,
        "tx-new",
        ResponseTemplate::new(404)
            .set_body_string(r#"{"error":"not_found","code":"not_found","message":"unknown"}"#),
    )
    .await;
    assert_eq!(
        h.post("proof", &proof_hint("tx-down", "completed")).await,
        503
    );
    assert_eq!(h.post("proof", &proof_hint("tx-new", "pending")).await, 404);
    // Before, neither was followed: Proof's pushes are best effort, and the end was lost.
    assert_eq!(h.tracker.open_orders().await, Ok(2));
    assert!(h.events().is_empty());
}

#[tokio::test]
async fn concurrent_proof_hints_for_one_transaction_share_one_read() {
    let h = start(false).await;
    proof_answers(
        &h,
        "tx-busy",
        tx("tx-busy", "pending").set_delay(Duration::from_millis(400)),
    )
    .await;
    let mut posts = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let (http, url) = (h.http.clone(), format!("{}/hooks/proof", h.base));
        let body = proof_hint("tx-busy", "pending").body;
        posts.spawn(async move { http.post(url).body(body).send().await.unwrap().status() });
    }
    for answer in posts.join_all().await {
        assert!(answer == 200 || answer == 503, "{answer}");
    }
    let reads = h.proof.received_requests().await.unwrap();
    assert_eq!(reads.len(), 1, "one read for eight hints");
    assert_eq!(h.events().len(), 1);
}

#[tokio::test]
async fn a_final_status_is_forever_after_keep_against_stale_pushes_and_forged_hints() {
    // Nothing that is not final is remembered at all: only the end can stop a replay.
    let h = start_on(false, Arc::new(MemoryStore::new(1000, Duration::ZERO))).await;
    let paid = onramper(br#"{"transactionId":"tx-f","status":"paid"}"#);
    assert_eq!(h.post("onramper", &paid).await, 200);
    let completed = onramper(br#"{"transactionId":"tx-f","status":"completed"}"#);
    assert_eq!(h.post("onramper", &completed).await, 200);
    // A stale push (signed, genuine, late) and the final one again: nothing handled.
    assert_eq!(h.post("onramper", &paid).await, 200);
    assert_eq!(h.post("onramper", &completed).await, 200);
    let failed = onramper(br#"{"transactionId":"tx-f","status":"failed"}"#);
    assert_eq!(h.post("onramper", &failed).await, 200);
    // Anyone may post an unsigned Proof hint for a completed transaction.
    proof_answers(&h, "tx-p", tx("tx-p", "completed")).await;
    for _ in 0..3 {
        assert_eq!(h.post("proof", &proof_hint("tx-p", "completed")).await, 200);
    }
    let seen: Vec<_> = h
        .events()
        .iter()
        .map(|e| (e.order_id.clone(), e.provider_status.clone()))
        .collect();
    assert_eq!(
        seen,
        [
            ("tx-f".into(), "paid".into()),
            ("tx-f".into(), "completed".into()),
            ("tx-p".into(), "completed".into())
        ]
    );
}

#[tokio::test]
async fn a_genuine_delivery_with_fields_missing_or_null_is_handled_with_what_can_be_read() {
    let h = start(false).await;
    // Before, answered 400 and dropped: a field Koinal left out or sent as null.
    let partial = koinal(
        br#"{"order_id":77,"status":"COMPLETED","customer_reference":null,"crypto_amount":0.5,"cryptocurrency_code":"BTC"}"#,
    );
    assert_eq!(h.post("koinal", &partial).await, 200);
    assert_eq!(h.post("koinal", &partial).await, 200, "ended");
    let events = h.events();
    assert_eq!(events.len(), 1);
    assert_eq!(
        serde_json::to_string(&events[0]).unwrap(),
        r#"{"provider":"koinal","order_id":"77","status":"completed","provider_status":"COMPLETED","crypto":{"amount":0.5,"currency":"BTC"},"unread":"customer_reference"}"#
    );
}

#[tokio::test]
async fn a_genuine_delivery_whose_order_cannot_be_read_is_kept_answered_500_and_handed_back() {
    let h = start(false).await;
    let unreadable = koinal(br#"{"order_id":12,"state":"COMPLETED"}"#);
    assert_eq!(h.post("koinal", &unreadable).await, 500);
    assert_eq!(h.post("koinal", &unreadable).await, 500, "delivered again");
    let kept = h.endpoint.unreadable().await.unwrap();
    assert_eq!(kept.len(), 1, "one record for both deliveries");
    assert_eq!(
        (kept[0].provider, kept[0].path.as_str()),
        (Provider::Koinal, "status")
    );
    assert_eq!(kept[0].document, br#"{"order_id":12,"state":"COMPLETED"}"#);
    // Still unreadable: handed back, it stays kept.
    assert!(matches!(
        h.endpoint.redeliver(&kept[0]).await,
        Err(RedeliverError::Unreadable(path, _)) if path == "status"
    ));
    assert_eq!(h.endpoint.unreadable().await.unwrap().len(), 1);
    // A delivery kept by an older reader that this one reads: handled once, then forgotten.
    let old = Unreadable::new(Provider::Koinal, KOINAL, "crypto_amount", "an older reader");
    assert_eq!(h.endpoint.redeliver(&old).await, Ok(Outcome::Handled));
    assert_eq!(h.endpoint.redeliver(&old).await, Ok(Outcome::Ended));
    assert_eq!(h.events().len(), 1);
    // The forged ones are never kept.
    let mut forged = koinal(br#"{"order_id":13}"#);
    forged.body.push(b' ');
    assert_eq!(h.post("koinal", &forged).await, 401);
    assert_eq!(h.endpoint.unreadable().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_full_memory_store_answers_503_rather_than_forget() {
    let h = start_on(
        false,
        Arc::new(MemoryStore::new(1, Duration::from_secs(3600))),
    )
    .await;
    let first = onramper(br#"{"transactionId":"tx-a","status":"paid"}"#);
    assert_eq!(h.post("onramper", &first).await, 200);
    let second = onramper(br#"{"transactionId":"tx-b","status":"paid"}"#);
    // Before, the oldest handled key was forgotten to make room.
    assert_eq!(h.post("onramper", &second).await, 503);
    assert_eq!(h.post("onramper", &first).await, 200);
    assert_eq!(h.events().len(), 1);
}

#[tokio::test]
async fn a_provider_hanging_up_mid_way_still_has_its_order_followed() {
    let proof = wiremock::MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/widget/transactions/tx-hang"))
        .respond_with(tx("tx-hang", "pending"))
        .mount(&proof)
        .await;
    let client = ramp::proof::Client::builder(
        ramp_core::http::Url::parse(&proof.uri()).unwrap(),
        ramp_core::SecretString::from("t"),
    )
    .build()
    .unwrap();
    let store = Arc::new(MemoryStore::default());
    let slow = |_event: ramp::OrderEvent| async {
        tokio::time::sleep(Duration::from_millis(500)).await;
        Ok::<(), ramp::HandlerError>(())
    };
    let tracker = Arc::new(
        ramp::track::Tracker::new(
            Arc::new(ramp::track::MemoryBook::new()),
            store.clone(),
            slow,
        )
        .proof(client.clone()),
    );
    let router = ramp::endpoint::Endpoint::new(store, slow)
        .proof(client)
        .tracker(Arc::clone(&tracker))
        .router();
    let url = format!("{}/proof", support::serve(router).await);
    let impatient = ramp_core::http::reqwest::Client::builder()
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let gave_up = impatient
        .post(url)
        .body(proof_hint("tx-hang", "pending").body)
        .send()
        .await;
    assert!(gave_up.is_err(), "hung up while the handler ran");
    // Before, the follow-up ran in the request's future and went with it.
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert_eq!(tracker.open_orders().await, Ok(1));
}

#[tokio::test]
async fn a_genuine_transak_delivery_whose_time_claim_is_unreadable_is_kept_not_refused() {
    let h = start(false).await;
    let payload = serde_json::json!({
        "exp": "tomorrow",
        "eventID": "ORDER_COMPLETED",
        "webhookData": {"id": "ord-x", "status": "COMPLETED"}
    });
    let delivery = ramp::transak::webhook::test_util::signed_webhook(
        &payload,
        &ramp_core::SecretString::from(support::harness::TRANSAK_TOKEN),
    );
    // Signed with the token: genuine. Before, answered 401 and dropped.
    assert_eq!(h.post("transak", &delivery).await, 500);
    let kept = h.endpoint.unreadable().await.unwrap();
    assert_eq!(
        (kept.len(), kept[0].provider, kept[0].path.as_str()),
        (1, Provider::Transak, "exp")
    );
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&kept[0].document).unwrap(),
        payload,
        "the JWT's payload, what Transak signed"
    );
    assert!(h.events().is_empty());
    // Handed back, it is read and handled once.
    assert_eq!(
        h.endpoint.redeliver(&kept[0]).await,
        Ok(ramp::Outcome::Handled)
    );
    assert_eq!(h.events()[0].order_id, "ord-x");
    assert!(h.endpoint.unreadable().await.unwrap().is_empty());
}
