//! The `ramp` binary: exit codes and output.

use std::process::Command;

fn ramp() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ramp"))
}

#[test]
fn demo_runs_every_provider_and_exits_zero() {
    let output = ramp().arg("demo").output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for provider in ["kryptonim", "proof", "transak", "koinal", "onramper"] {
        assert!(
            stdout.contains(&format!("\n{provider}\n")),
            "{provider} missing:\n{stdout}"
        );
    }
    // One step per provider, and Onramper's Checkout V2 besides its widget URL.
    assert_eq!(stdout.matches("  ok    ").count(), 6, "{stdout}");
    assert!(
        stdout.contains("  ok    quote, then start a Checkout V2 session (V2-signed): session "),
        "{stdout}"
    );
    assert!(
        !stdout.contains("resume="),
        "the redirect URL's token was printed"
    );
    assert!(!stdout.contains("FAIL"), "{stdout}");
    assert!(stdout.ends_with("all 5 providers succeeded\n"), "{stdout}");
}

#[test]
fn the_sandbox_on_a_taken_port_is_a_clear_failure() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let output = ramp()
        .args(["sandbox", "--port", &port.to_string()])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with(&format!(
            "ramp: could not start the sandbox on port {port}:"
        )),
        "{stderr}"
    );
}

#[test]
fn an_unknown_command_is_a_usage_error() {
    let output = ramp().arg("launch").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let help = ramp().arg("--help").output().unwrap();
    let text = String::from_utf8(help.stdout).unwrap();
    assert!(text.contains("demo") && text.contains("sandbox"), "{text}");
}

mod tools {
    use std::io::Write;
    use std::process::{Command, Output, Stdio};

    use ramp_sandbox::{Sandbox, credentials as c};

    /// Runs `ramp` with `args`, secrets in the environment, `stdin` piped in.
    fn run(args: &[&str], env: &[(&str, &str)], stdin: &[u8]) -> Output {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ramp"))
            .args(args)
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(stdin).unwrap();
        child.wait_with_output().unwrap()
    }

    /// Runs a command off the async runtime (the sandbox lives on it).
    async fn run_async(args: Vec<String>, env: Vec<(String, String)>, stdin: Vec<u8>) -> Output {
        tokio::task::spawn_blocking(move || {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let env: Vec<(&str, &str)> =
                env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            run(&args, &env, &stdin)
        })
        .await
        .unwrap()
    }

    fn text(bytes: &[u8]) -> String {
        String::from_utf8_lossy(bytes).into_owned()
    }

    /// No output, error or JSON contains any of `secrets`.
    fn clean(output: &Output, secrets: &[&str]) {
        for secret in secrets {
            assert!(!text(&output.stdout).contains(secret), "secret in stdout");
            assert!(!text(&output.stderr).contains(secret), "secret in stderr");
        }
    }

    #[test]
    fn each_secret_flag_says_which_secret_it_takes() {
        for (args, secrets) in [
            (
                &["kryptonim", "create-session", "--help"][..],
                &[
                    "The environment variable holding the Kryptonim API key",
                    "The environment variable holding the Kryptonim signature secret",
                ][..],
            ),
            (
                &["koinal", "verify-callback", "--help"],
                &["A file holding the Koinal callback secret"],
            ),
            (
                &["koinal", "hash", "--help"],
                &["The environment variable holding the Koinal merchant secret"],
            ),
            (
                &["onramper", "verify-webhook", "--help"],
                &["The environment variable holding the Onramper webhook secret"],
            ),
            (
                &["onramper", "sign", "--help"],
                &["Onramper V1 signing secret (not the API key)"],
            ),
            (
                &["transak", "token", "--help"],
                &[
                    "The environment variable holding the Transak API key",
                    "The environment variable holding the Transak API secret",
                ],
            ),
            (
                &["proof", "session", "--help"],
                &["The environment variable holding the Proof client token"],
            ),
        ] {
            let output = run(args, &[], b"");
            assert!(
                output.status.success(),
                "{args:?}: {}",
                text(&output.stderr)
            );
            let help = text(&output.stdout);
            for secret in secrets {
                assert!(help.contains(secret), "{args:?}: {secret:?} not in\n{help}");
            }
        }
        // A missing secret is named too.
        let output = run(&["kryptonim", "sign"], &[], b"{}");
        assert!(
            text(&output.stderr).contains(
                "the Kryptonim signature secret (the X-Request-Signature key) is required: \
                 --secret-env NAME or --secret-file PATH"
            ),
            "{}",
            text(&output.stderr)
        );
    }

