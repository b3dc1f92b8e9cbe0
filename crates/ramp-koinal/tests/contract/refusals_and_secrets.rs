use super::*;

#[tokio::test]
async fn every_call_gets_a_fresh_timestamp_from_the_clock() {
    let server = answering(200, STATUS).await;
    let ticks = Arc::new(AtomicU64::new(NOW));
    let clock = Arc::clone(&ticks);
    let client = Client::builder(
        Url::parse(&server.uri()).unwrap(),
        MERCHANT,
        SecretString::from(SECRET),
    )
    .clock(move || clock.fetch_add(7, Ordering::SeqCst))
    .build()
    .unwrap();
    client.order_status("User1", "12").await.unwrap();
    client.order_status("User1", "12").await.unwrap();
    let timestamps: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| {
            let header = r.headers.get("hash").unwrap().to_str().unwrap();
            let hash = ramp_koinal::AuthHash::decode(header).unwrap();
            hash.verify(&SecretString::from(SECRET)).unwrap();
            hash.timestamp().to_owned()
        })
        .collect();
    assert_eq!(timestamps, [NOW.to_string(), (NOW + 7).to_string()]);
}

#[tokio::test]
async fn invalid_requests_are_refused_before_anything_is_sent() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    let client = client(&server);
    let field = |result: Result<_, Error>| match result.map_err(Error::into_kind) {
        Err(ErrorKind::Validation { field, .. }) => field,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        field(client.quote(" ", &btc_for_1000_usd()).await.map(|_| ())),
        "customer_reference"
    );
    assert_eq!(
        field(client.order_status("User1", "").await.map(|_| ())),
        "order_id"
    );
    let quote = || {
        QuoteRequest::builder()
            .cryptocurrency("BTC")
            .currency("USD")
    };
    assert_eq!(field(quote().build().map(|_| ())), "cryptocurrency_amount");
    let both = quote()
        .currency_amount(dec("1"))
        .cryptocurrency_amount(dec("1"))
        .build();
    assert_eq!(
        both.unwrap_err().to_string(),
        "invalid `cryptocurrency_amount`: give either `cryptocurrency_amount` or `currency_amount`, not both"
    );
    assert_eq!(
        field(quote().currency_amount(dec("-5")).build().map(|_| ())),
        "currency_amount"
    );
    assert_eq!(
        field(
            quote()
                .currency("usd")
                .currency_amount(dec("5"))
                .build()
                .map(|_| ())
        ),
        "currency"
    );
    assert_eq!(
        field(
            QuoteRequest::builder()
                .currency("USD")
                .currency_amount(dec("5"))
                .build()
                .map(|_| ())
        ),
        "cryptocurrency"
    );
    for tag in ["", "12a", "-1", "4294967296", " 1"] {
        let result = OrderRequest::builder(TOKEN, "r")
            .destination_tag(tag)
            .build();
        assert_eq!(field(result.map(|_| ())), "destination_tag", "{tag:?}");
    }
    assert_eq!(
        field(OrderRequest::builder(TOKEN, "").build().map(|_| ())),
        "wallet_address"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn no_secret_token_or_hash_appears_in_any_debug_or_display() {
    let server = answering(
        400,
        r#"{"code": "05", "message": "Do not honor", "status": "DECLINED"}"#,
    )
    .await;
    let client = client(&server);
    let err = client
        .quote("User1", &btc_for_1000_usd())
        .await
        .unwrap_err();
    let quote: ramp_koinal::Quote = serde_json::from_str(
        &QUOTE[QUOTE.find("{\n        \"crypto").unwrap()..QUOTE.find("},").unwrap() + 1],
    )
    .unwrap();
    let hash = client.auth_hash("User1").unwrap();
    let order_builder = quote.order("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq");
    let order = order_builder.clone().build().unwrap();
    assert_eq!(order.token(), TOKEN);
    let texts = [
        format!("{client:?}"),
        format!("{err:?}"),
        err.to_string(),
        format!("{quote:?}"),
        format!("{hash:?}"),
        format!("{order:?}"),
        format!("{order_builder:?}"),
    ];
    for text in &texts {
        assert!(!text.contains(SECRET), "secret in {text}");
        assert!(!text.contains(TOKEN), "quote token in {text}");
        assert!(!text.contains(hash.signature()), "hash signature in {text}");
    }
    let empty = Client::builder(
        Url::parse("https://koinal.example/").unwrap(),
        MERCHANT,
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
        "the Koinal merchant secret is empty or whitespace only"
    );
}
