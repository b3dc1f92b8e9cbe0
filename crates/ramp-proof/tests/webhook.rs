//! The partner webhook: unsigned, so a hint naming the transaction, never an event; the status
//! shape, unknown fields tolerated, clean errors; the transaction read from Proof is the event.

use ramp_proof::{Client, Event, OrderStatus, SecretString, Url, WebhookError, webhook};
use ramp_testkit::answering;

#[test]
fn a_webhook_without_partner_user_id_is_a_hint_with_what_it_claims() {
    let hint = webhook::parse(
        br#"{"merchant_transaction_id":"550e8400-e29b-41d4-a716-446655440000","type":"sell","status":"processing","currency":"USDT","network":"TRC20","crypto_amount":100.000000000000000001,"fiat_currency":"EUR","fiat_amount":null,"created_at":"2026-11-23T10:00:00Z","updated_at":"2026-11-23T10:01:00Z","risk_score":12}"#,
    )
    .unwrap();
    assert_eq!(
        hint.merchant_transaction_id(),
        "550e8400-e29b-41d4-a716-446655440000"
    );
    assert_eq!(*hint.claimed_status(), OrderStatus::Processing);
    // What it claims, exactly, for logging (amounts keep every digit).
    let claimed = serde_json::to_string(&hint).unwrap();
    assert!(
        claimed.contains(r#""crypto_amount":100.000000000000000001"#),
        "{claimed}"
    );
    assert!(!claimed.contains("fiat_amount"), "{claimed}");
    assert!(!claimed.contains("partner_user_id"), "{claimed}");
    insta::assert_debug_snapshot!("webhook_update", hint);
}

#[test]
fn an_unknown_status_is_kept() {
    let hint = webhook::parse(br#"{"merchant_transaction_id":"t","status":"on_hold"}"#).unwrap();
    assert_eq!(*hint.claimed_status(), OrderStatus::Other("on_hold".into()));
}

#[test]
fn a_body_that_is_not_the_transaction_is_a_clean_error() {
    for (body, path) in [
        (&b"not json"[..], "."),
        (br#"{"status":"completed"}"#, "."),
        (
            br#"{"merchant_transaction_id":"t","status":"completed","fiat_amount":"ten"}"#,
            "fiat_amount",
        ),
        (
            br#"{"merchant_transaction_id":"t","status":"completed","updated_at":"soon"}"#,
            "updated_at",
        ),
    ] {
        match webhook::parse(body) {
            Err(WebhookError::Malformed(err)) => assert_eq!(err.path, path),
            other => panic!("{other:?}"),
        }
    }
}

#[tokio::test]
async fn the_event_is_what_proof_says_not_what_the_delivery_claims() {
    // The delivery claims completed; Proof says processing.
    let server = answering(
        200,
        r#"{"merchant_transaction_id":"tx-1","partner_user_id":"u-1","type":"buy","status":"processing"}"#,
    )
    .await;
    let client = Client::builder(
        Url::parse(&server.uri()).unwrap(),
        SecretString::from("tok"),
    )
    .build()
    .unwrap();
    let hint =
        webhook::parse(br#"{"merchant_transaction_id":"tx-1","status":"completed"}"#).unwrap();
    let transaction = client.confirm(&hint).await.unwrap();
    assert_eq!(
        (
            transaction.order_id(),
            transaction.provider_status(),
            transaction.is_terminal()
        ),
        ("tx-1", "processing", false)
    );
    assert_eq!(transaction.dedup_key(), "tx-1:processing");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].url.path(), "/widget/transactions/tx-1");
}
