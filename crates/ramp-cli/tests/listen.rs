//! `ramp listen`: verified, normalized events as JSON lines on standard output, each once;
//! refused deliveries print nothing.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const SECRET: &str = "cb_listen_secret";
const BODY: &str = r#"{"order_id":77,"status":"COMPLETED","customer_reference":"User1","crypto_amount":0.5,"cryptocurrency_code":"BTC","address":"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"}"#;

fn koinal_signature(body: &[u8]) -> String {
    // Koinal's HMAC reading, computed here: HMAC-SHA256(secret, body + secret), hex.
    ramp_core::hmac_sha256_hex(SECRET.as_bytes(), &[body, SECRET.as_bytes()].concat())
}

/// A running `ramp listen`: its process, the URL of its first route, and what it wrote to
/// standard error so far (read by a thread, so the listener never writes to a closed pipe).
struct Listener {
    child: std::process::Child,
    url: String,
    stderr: Arc<Mutex<Vec<String>>>,
}

/// `ramp listen` for Koinal with `store`, and the URL of its route.
fn listen(store: &str) -> (std::process::Child, String) {
    let listener = listen_with(&["--store", store], &[]);
    (listener.child, listener.url)
}

/// `ramp listen` for Koinal, with `args` besides and `env` set.
fn listen_with(args: &[&str], env: &[(&str, &str)]) -> Listener {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ramp"))
        .args([
            "listen",
            "--port",
            "0",
            "--koinal-callback-secret-env",
            "LISTEN_KOINAL_SECRET",
        ])
        .args(args)
        .env("LISTEN_KOINAL_SECRET", SECRET)
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = Arc::new(Mutex::new(Vec::new()));
    let (first, url) = std::sync::mpsc::channel();
    let lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let seen = Arc::clone(&stderr);
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            if line.starts_with("ramp listen: POST ") {
                let _ = first.send(line.clone());
            }
            seen.lock().unwrap().push(line);
        }
    });
    let line = url
        .recv_timeout(Duration::from_secs(30))
        .unwrap_or_else(|_| panic!("{:?}", stderr.lock().unwrap()));
    let url = line
        .trim()
        .strip_prefix("ramp listen: POST ")
        .unwrap()
        .to_owned();
    assert!(url.ends_with("/koinal"), "{url}");
    Listener { child, url, stderr }
}

async fn post(url: &str, body: &str, signature: String) -> u16 {
    ramp_core::http::reqwest::Client::new()
        .post(url)
        .header("Signature", signature)
        .body(body.to_owned())
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

fn stop(mut child: std::process::Child) -> String {
    child.kill().unwrap();
    String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap()
}

#[tokio::test]
async fn with_redis_an_event_handled_before_a_restart_is_a_duplicate_after_it() {
    let redis = ramp_testkit::RedisServer::start();
    let (first, url) = listen(&redis.url());
    assert_eq!(
        post(&url, BODY, koinal_signature(BODY.as_bytes())).await,
        200
    );
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(stop(first).lines().count(), 1);
    let (second, url) = listen(&redis.url());
    assert_eq!(
        post(&url, BODY, koinal_signature(BODY.as_bytes())).await,
        200
    );
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(
        stop(second),
        "",
        "handled before the restart: nothing printed"
    );
}

#[tokio::test]
async fn listen_prints_each_verified_event_once_and_nothing_else() {
    let (child, url) = listen("memory");
    assert_eq!(post(&url, BODY, "0".repeat(64)).await, 401);
    assert_eq!(
        post(&url, BODY, koinal_signature(BODY.as_bytes())).await,
        200
    );
    assert_eq!(
        post(&url, BODY, koinal_signature(BODY.as_bytes())).await,
        200
    );
    let unconfigured = ramp_core::http::reqwest::Client::new()
        .post(url.replace("/koinal", "/transak"))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(unconfigured.status().as_u16(), 404);

    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        stop(child),
        "{\"provider\":\"koinal\",\"order_id\":\"77\",\"status\":\"completed\",\"provider_status\":\"COMPLETED\",\"crypto\":{\"amount\":0.5,\"currency\":\"BTC\"},\"wallet_address\":\"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq\",\"partner_reference\":\"User1\"}\n"
    );
}

#[test]
fn listen_without_a_provider_says_what_to_configure() {
    let out = Command::new(env!("CARGO_BIN_EXE_ramp"))
        .args(["listen", "--port", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("configure at least one provider"),
        "{stderr}"
    );
}

#[tokio::test]
async fn listen_stops_non_zero_when_its_standard_output_closes_and_acknowledges_nothing_unprinted()
{
    let mut listener = listen_with(&[], &[]);
    // The reader goes away (`ramp listen | head -1` after its line).
    drop(listener.child.stdout.take());
    // Before, this was answered 500 for ever and the process stayed up.
    assert_eq!(
        post(&listener.url, BODY, koinal_signature(BODY.as_bytes())).await,
        500
    );
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = listener.child.try_wait().unwrap() {
            break status;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "still running");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(1));
    let stderr = listener.stderr.lock().unwrap().join("\n");
    assert!(stderr.contains("standard output closed"), "{stderr}");
}

