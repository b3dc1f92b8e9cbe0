use super::*;

#[tokio::test]
async fn api_commands_work_against_the_sandbox_and_fail_with_the_providers_message() {
    let sandbox = Sandbox::start().await.unwrap();
    let env = vec![
        ("K_KEY".to_owned(), c::KRYPTONIM_API_KEY.to_owned()),
        (
            "K_SECRET".to_owned(),
            c::KRYPTONIM_SIGNATURE_SECRET.to_owned(),
        ),
        ("K_WRONG".to_owned(), "wrong-kryptonim-secret".to_owned()),
        ("T_KEY".to_owned(), c::TRANSAK_API_KEY.to_owned()),
        ("T_SECRET".to_owned(), c::TRANSAK_API_SECRET.to_owned()),
        ("P_TOKEN".to_owned(), c::PROOF_CLIENT_TOKEN.to_owned()),
    ];
    let secrets = [
        c::KRYPTONIM_API_KEY,
        c::KRYPTONIM_SIGNATURE_SECRET,
        "wrong-kryptonim-secret",
        c::TRANSAK_API_SECRET,
        c::PROOF_CLIENT_TOKEN,
    ];
    let request = br#"{"fiatAmount":15,"fiatCurrency":"EUR","cryptoCurrency":"USDC","network":"polygon","destinationAddress":"0x977BC1915dA4f7edA9D2e49BC08356db37478538"}"#.to_vec();

    let base = sandbox.kryptonim_url();
    let session = run_async(
        strings(&[
            "--json",
            "kryptonim",
            "create-session",
            "--base-url",
            &base,
            "--api-key-env",
            "K_KEY",
            "--secret-env",
            "K_SECRET",
        ]),
        env.clone(),
        request.clone(),
    )
    .await;
    assert!(session.status.success(), "{}", text(&session.stderr));
    let json: serde_json::Value = serde_json::from_slice(&session.stdout).unwrap();
    assert_eq!(json["sessionId"].as_str().unwrap().len(), 32);
    clean(&session, &secrets);

    let refused = run_async(
        strings(&[
            "kryptonim",
            "create-session",
            "--base-url",
            &base,
            "--api-key-env",
            "K_KEY",
            "--secret-env",
            "K_WRONG",
        ]),
        env.clone(),
        request,
    )
    .await;
    assert_eq!(refused.status.code(), Some(1));
    assert!(text(&refused.stderr).starts_with(
        "ramp: Kryptonim error UNAUTHORIZED (HTTP 401 Unauthorized): Unauthorized request"
    ));
    clean(&refused, &secrets);

    let (api, gateway) = (sandbox.transak_api_url(), sandbox.transak_gateway_url());
    let token = run_async(
        strings(&[
            "--json",
            "transak",
            "token",
            "--api-url",
            &api,
            "--gateway-url",
            &gateway,
            "--api-key-env",
            "T_KEY",
            "--secret-env",
            "T_SECRET",
        ]),
        env.clone(),
        Vec::new(),
    )
    .await;
    assert!(token.status.success(), "{}", text(&token.stderr));
    let json: serde_json::Value = serde_json::from_slice(&token.stdout).unwrap();
    // Without --reveal: a fingerprint and the expiry, never the token.
    assert!(json.get("accessToken").is_none(), "{json}");
    let fingerprint = json["fingerprint"].as_str().unwrap().to_owned();
    assert!(
        fingerprint.starts_with("sha256:") && fingerprint.len() == 23,
        "{json}"
    );
    assert!(
        !text(&token.stdout).contains("sandbox."),
        "the token was printed"
    );
    clean(&token, &secrets);
    let token = run_async(
        strings(&[
            "--json",
            "transak",
            "token",
            "--reveal",
            "--api-url",
            &api,
            "--gateway-url",
            &gateway,
            "--api-key-env",
            "T_KEY",
            "--secret-env",
            "T_SECRET",
        ]),
        env.clone(),
        Vec::new(),
    )
    .await;
    assert!(token.status.success(), "{}", text(&token.stderr));
    let json: serde_json::Value = serde_json::from_slice(&token.stdout).unwrap();
    let revealed = json["accessToken"].as_str().unwrap();
    assert!(revealed.starts_with("sandbox."), "{json}");
    assert_eq!(
        json["fingerprint"],
        format!(
            "sha256:{}",
            &ramp_core::sha256_hex(revealed.as_bytes())[..16]
        )
    );

    let widget = run_async(
        strings(&[
            "transak",
            "widget-url",
            "--api-url",
            &api,
            "--gateway-url",
            &gateway,
            "--referrer-domain",
            "yourdomain.com",
            "--user-ip",
            "203.0.113.9",
            "--api-key-env",
            "T_KEY",
            "--secret-env",
            "T_SECRET",
        ]),
        env.clone(),
        Vec::new(),
    )
    .await;
    assert!(widget.status.success(), "{}", text(&widget.stderr));
    let widget_url = text(&widget.stdout)
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    assert!(widget_url.contains("/transak/widget?sessionId="));
    clean(&widget, &secrets);
    let hosts_and_keys = [
        "--api-url",
        &api,
        "--gateway-url",
        &gateway,
        "--api-key-env",
        "T_KEY",
        "--secret-env",
        "T_SECRET",
    ];
    let without_ip = run_async(
        strings(
            &[
                &["transak", "widget-url", "--referrer-domain", "d.com"],
                &hosts_and_keys[..],
            ]
            .concat(),
        ),
        env.clone(),
        Vec::new(),
    )
    .await;
    assert_eq!(without_ip.status.code(), Some(2));
    assert!(text(&without_ip.stderr).contains("--user-ip <IP>"));

    // The loaded widget makes an order: read it, then list it.
    let loaded = ramp_core::http::reqwest::get(&widget_url).await.unwrap();
    let loaded: serde_json::Value = serde_json::from_slice(&loaded.bytes().await.unwrap()).unwrap();
    let order_id = loaded["orderId"].as_str().unwrap().to_owned();
    let order = run_async(
        strings(
            &[
                &["--json", "transak", "order", &order_id],
                &hosts_and_keys[..],
            ]
            .concat(),
        ),
        env.clone(),
        Vec::new(),
    )
    .await;
    assert!(order.status.success(), "{}", text(&order.stderr));
    let json: serde_json::Value = serde_json::from_slice(&order.stdout).unwrap();
    assert_eq!(json["id"], order_id.as_str());
    assert_eq!(json["status"], "AWAITING_PAYMENT_FROM_USER");
    clean(&order, &secrets);
    let orders = |extra: &[&str], json: bool| {
        let mut args = if json { vec!["--json"] } else { vec![] };
        args.extend(["transak", "orders"]);
        args.extend(extra);
        args.extend(hosts_and_keys);
        run_async(strings(&args), env.clone(), Vec::new())
    };
    let listed = orders(
        &["--status", "AWAITING_PAYMENT_FROM_USER", "--limit", "1"],
        false,
    )
    .await;
    assert!(listed.status.success(), "{}", text(&listed.stderr));
    assert_eq!(
        text(&listed.stdout),
        format!("{order_id} AWAITING_PAYMENT_FROM_USER\n")
    );
    let listed = orders(&["--status", "AWAITING_PAYMENT_FROM_USER"], true).await;
    let line: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(line["id"], order_id.as_str());
    assert_eq!(line["status"], "AWAITING_PAYMENT_FROM_USER");
    // Transak lists COMPLETED orders by default: none here, and nothing printed.
    let none = orders(&[], false).await;
    assert!(none.status.success(), "{}", text(&none.stderr));
    assert_eq!(text(&none.stdout), "");
    let refused = orders(&["--limit", "0"], false).await;
    assert_eq!(refused.status.code(), Some(1));
    assert_eq!(
        text(&refused.stderr),
        "ramp: invalid `limit`: must be from 1 to 100, got 0\n"
    );

    let proof_request = br#"{"partner_user_id":"user-123","user_email":"user@example.com","network":"TRC20","currency":"USDT","amount":"100"}"#.to_vec();
    let proof = run_async(
        strings(&[
            "proof",
            "session",
            "--base-url",
            &sandbox.proof_url(),
            "--origin",
            c::PROOF_ORIGIN,
            "--token-env",
            "P_TOKEN",
        ]),
        env.clone(),
        proof_request.clone(),
    )
    .await;
    assert!(proof.status.success(), "{}", text(&proof.stderr));
    assert!(text(&proof.stdout).contains("\"widgetId\""));
    clean(&proof, &secrets);

    let forbidden = run_async(
        strings(&[
            "proof",
            "session",
            "--base-url",
            &sandbox.proof_url(),
            "--origin",
            "https://evil.example",
            "--token-env",
            "P_TOKEN",
        ]),
        env,
        proof_request,
    )
    .await;
    assert_eq!(forbidden.status.code(), Some(1));
    assert!(
        text(&forbidden.stderr).contains("forbidden/forbidden_origin"),
        "{}",
        text(&forbidden.stderr)
    );
    clean(&forbidden, &secrets);
}
