//! `ramp listen`: verified, normalized events as JSON lines on standard output, each once;
//! refused deliveries print nothing.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

const SECRET: &str = "cb_listen_secret";
const BODY: &str = r#"{"order_id":77,"status":"COMPLETED","customer_reference":"User1","crypto_amount":0.5,"cryptocurrency_code":"BTC","address":"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"}"#;

fn koinal_signature(body: &[u8]) -> String {
    // Koinal's HMAC reading, computed here: HMAC-SHA256(secret, body + secret), hex.
    ramp_core::hmac_sha256_hex(SECRET.as_bytes(), &[body, SECRET.as_bytes()].concat())
}

/// `ramp listen` for Koinal with `store`, and the URL of its route.
fn listen(store: &str) -> (std::process::Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ramp"))
        .args([
            "listen",
            "--port",
            "0",
            "--store",
            store,
            "--koinal-callback-secret-env",
            "LISTEN_KOINAL_SECRET",
        ])
        .env("LISTEN_KOINAL_SECRET", SECRET)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    stderr.read_line(&mut first).unwrap();
    let url = first
        .trim()
        .strip_prefix("ramp listen: POST ")
        .unwrap_or_else(|| panic!("{first}"))
        .to_owned();
    assert!(url.ends_with("/koinal"), "{url}");
    (child, url)
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
