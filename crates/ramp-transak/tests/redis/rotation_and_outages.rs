use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_the_lease_holder_dies_exactly_one_other_process_refreshes() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    if in_child() {
        return;
    }
    let redis = RedisServer::start();
    let tokens = MockServer::start().await;
    let body = |token: &str| {
        format!(
            r#"{{"data": {{"accessToken": "{token}", "expiresAt": {}}}}}"#,
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap()
                .as_secs()
                + 7 * 24 * 3600
        )
    };
    // The first refresh hangs (its process is killed meanwhile); later ones answer at once.
    Mock::given(method("POST"))
        .and(path("/partners/api/v2/refresh-token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string(body("tok_hung"))
                .set_delay(Duration::from_secs(20)),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&tokens)
        .await;
    Mock::given(method("POST"))
        .and(path("/partners/api/v2/refresh-token"))
        .respond_with(ResponseTemplate::new(200).set_body_string(body("tok_after")))
        .mount(&tokens)
        .await;
    let lease_ms = 1500u64;
    let env = [
        ("REDIS", redis.url()),
        ("API", format!("{}/", tokens.uri())),
        ("LEASE_MS", lease_ms.to_string()),
    ];
    let mut holder = child("child_one_call", &env);
    let started = Instant::now();
    while tokens.received_requests().await.unwrap().is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the first replica never asked"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Two more replicas find the lease taken and wait; then the holder dies.
    let waiters: Vec<Child> = (0..2).map(|_| child("child_one_call", &env)).collect();
    tokio::time::sleep(Duration::from_millis(300)).await;
    holder.kill().unwrap();
    let _ = holder.wait();
    for waiter in waiters {
        let (ok, output) = finished(waiter).await;
        assert!(ok, "a waiting replica failed:\n{output}");
        assert!(output.contains("token tok_after"), "{output}");
        let ms: u64 = output
            .split("elapsed_ms=")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no elapsed time in:\n{output}"));
        assert!(
            ms < lease_ms + 2000,
            "waited {ms} ms for a lease of {lease_ms} ms"
        );
    }
    let refreshes = tokens.received_requests().await.unwrap().len();
    assert_eq!(
        refreshes, 2,
        "the dead holder's refresh and exactly one other"
    );
}

