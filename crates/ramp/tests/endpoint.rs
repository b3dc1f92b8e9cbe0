//! The webhook endpoint against real deliveries on 127.0.0.1: each provider's route verifies,
//! normalizes and hands every event to the handler exactly once; refusals answer as
//! documented and call nothing.

use ramp::{OrderStatus, Provider};
use ramp_core::SecretString;
use ramp_core::webhook::Delivery;
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

mod support;

use support::harness::{Harness, KOINAL, ONRAMPER, ONRAMPER_SECRET, TRANSAK_TOKEN, koinal, start};

#[tokio::test]
async fn the_same_delivery_twenty_times_at_once_is_handled_once() {
    let h = start(false).await;
    let delivery = koinal(KOINAL);
    let answers = futures_join(&h, "koinal", &delivery, 20).await;
    assert!(
        answers.iter().all(|a| *a == 200 || *a == 503),
        "{answers:?}"
    );
    assert!(answers.contains(&200));
    // Later deliveries are duplicates, answered 200.
    assert_eq!(h.post("koinal", &delivery).await, 200);
    let events = h.events();
    assert_eq!(events.len(), 1, "{events:?}");
    let event = &events[0];
    assert_eq!(
        (
            event.provider,
            event.order_id.as_str(),
            event.status,
            event.provider_status.as_str()
        ),
        (Provider::Koinal, "12", OrderStatus::Completed, "COMPLETED")
    );
    assert_eq!(
        serde_json::to_string(event).unwrap(),
        r#"{"provider":"koinal","order_id":"12","status":"completed","provider_status":"COMPLETED","crypto":{"amount":0.100341160000000001,"currency":"BTC"},"wallet_address":"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq","transaction_hash":"4a5e","partner_reference":"User1"}"#
    );
}