    #[test]
    fn the_transak_environment_is_one_of_its_names() {
        let output = run(&["transak", "token", "--environment", "sandbox"], &[], b"");
        assert_eq!(output.status.code(), Some(2));
        let stderr = text(&output.stderr);
        assert!(
            stderr.contains("invalid value 'sandbox' for '--environment <ENVIRONMENT>'")
                && stderr.contains("[possible values: staging, production]"),
            "{stderr}"
        );
    }

    fn strings(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn kryptonim_sign_prints_the_seed_signature() {
        let body = br#"{"fiatAmount":15,"fiatCurrency":"EUR","cryptoCurrency":"USDC","network":"polygon","destinationAddress":"0x977BC1915dA4f7edA9D2e49BC08356db37478538"}"#;
        let env = [("KRYPTONIM_SECRET", "your_signature_secret")];
        let output = run(
            &["kryptonim", "sign", "--secret-env", "KRYPTONIM_SECRET"],
            &env,
            body,
        );
        assert!(output.status.success());
        assert_eq!(
            text(&output.stdout),
            "89bb1986a2abdef1aae173026af1c04ab07b0366ea7c5c67be96c44168053fab\n"
        );
        clean(&output, &["your_signature_secret"]);
        let json = run(
            &[
                "--json",
                "kryptonim",
                "sign",
                "--secret-env",
                "KRYPTONIM_SECRET",
            ],
            &env,
            body,
        );
        assert_eq!(
            text(&json.stdout),
            "{\"signature\":\"89bb1986a2abdef1aae173026af1c04ab07b0366ea7c5c67be96c44168053fab\"}\n"
        );
    }

    #[test]
    fn a_missing_secret_is_an_error_naming_the_variable() {
        let output = run(
            &["kryptonim", "sign", "--secret-env", "RAMP_TEST_UNSET_VAR"],
            &[],
            b"{}",
        );
        assert_eq!(output.status.code(), Some(1));
        assert!(
            text(&output.stderr).contains("RAMP_TEST_UNSET_VAR"),
            "{}",
            text(&output.stderr)
        );
        let output = run(&["kryptonim", "sign"], &[], b"{}");
        assert_eq!(output.status.code(), Some(1));
        assert!(text(&output.stderr).contains("--secret-env NAME or --secret-file PATH"));
    }

    #[test]
    fn a_secret_pasted_as_the_variable_name_is_not_echoed() {
        for pasted in [
            "sk-live-51H8xPaSt3d",
            "eyJhbGciOi.Jz.dA",
            "0123456789abcdef",
        ] {
            let output = run(&["kryptonim", "sign", "--secret-env", pasted], &[], b"{}");
            assert_eq!(output.status.code(), Some(1));
            let stderr = text(&output.stderr);
            assert!(stderr.contains("not a variable name"), "{stderr}");
            clean(&output, &[pasted]);
        }
    }

    #[test]
    fn a_secret_cannot_be_given_as_an_argument() {
        let output = run(&["kryptonim", "sign", "--secret", "hunter2"], &[], b"{}");
        assert_eq!(output.status.code(), Some(2));
    }

    #[test]
    fn onramper_sign_and_verify_round_trip_and_a_tampered_url_fails() {
        let env = [("ONRAMPER_SECRET", "onramper-signing-secret-42")];
        let unsigned = "https://buy.onramper.com/?apiKey=pk_test_x&wallets=btc:1Lbcfr7sAHTD9CgdQo3HTMTkV8LK4ZnX71";
        let signed = run(
            &[
                "onramper",
                "sign-url",
                unsigned,
                "--secret-env",
                "ONRAMPER_SECRET",
            ],
            &env,
            b"",
        );
        assert!(signed.status.success());
        let url = text(&signed.stdout).trim().to_owned();
        assert!(
            url.starts_with(unsigned) && url.contains("&signature="),
            "{url}"
        );
        let ok = run(
            &[
                "onramper",
                "verify-url",
                &url,
                "--secret-env",
                "ONRAMPER_SECRET",
            ],
            &env,
            b"",
        );
        assert_eq!(text(&ok.stdout), "valid\n");
        let tampered = url.replace("1Lbc", "1XXX");
        let bad = run(
            &[
                "--json",
                "onramper",
                "verify-url",
                &tampered,
                "--secret-env",
                "ONRAMPER_SECRET",
            ],
            &env,
            b"",
        );
        assert_eq!(bad.status.code(), Some(1));
        assert!(
            text(&bad.stderr).starts_with("{\"error\":\"signature refused"),
            "{}",
            text(&bad.stderr)
        );
        clean(&bad, &["onramper-signing-secret-42"]);
    }

    #[test]
    fn koinal_hash_reproduces_the_seed_and_verify_callback_checks_the_body() {
        let dir = std::env::temp_dir().join(format!("ramp-cli-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let secret_file = dir.join("koinal-secret");
        std::fs::write(&secret_file, "11qq22ww\n").unwrap();
        let hash = run(
            &[
                "koinal",
                "hash",
                "--merchant-code",
                "1000",
                "--customer-reference",
                "User1",
                "--timestamp",
                "1000",
                "--secret-file",
                secret_file.to_str().unwrap(),
            ],
            &[],
            b"",
        );
        assert!(hash.status.success());
        assert!(text(&hash.stdout).starts_with("eyJtZXJjaGFudF9jb2RlIjoxMDAwLCJjdXN0b21lcl9yZWZlcmVuY2UiOiJVc2VyMSIsInRpbWVzdGFtcCI6IjEwMDAiLCJzaWduYXR1cmUiOiI2NjQyZmIxYmY2MDg0ZDNiZmEwZGViODNmOGZlNzFkMWM3YTczMDExOTUwMjI5MzJhMTAzYjFkOTczMWEwNTZiIn0=\n"));
        clean(&hash, &["11qq22ww"]);

        let body = br#"{"order_id":12,"status":"COMPLETED","customer_reference":"User1","crypto_amount":0.1,"cryptocurrency_code":"BTC","address":"bc1q"}"#;
        // Koinal's signature under the HMAC reading, computed by hand.
        let signature =
            ramp_core::hmac_sha256_hex(b"cb-secret", &[&body[..], b"cb-secret"].concat());
        let env = [("KOINAL_CALLBACK_SECRET", "cb-secret")];
        let ok = run(
            &[
                "koinal",
                "verify-callback",
                "--signature",
                &signature,
                "--secret-env",
                "KOINAL_CALLBACK_SECRET",
            ],
            &env,
            body,
        );
        assert!(ok.status.success(), "{}", text(&ok.stderr));
        assert_eq!(
            text(&ok.stdout),
            "valid: order 12 COMPLETED (0.1 BTC to bc1q)\n"
        );
        let other = run(
            &[
                "koinal",
                "verify-callback",
                "--scheme",
                "sha256",
                "--signature",
                &signature,
                "--secret-env",
                "KOINAL_CALLBACK_SECRET",
            ],
            &env,
            body,
        );
        assert_eq!(other.status.code(), Some(1));
        assert!(
            text(&other.stderr).contains("matches CallbackScheme::HmacBodyPlusSecret"),
            "{}",
            text(&other.stderr)
        );
        clean(&other, &["cb-secret"]);
        std::fs::remove_dir_all(dir).unwrap();
    }

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
        let loaded: serde_json::Value =
            serde_json::from_slice(&loaded.bytes().await.unwrap()).unwrap();
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
}

mod trigger {
    use ramp_sandbox::{Sandbox, credentials as c};
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    // Several threads: the sandbox, the receiving endpoint and the child process's calls all
    // need the runtime while the test waits.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn trigger_makes_a_running_sandbox_deliver_a_signed_callback() {
        let sandbox = Sandbox::start().await.unwrap();
        let endpoint = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(204))
            .mount(&endpoint)
            .await;
        let koinal = ramp_koinal::Client::builder(
            url::Url::parse(&sandbox.koinal_url()).unwrap(),
            c::KOINAL_MERCHANT_CODE,
            ramp_core::SecretString::from(c::KOINAL_SECRET),
        )
        .build()
        .unwrap();
        let quote = koinal
            .quote(
                "User1",
                &ramp_koinal::QuoteRequest::builder()
                    .cryptocurrency("BTC")
                    .currency("USD")
                    .currency_amount(ramp_koinal::Decimal::from(100))
                    .build()
                    .unwrap(),
            )
            .await
            .unwrap();
        let order = koinal
            .create_order(
                "User1",
                &quote
                    .order("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq")
                    .build()
                    .unwrap(),
            )
            .await
            .unwrap();
        let args = vec![
            "trigger".to_owned(),
            "koinal-callback".to_owned(),
            "--id".to_owned(),
            order.order_id.clone(),
            "--to".to_owned(),
            endpoint.uri(),
            "--sandbox".to_owned(),
            format!("http://{}/", sandbox.addr()),
        ];
        let output = tokio::task::spawn_blocking(move || {
            std::process::Command::new(env!("CARGO_BIN_EXE_ramp"))
                .args(&args)
                .output()
                .unwrap()
        })
        .await
        .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(String::from_utf8_lossy(&output.stdout).contains("HTTP 204"));
        let received = endpoint.received_requests().await.unwrap();
        let signature = received[0]
            .headers
            .get("signature")
            .unwrap()
            .to_str()
            .unwrap();
        let expected = ramp_core::hmac_sha256_hex(
            c::KOINAL_CALLBACK_SECRET.as_bytes(),
            &[&received[0].body[..], c::KOINAL_CALLBACK_SECRET.as_bytes()].concat(),
        );
        assert_eq!(signature, expected);

        let unknown = std::process::Command::new(env!("CARGO_BIN_EXE_ramp"))
            .args([
                "trigger",
                "koinal-callback",
                "--id",
                "999",
                "--to",
                "http://127.0.0.1:9/",
                "--sandbox",
            ])
            .arg(format!("http://{}/", sandbox.addr()))
            .output()
            .unwrap();
        assert_eq!(unknown.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&unknown.stderr).contains("no Koinal order \"999\""));
    }
}

