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

#[tokio::test]
async fn listen_prints_each_verified_event_once_and_nothing_else() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ramp"))
        .args([
            "listen",
            "--port",
            "0",
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

    let http = ramp_core::http::reqwest::Client::new();
    let post = |body: &'static str, signature: String| {
        let (http, url) = (http.clone(), url.clone());
        async move {
            http.post(url)
                .header("Signature", signature)
                .body(body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(post(BODY, "0".repeat(64)).await, 401);
    assert_eq!(post(BODY, koinal_signature(BODY.as_bytes())).await, 200);
    assert_eq!(post(BODY, koinal_signature(BODY.as_bytes())).await, 200);
    let unconfigured = http
        .post(url.replace("/koinal", "/transak"))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(unconfigured.status().as_u16(), 404);

    tokio::time::sleep(Duration::from_millis(200)).await;
    child.kill().unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        stdout,
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
