//! The shop of `examples/shop.rs`, tested as its README says: the handler without HTTP, the
//! router with `oneshot`, genuine and forged deliveries.

use ramp::onramper_sign::WebhookVerifier;
use ramp::{
    Decimal, MemoryStore, Money, OrderEvent, OrderStatus, Provider, Ramp, SecretString, test_util,
};
use serde_json::json;
use tower::ServiceExt as _;

#[path = "../examples/shop.rs"]
mod shop;

#[tokio::test]
async fn a_completed_order_is_credited() {
    let mut event =
        OrderEvent::with_status(Provider::Koinal, "12", OrderStatus::Completed, "COMPLETED");
    event.partner_reference = Some("order-42".into());
    event.crypto = Some(Money::new(Decimal::new(1205, 2), "USDT"));
    shop::credit(event).await.unwrap();
    assert!(
        shop::ledger::CREDITED
            .lock()
            .unwrap()
            .contains(&("order-42".into(), "12.05 USDT".into()))
    );
}

#[tokio::test]
async fn a_genuine_webhook_is_handled_and_a_forged_one_refused() {
    let secret = SecretString::from("test-webhook-secret");
    let ramp = Ramp::builder(MemoryStore::default(), shop::credit)
        .onramper(WebhookVerifier::new(secret.clone()).unwrap())
        .start();
    let body = json!({"transactionId": "tx-1", "status": "completed", "partnerContext": "order-7", "outAmount": 0.5, "targetCurrency": "btc"});
    let genuine = test_util::onramper(&body, &secret);
    assert_eq!(
        ramp.router()
            .oneshot(genuine.request())
            .await
            .unwrap()
            .status(),
        200
    );
    let forged = test_util::onramper(&body, &SecretString::from("guess"));
    assert_eq!(
        ramp.router()
            .oneshot(forged.request())
            .await
            .unwrap()
            .status(),
        401
    );
    assert!(
        shop::ledger::CREDITED
            .lock()
            .unwrap()
            .contains(&("order-7".into(), "0.5 btc".into()))
    );
}
