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
