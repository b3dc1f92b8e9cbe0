use super::*;

#[tokio::test]
async fn the_client_checks_freshness_on_its_own_clock() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/partners/api/v2/refresh-token"))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            r#"{"data": {"accessToken": "tok_current", "expiresAt": 4102444800}}"#,
        ))
        .mount(&server)
        .await;
    let url = Url::parse(&server.uri()).unwrap();
    let client = Client::builder(
        Environment::Custom {
            api: url.clone(),
            gateway: url,
        },
        SecretString::from("key"),
        SecretString::from("secret"),
    )
    .clock(|| 2_000_000_000)
    .webhook_leeway(Duration::from_secs(5))
    .build()
    .unwrap();
    client.access_token().await.unwrap();
    let fresh = sign(
        &with_claims(serde_json::json!({"exp": 2_000_000_000 - 4})),
        &current(),
    );
    let headers = HeaderMap::new();
    assert!(client.verify_webhook(&fresh, &headers).await.is_ok());
    let stale = sign(
        &with_claims(serde_json::json!({"exp": 2_000_000_000 - 6})),
        &current(),
    );
    assert_eq!(
        rejection(client.verify_webhook(&stale, &headers).await),
        WebhookError::Expired("the JWT has expired (exp)")
    );
}

#[tokio::test]
async fn a_cold_receiver_says_what_to_configure_and_fetches_no_token() {
    let server = MockServer::start().await;
    let url = Url::parse(&server.uri()).unwrap();
    let client = Client::builder(
        Environment::Custom {
            api: url.clone(),
            gateway: url,
        },
        SecretString::from("key"),
        SecretString::from("secret"),
    )
    .build()
    .unwrap();
    let body = sign(&payload(), &current());
    let why = rejection(client.verify_webhook(&body, &HeaderMap::new()).await);
    assert!(matches!(why, WebhookError::NoKey(_)), "{why:?}");
    assert_eq!(
        why.to_string(),
        "webhook refused: nothing to verify it with (no Transak access token yet: configure the \
         token store this client shares with the process that creates widget URLs, or a fixed \
         access token)"
    );
    // Verifying never refreshes: a refresh would invalidate the token the delivery was signed
    // with.
    assert!(server.received_requests().await.unwrap().is_empty());
}