#[tokio::test]
async fn with_postgres_an_event_handled_before_a_restart_is_a_duplicate_after_it() {
    let postgres = ramp_testkit::PostgresServer::start();
    let (first, url) = listen(&postgres.url());
    assert_eq!(
        post(&url, BODY, koinal_signature(BODY.as_bytes())).await,
        200
    );
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(stop(first).lines().count(), 1);
    let (second, url) = listen(&postgres.url().replace("postgres://", "postgresql://"));
    assert_eq!(
        post(&url, BODY, koinal_signature(BODY.as_bytes())).await,
        200
    );
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(stop(second), "", "handled before the restart");
}

#[tokio::test]
async fn listen_track_prints_what_the_tracker_reads_like_what_was_pushed() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let proof = MockServer::start().await;
    let tx = |status: &str| {
        ResponseTemplate::new(200).set_body_string(format!(
            r#"{{"merchant_transaction_id":"tx-t","status":"{status}"}}"#
        ))
    };
    Mock::given(method("GET"))
        .and(path("/widget/transactions/tx-t"))
        .respond_with(tx("pending"))
        .up_to_n_times(2)
        .mount(&proof)
        .await;
    Mock::given(method("GET"))
        .and(path("/widget/transactions/tx-t"))
        .respond_with(tx("completed"))
        .mount(&proof)
        .await;
    let listener = listen_with(
        &[
            "--proof-base-url",
            &proof.uri(),
            "--proof-token-env",
            "LISTEN_PROOF_TOKEN",
            "--track",
            "--track-interval-ms",
            "200",
            "--keep",
            "2s",
        ],
        &[("LISTEN_PROOF_TOKEN", "tok")],
    );
    let answer = ramp_core::http::reqwest::Client::new()
        .post(listener.url.replace("/koinal", "/proof"))
        .body(r#"{"merchant_transaction_id":"tx-t","status":"pending"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 200);
    // No push comes for completed: the tracker reads it.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let stderr = listener.stderr.lock().unwrap().join("\n");
    assert!(
        stderr.contains("following the orders of proof (first read after 200 ms)"),
        "{stderr}"
    );
    let printed = stop(listener.child);
    let statuses: Vec<String> = printed
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap()["status"].to_string())
        .collect();
    assert_eq!(statuses, [r#""pending""#, r#""completed""#], "{printed}");
}

#[test]
fn listen_refuses_a_keep_without_its_unit() {
    let out = Command::new(env!("CARGO_BIN_EXE_ramp"))
        .args(["listen", "--port", "0", "--keep", "30"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("give a unit"), "{stderr}");
}

/// Koinal's other reading of its signature: SHA-256(body + secret), hex.
fn koinal_sha256_signature(body: &[u8]) -> String {
    ramp_core::sha256_hex(&[body, SECRET.as_bytes()].concat())
}

/// The value of the Prometheus sample `name{labels}` in `text`, if present.
fn sample(text: &str, name_and_labels: &str) -> Option<u64> {
    text.lines()
        .find_map(|line| line.strip_prefix(name_and_labels))
        .and_then(|value| value.trim().parse().ok())
}

#[tokio::test]
async fn listen_logs_each_refusal_with_its_cause_to_stderr_and_counts_every_delivery_once() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let metrics_addr = format!("127.0.0.1:{port}");
    let listener = listen_with(&["--metrics-addr", &metrics_addr], &[]);
    let genuine = koinal_signature(BODY.as_bytes());
    // Signed under Koinal's other scheme, then not signed for this body at all.
    assert_eq!(
        post(
            &listener.url,
            BODY,
            koinal_sha256_signature(BODY.as_bytes())
        )
        .await,
        401
    );
    assert_eq!(post(&listener.url, BODY, "0".repeat(64)).await, 401);
    assert_eq!(post(&listener.url, BODY, genuine.clone()).await, 200);
    assert_eq!(post(&listener.url, BODY, genuine).await, 200);
    let too_large = "x".repeat(70 * 1024);
    assert_eq!(post(&listener.url, &too_large, "0".repeat(64)).await, 413);

    let metrics = ramp_core::http::reqwest::get(format!("http://{metrics_addr}/metrics"))
        .await
        .unwrap();
    assert_eq!(metrics.status().as_u16(), 200);
    let text = metrics.text().await.unwrap();
    let deliveries = |outcome: &str| {
        sample(
            &text,
            &format!("ramp_webhook_deliveries_total{{provider=\"koinal\",outcome=\"{outcome}\"}}"),
        )
    };
    assert_eq!(deliveries("refused"), Some(2), "{text}");
    assert_eq!(deliveries("handled"), Some(1), "{text}");
    // Completed is final: the redelivery finds the order ended.
    assert_eq!(deliveries("ended"), Some(1), "{text}");
    assert_eq!(deliveries("too_large"), Some(1), "{text}");

    let stderr = listener.stderr.lock().unwrap().join("\n");
    let refusals: Vec<&str> = stderr
        .lines()
        .filter(|line| line.contains("a delivery was refused"))
        .collect();
    assert_eq!(refusals.len(), 2, "{stderr}");
    assert!(
        refusals
            .iter()
            .all(|line| line.contains("WARN") && line.contains("provider=\"koinal\"")),
        "{stderr}"
    );
    assert!(
        refusals[0].contains("Sha256BodyPlusSecret"),
        "the scheme that matched instead is named: {}",
        refusals[0]
    );
    assert!(
        refusals[1].contains("does not match the body"),
        "{}",
        refusals[1]
    );
    assert!(!stderr.contains(SECRET), "no secret is logged: {stderr}");
    let printed = stop(listener.child);
    assert_eq!(
        printed.lines().count(),
        1,
        "standard output holds events only: {printed}"
    );
}