async fn futures_join(h: &Harness, route: &str, delivery: &Delivery, n: usize) -> Vec<u16> {
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..n {
        let (http, base, delivery, route) = (
            h.http.clone(),
            h.base.clone(),
            delivery.clone(),
            route.to_owned(),
        );
        tasks.spawn(async move {
            http.post(format!("{base}/hooks/{route}"))
                .headers(delivery.headers)
                .body(delivery.body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        });
    }
    tasks.join_all().await
}

#[tokio::test]
async fn forged_unreadable_and_oversized_deliveries_are_refused_and_handle_nothing() {
    let h = start(false).await;
    let mut forged = koinal(KOINAL);
    forged.body[20] ^= 1;
    assert_eq!(h.post("koinal", &forged).await, 401);
    let unsigned = Delivery {
        body: KOINAL.to_vec(),
        ..Delivery::default()
    };
    assert_eq!(h.post("koinal", &unsigned).await, 401);
    let big = vec![b' '; 5000];
    assert_eq!(h.post("koinal", &koinal(&big)).await, 413);
    assert_eq!(h.post("kryptonim", &koinal(KOINAL)).await, 404);
    assert!(h.events().is_empty());
}

#[tokio::test]
async fn a_failed_handler_answers_500_and_the_redelivery_is_handled() {
    let h = start(false).await;
    let delivery = ramp::onramper_sign::webhook::test_util::signed_webhook(
        ONRAMPER,
        &SecretString::from(ONRAMPER_SECRET),
    );
    *h.seen.fail.lock().unwrap() = true;
    assert_eq!(h.post("onramper", &delivery).await, 500);
    *h.seen.fail.lock().unwrap() = false;
    // A handler that panics releases its claim too.
    *h.seen.panic.lock().unwrap() = true;
    assert_eq!(h.post("onramper", &delivery).await, 500);
    *h.seen.panic.lock().unwrap() = false;
    assert_eq!(h.post("onramper", &delivery).await, 200);
    assert_eq!(h.post("onramper", &delivery).await, 200);
    let events = h.events();
    assert_eq!(events.len(), 1);
    assert_eq!(
        serde_json::to_string(&events[0]).unwrap(),
        r#"{"provider":"onramper","order_id":"01HX9","status":"processing","provider_status":"paid","fiat":{"amount":100.5,"currency":"eur"},"crypto":{"amount":0.001234567890123456,"currency":"btc"},"time":"2026-11-25T08:00:00Z","partner_reference":"order-42"}"#
    );
}

#[tokio::test]
async fn transak_is_verified_with_the_known_token_and_a_cold_receiver_never_fetches_one() {
    let payload = serde_json::json!({
        "eventID": "ORDER_COMPLETED",
        "webhookData": {"id": "ord-1", "status": "COMPLETED", "partnerOrderId": "p-1",
                        "cryptoAmount": 0.05, "cryptoCurrency": "ETH"}
    });
    let h = start(false).await;
    let delivery = ramp::transak::webhook::test_util::signed_webhook(
        &payload,
        &SecretString::from(TRANSAK_TOKEN),
    );
    assert_eq!(h.post("transak", &delivery).await, 200);
    let forged = ramp::transak::webhook::test_util::signed_webhook(
        &payload,
        &SecretString::from("tok_someone_else"),
    );
    assert_eq!(h.post("transak", &forged).await, 401);
    let events = h.events();
    assert_eq!(events.len(), 1);
    assert_eq!(
        (events[0].order_id.as_str(), events[0].status),
        ("ord-1", OrderStatus::Completed)
    );
    assert_eq!(events[0].partner_reference.as_deref(), Some("p-1"));

    let cold = start(true).await;
    assert_eq!(cold.post("transak", &delivery).await, 503);
    assert!(cold.events().is_empty());
    // Nothing was asked of Transak: verifying never refreshes.
    assert!(cold.proof.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn proof_deliveries_emit_what_proof_says_not_what_they_claim() {
    let h = start(false).await;
    Mock::given(method("GET"))
        .and(path("/proof/widget/transactions/tx-1"))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            r#"{"merchant_transaction_id":"tx-1","partner_user_id":"u-1","status":"processing","fiat_currency":"EUR","fiat_amount":"92.57"}"#,
        ))
        .mount(&h.proof)
        .await;
    Mock::given(method("GET"))
        .and(path("/proof/widget/transactions/tx-404"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_string(r#"{"error":"not_found","code":"not_found","message":"unknown"}"#),
        )
        .mount(&h.proof)
        .await;
    Mock::given(method("GET"))
        .and(path("/proof/widget/transactions/tx-500"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&h.proof)
        .await;
    Mock::given(method("GET"))
        .and(path("/proof/widget/transactions/tx-now"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string(r#"{"merchant_transaction_id":"tx-now","status":"completed"}"#),
        )
        .mount(&h.proof)
        .await;
    let claim = |id: &str| Delivery {
        body: format!(r#"{{"merchant_transaction_id":"{id}","status":"completed"}}"#).into_bytes(),
        ..Delivery::default()
    };
    // Proof's read says processing while the push says completed: processing is emitted, and
    // the push is asked for again (503) so that completed is read later (and the tracker
    // follows the order meanwhile).
    assert_eq!(h.post("proof", &claim("tx-1")).await, 503);
    // A read that agrees with the push: handled, 200.
    assert_eq!(h.post("proof", &claim("tx-now")).await, 200);
    let blank = Delivery {
        body: br#"{"merchant_transaction_id":" ","status":"completed"}"#.to_vec(),
        ..Delivery::default()
    };
    assert_eq!(h.post("proof", &blank).await, 400);
    assert_eq!(h.post("proof", &claim("tx-404")).await, 404);
    assert_eq!(h.post("proof", &claim("tx-500")).await, 503);
    assert_eq!(
        h.post(
            "proof",
            &Delivery {
                body: b"{}".to_vec(),
                ..Delivery::default()
            }
        )
        .await,
        400
    );
    let events = h.events();
    assert_eq!(events.len(), 2, "{events:?}");
    assert_eq!(
        (events[1].order_id.as_str(), events[1].status),
        ("tx-now", OrderStatus::Completed)
    );
    assert_eq!(
        serde_json::to_string(&events[0]).unwrap(),
        r#"{"provider":"proof","order_id":"tx-1","status":"processing","provider_status":"processing","fiat":{"amount":92.57,"currency":"EUR"},"partner_reference":"u-1"}"#
    );
}