#[tokio::test]
async fn child_rotate() {
    if !in_child() {
        return;
    }
    // Eight days ahead: the stored token looks expired to this replica, which refreshes.
    let client = child_client(8 * 24 * 3600);
    client.access_token().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_rotated_by_another_process_is_taken_on_401_without_a_refresh() {
    if in_child() {
        return;
    }
    let redis = RedisServer::start();
    let sandbox = Sandbox::start().await.unwrap();
    let env = environment(&sandbox.transak_api_url(), &sandbox.transak_gateway_url());
    let client = fail_closed_client(&redis.url(), env, 0);
    let first = client.access_token().await.unwrap();
    assert_eq!(sandbox.transak_token_refreshes(), 1);
    // This client's next call is held 1.5 s before the gateway reads it; meanwhile another
    // process rotates the token, which invalidates the one the call carries.
    sandbox.fail_next(1, Failure::Slow(Duration::from_millis(1500)));
    let call = tokio::spawn({
        let client = client.clone();
        async move {
            client
                .create_widget_url(&WidgetParams::default(), USER_IP)
                .await
        }
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let env = [
        ("REDIS", redis.url()),
        ("API", sandbox.transak_api_url()),
        ("GATEWAY", sandbox.transak_gateway_url()),
    ];
    let (ok, output) = finished(child("rotation_and_outages::child_rotate", &env)).await;
    assert!(ok, "{output}");
    assert_eq!(
        sandbox.transak_token_refreshes(),
        2,
        "the other process's refresh"
    );
    call.await.unwrap().unwrap();
    assert_eq!(
        sandbox.transak_token_refreshes(),
        2,
        "the 401 took the stored token: no refresh of its own"
    );
    let now = client.access_token().await.unwrap();
    assert!(!now.secret().expose_secret().is_empty());
    assert_ne!(now.secret().expose_secret(), first.secret().expose_secret());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_restarted_mid_run_fail_closed() {
    if in_child() {
        return;
    }
    redis_restart_under(WhenUnavailable::FailClosed).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_restarted_mid_run_refresh_locally() {
    if in_child() {
        return;
    }
    redis_restart_under(WhenUnavailable::RefreshLocally).await;
}

#[test]
fn the_store_names_no_secret() {
    let env = Environment::Staging;
    let store = RedisTokenStore::builder("redis://:hunter2@127.0.0.1:1/")
        .build(&env, &SecretString::from(c::TRANSAK_API_KEY))
        .unwrap();
    let printed = format!("{store:?}");
    assert!(
        !printed.contains("hunter2") && !printed.contains(c::TRANSAK_API_KEY),
        "{printed}"
    );
    assert!(
        store.namespace().starts_with("ramp:transak:staging:"),
        "{}",
        store.namespace()
    );
    assert_eq!(
        store.namespace().len(),
        "ramp:transak:staging:".len() + 32 + 1
    );
    let blank =
        RedisTokenStore::builder("redis://127.0.0.1:1/").build(&env, &SecretString::from(" "));
    assert!(matches!(
        blank.map_err(Error::into_kind),
        Err(ErrorKind::EmptySecret(_))
    ));
}

#[tokio::test]
async fn nothing_prints_the_token_or_the_api_key() {
    use ramp_transak::TokenStore as _;
    if in_child() {
        return;
    }
    let redis = RedisServer::start();
    let sandbox = Sandbox::start().await.unwrap();
    let env = environment(&sandbox.transak_api_url(), &sandbox.transak_gateway_url());
    let client = fail_closed_client(&redis.url(), env.clone(), 0);
    let token = client.access_token().await.unwrap();
    let token = token.secret().expose_secret().to_owned();

    // Another replica's store loads that token from Redis; neither prints it.
    let other = store(
        &redis.url(),
        &env,
        WhenUnavailable::FailClosed,
        Duration::from_secs(10),
    );
    let loaded = other.load().await.unwrap().unwrap();
    assert_eq!(loaded.secret().expose_secret(), token);
    for printed in [
        format!("{other:?}"),
        format!("{loaded:?}"),
        format!("{client:?}"),
    ] {
        assert!(!printed.contains(&token), "{printed}");
        assert!(!printed.contains(c::TRANSAK_API_KEY), "{printed}");
    }

    // The keys name the environment and a fingerprint, never the API key.
    let connection = redis::Client::open(redis.url()).unwrap();
    let mut connection = connection.get_multiplexed_async_connection().await.unwrap();
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg("*")
        .query_async(&mut connection)
        .await
        .unwrap();
    assert!(!keys.is_empty());
    for key in &keys {
        assert!(key.starts_with(other.namespace()), "{key}");
        assert!(!key.contains(c::TRANSAK_API_KEY), "{key}");
        assert!(!key.contains(&token), "{key}");
    }
}

#[tokio::test]
async fn a_receiver_verifies_with_what_another_process_refreshed_and_what_it_replaced() {
    use ramp_transak::{HeaderMap, TokenStore as _};
    if in_child() {
        return;
    }
    let redis = RedisServer::start();
    let env = environment("http://127.0.0.1:1/", "http://127.0.0.1:1/");
    // The widget process saved tok_1, then a refresh replaced it with tok_2.
    let widgets = store(
        &redis.url(),
        &env,
        WhenUnavailable::FailClosed,
        Duration::from_secs(10),
    );
    let far = ramp_transak::OffsetDateTime::now_utc() + Duration::from_secs(3600);
    for token in ["tok_1", "tok_2"] {
        widgets
            .save(ramp_transak::AccessToken::new(
                SecretString::from(token),
                far,
            ))
            .await
            .unwrap();
    }
    // The receiver, another process, never fetched a token (Transak is unreachable here).
    let receiver = client_with(
        store(
            &redis.url(),
            &env,
            WhenUnavailable::FailClosed,
            Duration::from_secs(10),
        ),
        env.clone(),
        0,
    );
    let payload = serde_json::json!({
        "eventID": "ORDER_COMPLETED",
        "webhookData": {"id": "ord-1", "status": "COMPLETED"}
    });
    for (token, accepted) in [("tok_2", true), ("tok_1", true), ("tok_0", false)] {
        let delivery =
            ramp_transak::webhook::test_util::signed_webhook(&payload, &SecretString::from(token));
        let verified = receiver
            .verify_webhook(&delivery.body, &HeaderMap::new())
            .await;
        assert_eq!(verified.is_ok(), accepted, "{token}: {verified:?}");
    }
    assert_eq!(
        ramp_transak::redis_store::PREVIOUS_GRACE,
        Duration::from_secs(15 * 60)
    );
}
