//! The partner webhook: the status shape, unknown fields tolerated, clean errors.

use ramp_proof::ErrorKind;
use ramp_proof::{Error, TransactionStatus, webhook};

#[test]
fn a_webhook_without_partner_user_id_parses_and_keys_by_id_and_status() {
    let update = webhook::parse(
        br#"{"merchant_transaction_id":"550e8400-e29b-41d4-a716-446655440000","type":"sell","status":"processing","currency":"USDT","network":"TRC20","crypto_amount":100.000000000000000001,"fiat_currency":"EUR","fiat_amount":null,"created_at":"2026-11-23T10:00:00Z","updated_at":"2026-11-23T10:01:00Z","risk_score":12}"#,
    )
    .unwrap();
    assert_eq!(update.partner_user_id, None);
    assert_eq!(update.status, TransactionStatus::Processing);
    assert!(!update.status.is_terminal());
    assert_eq!(
        update.crypto_amount.unwrap().to_string(),
        "100.000000000000000001"
    );
    assert_eq!(update.fiat_amount, None);
    assert_eq!(
        update.idempotency_key(),
        "550e8400-e29b-41d4-a716-446655440000:processing"
    );
    insta::assert_debug_snapshot!("webhook_update", update);
}

#[test]
fn an_unknown_status_is_kept() {
    let update = webhook::parse(br#"{"merchant_transaction_id":"t","status":"on_hold"}"#).unwrap();
    assert_eq!(update.status, TransactionStatus::Other("on_hold".into()));
    assert_eq!(update.idempotency_key(), "t:on_hold");
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
    ] {
        match webhook::parse(body).map_err(Error::into_kind) {
            Err(ErrorKind::InvalidWebhook { path: at, .. }) => assert_eq!(at, path),
            other => panic!("{other:?}"),
        }
    }
}
