use super::*;
use ramp_sandbox::Trigger;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn receiver() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn callbacks_and_webhooks_are_delivered_signed_and_verify_with_the_sdks() {
    let sandbox = Sandbox::start().await.unwrap();
    let endpoint = receiver().await;

    // Koinal: an order, then its callback.
    let koinal = ramp_koinal::Client::builder(
        url(&sandbox.koinal_url()),
        c::KOINAL_MERCHANT_CODE,
        secret(c::KOINAL_SECRET),
    )
    .build()
    .unwrap();
    let quote = koinal
        .quote(
            "User1",
            &ramp_koinal::QuoteRequest::builder()
                .cryptocurrency("ETH")
                .currency("USD")
                .currency_amount(ramp_koinal::Decimal::from(500))
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    let order = koinal
        .create_order(
            "User1",
            &quote
                .order("0x977BC1915dA4f7edA9D2e49BC08356db37478538")
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    let delivery = sandbox
        .trigger(
            Trigger::KoinalCallback {
                order_id: order.order_id.clone(),
            },
            &endpoint.uri(),
        )
        .await
        .unwrap();
    assert_eq!(delivery.status, 200);
    let received = endpoint.received_requests().await.unwrap();
    let signature = received[0]
        .headers
        .get("signature")
        .unwrap()
        .to_str()
        .unwrap();
    let callback = ramp_koinal::WebhookVerifier::new(
        secret(c::KOINAL_CALLBACK_SECRET),
        ramp_koinal::CallbackScheme::HmacBodyPlusSecret,
    )
    .unwrap()
    .verify(
        &received[0].body,
        &ramp_core::webhook::header_map("Signature", signature).unwrap(),
    )
    .unwrap();
    assert_eq!(callback.crypto_amount.to_string(), "0.2");

    // Proof: each trigger advances the transaction.
    let proof =
        ramp_proof::Client::builder(url(&sandbox.proof_url()), secret(c::PROOF_CLIENT_TOKEN))
            .build()
            .unwrap();
    let session = proof
        .create_session(
            &ramp_proof::SessionRequest::builder()
                .partner_user_id("u")
                .user_email("u@example.com")
                .network("ERC20")
                .currency("USDC")
                .amount(ramp_proof::Decimal::from(5))
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    for expected in ["processing", "completed"] {
        let delivery = sandbox
            .trigger(
                Trigger::ProofWebhook {
                    merchant_transaction_id: session.merchant_transaction_id.clone(),
                },
                &endpoint.uri(),
            )
            .await
            .unwrap();
        let update = ramp_proof::webhook::parse(&delivery.body).unwrap();
        assert_eq!(update.claimed_status().as_str(), expected);
    }
    assert!(
        proof
            .transaction(&session.merchant_transaction_id)
            .await
            .unwrap()
            .status
            .is_terminal()
    );

    // Transak: signed with the current access token, which the client knows.
    let transak = ramp_transak::Client::builder(
        ramp_transak::Environment::Custom {
            api: url(&sandbox.transak_api_url()),
            gateway: url(&sandbox.transak_gateway_url()),
        },
        secret(c::TRANSAK_API_KEY),
        secret(c::TRANSAK_API_SECRET),
    )
    .build()
    .unwrap();
    assert!(
        sandbox
            .trigger(
                Trigger::TransakWebhook {
                    order_id: "ord_1".into(),
                    event: "ORDER_COMPLETED".into()
                },
                &endpoint.uri()
            )
            .await
            .unwrap_err()
            .contains("no Transak access token")
    );
    transak.access_token().await.unwrap();
    // Only an order the sandbox made (by loading a widget URL) can be reported.
    assert!(
        sandbox
            .trigger(
                Trigger::TransakWebhook {
                    order_id: "ord_1".into(),
                    event: "ORDER_REFUNDED".into()
                },
                &endpoint.uri()
            )
            .await
            .unwrap_err()
            .contains("no Transak order \"ord_1\"")
    );
    let widget = transak
        .create_widget_url(
            &ramp_transak::WidgetParams::builder()
                .referrer_domain("yourdomain.com")
                .build()
                .unwrap(),
            USER_IP,
        )
        .await
        .unwrap();
    let order_id = load_transak_widget(widget.url).await;
    let delivery = sandbox
        .trigger(
            Trigger::TransakWebhook {
                order_id: order_id.clone(),
                event: "ORDER_REFUNDED".into(),
            },
            &endpoint.uri(),
        )
        .await
        .unwrap();
    let event = transak
        .verify_webhook(&delivery.body, &ramp_transak::HeaderMap::new())
        .await
        .unwrap();
    assert_eq!(event.event, ramp_transak::EventType::OrderRefunded);
    assert_eq!(event.order.id, order_id);
    assert!(event.order.status.is_terminal());
    // The order endpoint agrees with the webhook.
    assert!(transak.order(&order_id).await.unwrap().status.is_terminal());

    // Onramper: signed with the webhook secret.
    let delivery = sandbox
        .trigger(
            Trigger::OnramperWebhook {
                transaction_id: "01HX9".into(),
                status: "completed".into(),
            },
            &endpoint.uri(),
        )
        .await
        .unwrap();
    let received = endpoint.received_requests().await.unwrap();
    let last = received.last().unwrap();
    assert_eq!(last.body, delivery.body);
    let signature = last
        .headers
        .get("x-onramper-webhook-signature")
        .unwrap()
        .to_str()
        .unwrap();
    let event =
        ramp_onramper_sign::webhook::WebhookVerifier::new(secret(c::ONRAMPER_WEBHOOK_SECRET))
            .unwrap()
            .verify(
                &last.body,
                &ramp_core::webhook::header_map("X-Onramper-Webhook-Signature", signature).unwrap(),
            )
            .unwrap();
    assert_eq!(
        event.status,
        ramp_onramper_sign::webhook::OrderStatus::Completed
    );
    assert_eq!(event.out_amount.unwrap().to_string(), "0.00123456");
}
