use super::*;

#[tokio::test]
async fn a_timeout_is_a_typed_error() {
    let hosts = Hosts::start().await;
    hosts.issue_tokens(Duration::ZERO).await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&hosts.gateway)
        .await;
    let client = hosts
        .builder()
        .http_config(HttpConfig::new().timeout(Duration::from_millis(200)))
        .build()
        .unwrap();
    let err = client
        .create_widget_url(&WidgetParams::default(), USER_IP)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err.http().map(HttpError::kind),
            Some(HttpErrorKind::Timeout { .. })
        ),
        "{err:?}"
    );
    assert_eq!(hosts.session_tokens().await.len(), 1);
}

#[tokio::test]
async fn invalid_parameters_send_nothing_not_even_a_token_request() {
    let hosts = Hosts::start().await;
    hosts.issue_tokens(Duration::ZERO).await;
    hosts.widget_answers(200, WIDGET).await;
    let without_domain = Client::builder(
        hosts.environment(),
        SecretString::from(API_KEY),
        SecretString::from(API_SECRET),
    )
    .build()
    .unwrap();
    let field =
        |result: Result<ramp_transak::WidgetUrl, Error>| match result.map_err(Error::into_kind) {
            Err(ErrorKind::Validation { field, .. }) => field,
            other => panic!("{other:?}"),
        };
    assert_eq!(
        field(
            without_domain
                .create_widget_url(&WidgetParams::default(), USER_IP)
                .await
        ),
        "referrerDomain"
    );
    let client = hosts.client();
    // The fields are public: a value changed after it was built is checked again by the
    // client before anything is sent.
    let with = |change: fn(&mut WidgetParams)| {
        let mut params = WidgetParams::default();
        change(&mut params);
        params
    };
    let cases: [(&str, WidgetParams); 7] = [
        (
            "referrerDomain",
            with(|p| p.referrer_domain = Some(" ".into())),
        ),
        ("apiKey", with(|p| p.api_key = Some(String::new()))),
        ("fiatAmount", with(|p| p.fiat_amount = Some(Decimal::ZERO))),
        (
            "defaultCryptoAmount",
            with(|p| p.default_crypto_amount = Some(Decimal::from(-1))),
        ),
        ("email", with(|p| p.email = Some("user@".into()))),
        (
            "redirectURL",
            with(|p| p.redirect_url = Some("/done".into())),
        ),
        (
            "extra",
            with(|p| p.extra = [("fiatAmount".to_owned(), serde_json::json!(1))].into()),
        ),
    ];
    for (name, params) in cases {
        assert_eq!(
            field(client.create_widget_url(&params, USER_IP).await),
            name
        );
    }
    assert_eq!(
        field(client.order(" ").await.map(|_| unreachable!())),
        "orderId"
    );
    assert_eq!(hosts.token_requests().await, 0);
    assert!(hosts.gateway.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn no_secret_or_token_appears_in_any_debug_or_display() {
    let hosts = Hosts::start().await;
    hosts.issue_tokens(Duration::ZERO).await;
    hosts.widget_answers(200, WIDGET).await;
    let client = hosts.client();
    let token = client.access_token().await.unwrap();
    let store = ramp_transak::MemoryTokenStore::default();
    ramp_transak::TokenStore::save(&store, token.clone())
        .await
        .unwrap();
    // A refresh that fails, and a webhook that does not verify, with the token in play.
    let refused = Hosts::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(401).set_body_string(
            r#"{"error": {"statusCode": 401, "message": "Invalid api secret", "errorCode": 1001}}"#,
        ))
        .mount(&refused.api)
        .await;
    let refresh_error = refused.client().access_token().await.unwrap_err();
    let webhook_error = client
        .verify_webhook(b"{\"data\": \"a.b.c\"}", &ramp_transak::HeaderMap::new())
        .await
        .unwrap_err();
    let texts = [
        format!("{client:?}"),
        format!("{token:?}"),
        format!("{store:?}"),
        format!("{refresh_error:?}"),
        refresh_error.to_string(),
        format!("{webhook_error:?}"),
        webhook_error.to_string(),
    ];
    for text in &texts {
        assert!(!text.contains(API_KEY), "{text}");
        assert!(!text.contains(API_SECRET), "{text}");
        assert!(!text.contains("tok_1"), "{text}");
    }
    let empty = Client::builder(
        Environment::Staging,
        SecretString::from(API_KEY),
        SecretString::from(""),
    )
    .build()
    .unwrap_err();
    assert!(
        matches!(empty.kind(), ErrorKind::EmptySecret(_)),
        "{empty:?}"
    );
    assert_eq!(
        empty.to_string(),
        "the Transak API secret is empty or whitespace only"
    );
}

#[tokio::test]
async fn a_token_shorter_lived_than_the_margin_is_used_for_half_its_life() {
    let hosts = Hosts::start().await;
    // 2 minutes of life against the default 5-minute margin.
    short_lived_tokens(&hosts, 120).await;
    hosts.widget_answers(200, WIDGET).await;
    let now = Arc::new(AtomicU64::new(NOW));
    let clock = Arc::clone(&now);
    let client = hosts
        .builder()
        .clock(move || clock.load(Ordering::SeqCst))
        .build()
        .unwrap();
    for _ in 0..5 {
        client
            .create_widget_url(&WidgetParams::default(), USER_IP)
            .await
            .unwrap();
    }
    assert_eq!(hosts.token_requests().await, 1, "5 calls, 1 refresh");
    // Half-way through its life, the token is replaced once.
    now.store(NOW + 59, Ordering::SeqCst);
    client.access_token().await.unwrap();
    assert_eq!(hosts.token_requests().await, 1);
    now.store(NOW + 60, Ordering::SeqCst);
    client.access_token().await.unwrap();
    client.access_token().await.unwrap();
    assert_eq!(hosts.token_requests().await, 2);
}

#[tokio::test]
async fn no_margin_or_clock_value_panics() {
    let hosts = Hosts::start().await;
    hosts.issue_tokens(Duration::ZERO).await;
    hosts.widget_answers(200, WIDGET).await;
    for margin in [Duration::MAX, Duration::ZERO, Duration::from_secs(u64::MAX)] {
        let client = hosts.builder().refresh_margin(margin).build().unwrap();
        client.access_token().await.unwrap();
        client
            .create_widget_url(&WidgetParams::default(), USER_IP)
            .await
            .unwrap();
    }
    for reading in [u64::MAX, 0] {
        let client = hosts.builder().clock(move || reading).build().unwrap();
        // Whatever the clock says, the answer is a token or a typed error, never a panic.
        let _ = client.access_token().await;
        let _ = client
            .create_widget_url(&WidgetParams::default(), USER_IP)
            .await;
        let _ = client
            .verify_webhook(b"{}", &ramp_transak::HeaderMap::new())
            .await;
    }
}

#[tokio::test]
async fn a_refused_price_quote_is_transaks_error_and_a_bad_one_sends_nothing() {
    let hosts = Hosts::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/pricing/public/quotes"))
        .respond_with(ResponseTemplate::new(400).set_body_string(
            r#"{"error": {"statusCode": 400, "name": "BadRequestError", "message": "Minimum order value is 30 EUR", "errorCode": 1005}}"#,
        ))
        .mount(&hosts.api)
        .await;
    let client = hosts.client();
    let err = client.price_quote(&quote_request()).await.unwrap_err();
    assert!(
        err.api()
            .is_some_and(|api| api.code.as_deref() == Some("1005") && api.status.as_u16() == 400),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "Transak error 1005 (HTTP 400 Bad Request): Minimum order value is 30 EUR"
    );
    assert!(!format!("{err:?}").contains(API_KEY));
    assert_eq!(hosts.api.received_requests().await.unwrap().len(), 1);

    // A request that breaks a rule is refused before anything exists to send.
    let err = ramp_transak::PriceQuoteRequest::builder()
        .fiat_currency("EUR")
        .crypto_currency("ETH")
        .network("ethereum")
        .payment_method("credit_debit_card")
        .fiat_amount(Decimal::new(-1, 0))
        .build()
        .unwrap_err();
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Validation {
                field: "fiatAmount",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(hosts.api.received_requests().await.unwrap().len(), 1);
}
