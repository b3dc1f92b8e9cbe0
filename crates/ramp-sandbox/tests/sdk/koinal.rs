use super::*;
use ramp_koinal::{Client, Decimal, OrderRequest, OrderStatus, QuoteRequest};

#[tokio::test]
async fn quote_order_status_and_callback_and_bad_hash_or_token_refused() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = |merchant_secret: &str| {
        Client::builder(
            url(&sandbox.koinal_url()),
            c::KOINAL_MERCHANT_CODE,
            secret(merchant_secret),
        )
        .build()
        .unwrap()
    };
    let good = client(c::KOINAL_SECRET);
    let request = QuoteRequest::builder()
        .cryptocurrency("BTC")
        .currency("USD")
        .currency_amount(Decimal::from(1000))
        .build()
        .unwrap();
    let quote = good.quote("User1", &request).await.unwrap();
    assert_eq!(quote.cryptocurrency_amount.to_string(), "0.02");
    let order = good
        .create_order(
            "User1",
            &quote
                .order("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq")
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    let status = good.order_status("User1", &order.order_id).await.unwrap();
    assert_eq!(status.status, OrderStatus::PaymentWaiting);
    let (body, signature) = sandbox.koinal_callback(&order.order_id).unwrap();
    let received = ramp_koinal::WebhookVerifier::new(
        secret(c::KOINAL_CALLBACK_SECRET),
        ramp_koinal::CallbackScheme::HmacBodyPlusSecret,
    )
    .unwrap()
    .verify(
        &body,
        &ramp_core::webhook::header_map("Signature", &signature).unwrap(),
    )
    .unwrap();
    assert_eq!(received.order_id, order.order_id);
    // The callback completed the order: its status read says so, with the same transaction.
    let status = good.order_status("User1", &order.order_id).await.unwrap();
    assert_eq!(status.status, OrderStatus::Completed);
    assert_eq!(status.blockchain_tx_id, received.blockchain_tx_id);

    // A callback withheld (the push that never came) completes the order all the same: the
    // tracker learns it from the read.
    let quote = good.quote("User1", &request).await.unwrap();
    let withheld = good
        .create_order(
            "User1",
            &quote
                .order("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq")
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    sandbox
        .withhold(ramp_sandbox::Trigger::KoinalCallback {
            order_id: withheld.order_id.clone(),
        })
        .unwrap();
    let status = good
        .order_status("User1", &withheld.order_id)
        .await
        .unwrap();
    assert_eq!(status.status, OrderStatus::Completed);
    assert!(status.blockchain_tx_id.is_some());

    let err = client("wrong").quote("User1", &request).await.unwrap_err();
    assert!(
        err.api()
            .is_some_and(|api| api.code.as_deref() == Some("97")),
        "{err}"
    );
    // A quote token binds one order: using it again is refused.
    let again = good
        .create_order(
            "User1",
            &OrderRequest::builder(quote.token.clone(), "bc1q")
                .build()
                .unwrap(),
        )
        .await
        .unwrap_err();
    assert!(
        again
            .api()
            .is_some_and(|api| api.code.as_deref() == Some("14")),
        "{again}"
    );
}