#[test]
fn address_check_prints_the_parsed_form_or_the_reason() {
    let check = |network: &str, address: &str| {
        ramp()
            .args(["address", "check", network, address])
            .output()
            .unwrap()
    };
    for (network, address, printed) in [
        (
            "ethereum",
            "0x977bc1915da4f7eda9d2e49bc08356db37478538",
            "0x977BC1915dA4f7edA9D2e49BC08356db37478538",
        ),
        (
            "polygon",
            "0x977BC1915dA4f7edA9D2e49BC08356db37478538",
            "0x977BC1915dA4f7edA9D2e49BC08356db37478538",
        ),
        (
            "evm",
            "0x977BC1915dA4f7edA9D2e49BC08356db37478538",
            "0x977BC1915dA4f7edA9D2e49BC08356db37478538",
        ),
        (
            "bitcoin",
            "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
            "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
        ),
        (
            "bitcoin-testnet",
            "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7",
            "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7",
        ),
        (
            "TRC20",
            "TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL",
            "TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL",
        ),
        (
            "tron",
            "TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL",
            "TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL",
        ),
        (
            "solana",
            "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA",
            "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA",
        ),
    ] {
        let output = check(network, address);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{network} {address}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(
            String::from_utf8(output.stdout).unwrap(),
            format!("{printed}\n")
        );
    }
    for (network, address, reason) in [
        (
            "ethereum",
            "0x977BC1915dA4f7edA9D2e49BC08356db37478539",
            "ramp: not a valid EVM address: the EIP-55 checksum (the case of its letters) does not match\n",
        ),
        (
            "bitcoin",
            "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7",
            "ramp: not a valid Bitcoin address: it is a testnet address, and a mainnet one is needed\n",
        ),
        (
            "tron",
            "TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeM",
            "ramp: not a valid Tron address: the Base58Check checksum does not match\n",
        ),
    ] {
        let output = check(network, address);
        assert_eq!(output.status.code(), Some(1));
        assert!(output.stdout.is_empty());
        assert_eq!(String::from_utf8(output.stderr).unwrap(), reason);
    }
    let unknown = check("stellar", "GA5Z");
    assert_eq!(unknown.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("unknown network \"stellar\""));
}
