//! `ramp track`: one JSON line per status change, exit 0 after a final status.

use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Answers `GET route` with each body in turn (the last one for every read after).
async fn answers_in_turn(
    server: &MockServer,
    route: &str,
    auth: Option<&str>,
    bodies: Vec<String>,
) {
    for (i, body) in bodies.into_iter().enumerate() {
        let mock = Mock::given(method("GET")).and(path(route));
        let mock = match auth {
            Some(value) => mock.and(header("authorization", value)),
            None => mock,
        };
        mock.respond_with(ResponseTemplate::new(200).set_body_string(body))
            .up_to_n_times(1)
            .with_priority(u8::try_from(i + 1).unwrap())
            .mount(server)
            .await;
    }
}

/// `ramp track ARGS --interval-ms 10` with the secret in `env`: asserts it exits 0, and
/// returns what it printed.
async fn track(args: Vec<String>, env: (&'static str, &'static str)) -> String {
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_ramp"))
            .arg("track")
            .args(args)
            .args(["--interval-ms", "10"])
            .env(env.0, env.1)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|a| (*a).to_owned()).collect()
}

#[tokio::test]
async fn track_prints_each_change_and_exits_after_the_final_status() {
    let server = MockServer::start().await;
    let bodies = ["pending", "pending", "completed"]
        .map(|status| format!(r#"{{"merchant_transaction_id":"tx-1","status":"{status}"}}"#));
    answers_in_turn(
        &server,
        "/widget/transactions/tx-1",
        Some("Bearer tok_track"),
        bodies.to_vec(),
    )
    .await;
    let printed = track(
        args(&[
            "proof",
            "tx-1",
            "--base-url",
            &server.uri(),
            "--token-env",
            "TRACK_PROOF_TOKEN",
        ]),
        ("TRACK_PROOF_TOKEN", "tok_track"),
    )
    .await;
    assert_eq!(
        printed,
        concat!(
            r#"{"provider":"proof","order_id":"tx-1","status":"pending","provider_status":"pending"}"#,
            "\n",
            r#"{"provider":"proof","order_id":"tx-1","status":"completed","provider_status":"completed"}"#,
            "\n"
        )
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn track_koinal_reads_with_the_customers_hash_until_completed() {
    let server = MockServer::start().await;
    let bodies = ["PAYMENT_WAITING", "COMPLETED"].map(|status| {
        format!(
            r#"{{"data":{{"order_id":12,"status":"{status}","total_amount":"1000.00","currency_code":"USD","cryptocurrency_amount":"0.1","cryptocurrency_code":"BTC","blockchain_tx_id":null}},"code":"00","message":"APPROVED","status":"APPROVED"}}"#
        )
    });
    answers_in_turn(&server, "/orders/12/status", None, bodies.to_vec()).await;
    let printed = track(
        args(&[
            "koinal",
            "12",
            "--base-url",
            &server.uri(),
            "--merchant-code",
            "1000",
            "--customer-reference",
            "User1",
            "--secret-env",
            "TRACK_KOINAL_SECRET",
        ]),
        ("TRACK_KOINAL_SECRET", "11qq22ww"),
    )
    .await;
    let lines: Vec<serde_json::Value> = printed
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let statuses: Vec<(&str, &str, &str)> = lines
        .iter()
        .map(|l| {
            (
                l["status"].as_str().unwrap(),
                l["provider_status"].as_str().unwrap(),
                l["partner_reference"].as_str().unwrap(),
            )
        })
        .collect();
    // Each event names the customer it was read for (Koinal's report does not).
    assert_eq!(
        statuses,
        [
            ("pending", "PAYMENT_WAITING", "User1"),
            ("completed", "COMPLETED", "User1")
        ]
    );
    // Each read carries the customer's Hash header.
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|r| r.headers.contains_key("hash")));
}
