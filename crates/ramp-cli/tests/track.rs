//! `ramp track`: one JSON line per status change, exit 0 after a final status.

use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn track_prints_each_change_and_exits_after_the_final_status() {
    let server = MockServer::start().await;
    for (i, status) in ["pending", "pending", "completed"].into_iter().enumerate() {
        Mock::given(method("GET"))
            .and(path("/widget/transactions/tx-1"))
            .and(header("authorization", "Bearer tok_track"))
            .respond_with(ResponseTemplate::new(200).set_body_string(format!(
                r#"{{"merchant_transaction_id":"tx-1","status":"{status}"}}"#
            )))
            .up_to_n_times(1)
            .with_priority(u8::try_from(i + 1).unwrap())
            .mount(&server)
            .await;
    }
    let uri = server.uri();
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_ramp"))
            .args([
                "track",
                "proof",
                "tx-1",
                "--base-url",
                &uri,
                "--token-env",
                "TRACK_PROOF_TOKEN",
                "--interval-ms",
                "10",
            ])
            .env("TRACK_PROOF_TOKEN", "tok_track")
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
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
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
    for (i, status) in ["PAYMENT_WAITING", "COMPLETED"].into_iter().enumerate() {
        Mock::given(method("GET"))
            .and(path("/orders/12/status"))
            .respond_with(ResponseTemplate::new(200).set_body_string(format!(
                r#"{{"data":{{"order_id":12,"status":"{status}","total_amount":"1000.00","currency_code":"USD","cryptocurrency_amount":"0.1","cryptocurrency_code":"BTC","blockchain_tx_id":null}},"code":"00","message":"APPROVED","status":"APPROVED"}}"#
            )))
            .up_to_n_times(1)
            .with_priority(u8::try_from(i + 1).unwrap())
            .mount(&server)
            .await;
    }
    let uri = server.uri();
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_ramp"))
            .args([
                "track",
                "koinal",
                "12",
                "--base-url",
                &uri,
                "--merchant-code",
                "1000",
                "--customer-reference",
                "User1",
                "--secret-env",
                "TRACK_KOINAL_SECRET",
                "--interval-ms",
                "10",
            ])
            .env("TRACK_KOINAL_SECRET", "11qq22ww")
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
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let statuses: Vec<(&str, &str)> = lines
        .iter()
        .map(|l| {
            (
                l["status"].as_str().unwrap(),
                l["provider_status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        statuses,
        [("pending", "PAYMENT_WAITING"), ("completed", "COMPLETED")]
    );
    // Each read carries the customer's Hash header.
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|r| r.headers.contains_key("hash")));
}
