use super::*;
use ramp_transak::{Client, Environment, WidgetParams};

#[tokio::test]
async fn a_widget_url_is_made_with_one_token_and_bad_credentials_refused() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = |api_secret: &str| {
        Client::builder(
            Environment::Custom {
                api: url(&sandbox.transak_api_url()),
                gateway: url(&sandbox.transak_gateway_url()),
            },
            secret(c::TRANSAK_API_KEY),
            secret(api_secret),
        )
        .referrer_domain("yourdomain.com")
        .build()
        .unwrap()
    };
    let first = client(c::TRANSAK_API_SECRET);
    let widget = first
        .create_widget_url(&WidgetParams::default(), USER_IP)
        .await
        .unwrap();
    // The URL loads once.
    let load = |u: url::Url| async move {
        ramp_core::http::reqwest::get(u)
            .await
            .unwrap()
            .status()
            .as_u16()
    };
    assert_eq!(load(widget.url.clone()).await, 200);
    assert_eq!(load(widget.url).await, 410);

    // A second client refreshing invalidates the first client's token; the first
    // recovers with one refresh on the 401.
    let second = client(c::TRANSAK_API_SECRET);
    second
        .create_widget_url(&WidgetParams::default(), USER_IP)
        .await
        .unwrap();
    first
        .create_widget_url(&WidgetParams::default(), USER_IP)
        .await
        .unwrap();

    let err = client("wrong-secret")
        .create_widget_url(&WidgetParams::default(), USER_IP)
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ramp_transak::ErrorKind::TokenRefresh(_)),
        "{err}"
    );

    let bad = WidgetParams::builder()
        .api_key("someone-elses-key")
        .build()
        .unwrap();
    let err = first.create_widget_url(&bad, USER_IP).await.unwrap_err();
    assert!(
        err.api()
            .is_some_and(|api| api.code.as_deref() == Some("2001")),
        "{err}"
    );
}

fn client(sandbox: &Sandbox) -> Client {
    Client::builder(
        Environment::Custom {
            api: url(&sandbox.transak_api_url()),
            gateway: url(&sandbox.transak_gateway_url()),
        },
        secret(c::TRANSAK_API_KEY),
        secret(c::TRANSAK_API_SECRET),
    )
    .referrer_domain("yourdomain.com")
    .build()
    .unwrap()
}

#[tokio::test]
async fn an_order_exists_once_its_widget_is_loaded_and_an_unknown_id_is_not_found() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client(&sandbox);
    let err = client.order("no-such-order").await.unwrap_err();
    assert!(
        err.api()
            .is_some_and(|api| api.status.as_u16() == 404 && api.message == "Order not found"),
        "{err:?}"
    );

    let widget = client
        .create_widget_url(
            &WidgetParams::builder()
                .products_availed(ramp_transak::Products::Buy)
                .crypto_currency_code("ETH")
                .network("ethereum")
                .fiat_currency("EUR")
                .fiat_amount(ramp_transak::Decimal::from(150))
                .wallet_address("0x977BC1915dA4f7edA9D2e49BC08356db37478538")
                .partner_order_id("order-42")
                .build()
                .unwrap(),
            USER_IP,
        )
        .await
        .unwrap();
    let order_id = load_transak_widget(widget.url).await;
    let order = client.order(&order_id).await.unwrap();
    assert_eq!(order.id, order_id);
    assert_eq!(
        order.status,
        ramp_transak::OrderStatus::AwaitingPaymentFromUser
    );
    assert_eq!(order.partner_order_id.as_deref(), Some("order-42"));
    assert_eq!(order.fiat_amount, Some(ramp_transak::Decimal::from(150)));
    assert!(order.address_check(true).is_valid());
}

#[tokio::test]
async fn a_price_quote_is_exact_and_the_minimum_is_transaks_error() {
    use ramp_transak::{BuyOrSell, Decimal, PriceQuoteRequest};
    let sandbox = Sandbox::start().await.unwrap();
    let client = client(&sandbox);
    let request = |fiat: Decimal| {
        PriceQuoteRequest::builder()
            .fiat_currency("EUR")
            .crypto_currency("ETH")
            .network("ethereum")
            .payment_method("credit_debit_card")
            .fiat_amount(fiat)
            .build()
            .unwrap()
    };
    let quote = client
        .price_quote(&request(Decimal::new(15050, 2)))
        .await
        .unwrap();
    // 1% of 150.50 is 1.505, rounded half up to 1.51, plus the 0.50 network fee.
    assert_eq!(quote.total_fee.unwrap().to_string(), "2.01");
    assert_eq!(quote.fiat_amount.to_string(), "150.50");
    // (150.50 - 2.01) / 3000 = 0.04949666..., to 8 places.
    assert_eq!(quote.crypto_amount.to_string(), "0.04949667");
    assert_eq!(
        quote.fee_breakdown.iter().map(|f| f.value).sum::<Decimal>(),
        quote.total_fee.unwrap()
    );
    assert_eq!(sandbox.transak_token_refreshes(), 0, "a public call");

    let sell = PriceQuoteRequest::builder()
        .fiat_currency("EUR")
        .crypto_currency("ETH")
        .side(BuyOrSell::Sell)
        .network("ethereum")
        .payment_method("sepa_bank_transfer")
        .crypto_amount(Decimal::new(5, 2))
        .build()
        .unwrap();
    let quote = client.price_quote(&sell).await.unwrap();
    assert_eq!(quote.is_buy_or_sell, Some(BuyOrSell::Sell));
    // 0.05 × 3000 = 150.00, plus 1.50 (1%) and 0.50.
    assert_eq!(quote.fiat_amount.to_string(), "152.00");

    let err = client
        .price_quote(&request(Decimal::from(10)))
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Transak error 1005 (HTTP 400 Bad Request): Minimum order value is 30 EUR"
    );
}
