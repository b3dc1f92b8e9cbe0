//! `ramp onramper checkout` and `ramp onramper quotes` against the sandbox: the redirect URL
//! and session id (or their JSON), one line per onramp, and clean refusals.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use ramp_sandbox::{Sandbox, credentials as c};

const BODY: &str = r#"{"onramp":"sandbox-a","source":"eur","destination":"eth","amount":100,"type":"buy","paymentMethod":"creditcard","network":"ethereum","wallet":{"address":"0x977BC1915dA4f7edA9D2e49BC08356db37478538"},"partnerContext":"order-42"}"#;

async fn ramp(args: Vec<String>, stdin: &'static str) -> Output {
    tokio::task::spawn_blocking(move || {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ramp"))
            .args(&args)
            .env("O_KEY", c::ONRAMPER_API_KEY)
            .env("O_PEM", c::ONRAMPER_V2_PRIVATE_KEY_PEM)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap()
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test]
async fn checkout_prints_the_redirect_url_and_session_id() {
    let sandbox = Sandbox::start().await.unwrap();
    let api = sandbox.onramper_api_url();
    let dir = std::env::temp_dir().join(format!("ramp-cli-onramper-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let pem = dir.join("key.pem");
    std::fs::write(&pem, c::ONRAMPER_V2_PRIVATE_KEY_PEM).unwrap();
    let pem = pem.to_str().unwrap();
    let args = |json: bool, ip: &str| {
        let mut args = if json { vec!["--json"] } else { vec![] };
        args.extend([
            "onramper",
            "checkout",
            "--api-url",
            &api,
            "--api-key-env",
            "O_KEY",
            "--key-file",
            pem,
            "--user-ip",
            ip,
            "--platform",
            "web",
        ]);
        strings(&args)
    };
    let plain = ramp(args(false, "203.0.113.9"), BODY).await;
    assert!(plain.status.success(), "{}", text(&plain.stderr));
    let out = text(&plain.stdout);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[0].contains("/onramper/checkout/") && lines[0].contains("resume="));
    assert!(lines[1].starts_with("session "));

    let json = ramp(args(true, "2001:db8::1"), BODY).await;
    assert!(json.status.success(), "{}", text(&json.stderr));
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(value["redirectUrl"].as_str().unwrap().contains("resume="));
    assert_eq!(value["sessionId"].as_str().unwrap().len(), 26);

    // Refused locally, nothing printed on standard output, no secret anywhere.
    let bad_ip = ramp(args(false, "0.0.0.0"), BODY).await;
    assert_eq!(bad_ip.status.code(), Some(1));
    assert!(text(&bad_ip.stderr).starts_with("ramp: invalid `endUserIpHash`"));
    let bad_body = ramp(args(false, "203.0.113.9"), r#"{"onramp":"x"}"#).await;
    assert_eq!(bad_body.status.code(), Some(1));
    assert!(
        text(&bad_body.stderr).contains("invalid `amount`: is required"),
        "{}",
        text(&bad_body.stderr)
    );
    for output in [&plain, &json, &bad_ip, &bad_body] {
        assert!(!text(&output.stderr).contains("MC4CAQAw"));
        assert!(!text(&output.stdout).contains("MC4CAQAw"));
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn quotes_print_one_line_per_onramp() {
    let sandbox = Sandbox::start().await.unwrap();
    let api = sandbox.onramper_api_url();
    let output = ramp(
        strings(&[
            "onramper",
            "quotes",
            "eur",
            "eth",
            "--amount",
            "30.00",
            "--payment-method",
            "creditcard",
            "--platform",
            "web",
            "--api-url",
            &api,
            "--api-key-env",
            "O_KEY",
        ]),
        "",
    )
    .await;
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(
        text(&output.stdout),
        "sandbox-a 0.0098 eth (fee 0.60 eur, rate 3000)\n\
         sandbox-b no quote: The minimum amount is 50 eur\n"
    );
    let refused = ramp(
        strings(&[
            "onramper",
            "quotes",
            "eur",
            "eth",
            "--amount",
            "ten",
            "--api-url",
            &api,
            "--api-key-env",
            "O_KEY",
        ]),
        "",
    )
    .await;
    assert_eq!(refused.status.code(), Some(1));
    assert_eq!(
        text(&refused.stderr),
        "ramp: --amount \"ten\" is not a decimal number\n"
    );
}
