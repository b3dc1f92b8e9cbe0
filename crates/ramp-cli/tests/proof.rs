//! `ramp proof kyc-status` and `ramp proof watch` against the sandbox: the status word (or its
//! JSON), and one line per new status of a transaction the sandbox advances while the command
//! runs, until it exits 0 after the final one.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use ramp_proof::{Client, Decimal, SecretString, SessionRequest, Url};
use ramp_sandbox::{Sandbox, Trigger, credentials as c};

fn ramp(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ramp"));
    command
        .args(args)
        .env("P_TOKEN", c::PROOF_CLIENT_TOKEN)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

async fn output(args: Vec<String>) -> std::process::Output {
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        ramp(&args).output().unwrap()
    })
    .await
    .unwrap()
}

async fn transaction(sandbox: &Sandbox, user: &str) -> String {
    let client = Client::builder(
        Url::parse(&sandbox.proof_url()).unwrap(),
        SecretString::from(c::PROOF_CLIENT_TOKEN),
    )
    .build()
    .unwrap();
    let request = SessionRequest::builder()
        .partner_user_id(user)
        .user_email("user@example.com")
        .network("TRC20")
        .currency("USDT")
        .amount(Decimal::from(100))
        .build()
        .unwrap();
    client
        .create_session(&request)
        .await
        .unwrap()
        .merchant_transaction_id
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test]
async fn kyc_status_prints_the_status_word_or_the_object() {
    let sandbox = Sandbox::start().await.unwrap();
    transaction(&sandbox, "user-123").await;
    let base = sandbox.proof_url();
    let args = |json: bool, user: &str| {
        let mut args = if json { vec!["--json"] } else { vec![] };
        args.extend([
            "proof",
            "kyc-status",
            user,
            "--base-url",
            &base,
            "--token-env",
            "P_TOKEN",
        ]);
        args.into_iter().map(str::to_owned).collect::<Vec<_>>()
    };
    let plain = output(args(false, "user-123")).await;
    assert!(plain.status.success(), "{}", text(&plain.stderr));
    assert_eq!(text(&plain.stdout), "not_started\n");
    let json = output(args(true, "user-123")).await;
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(
        value,
        serde_json::json!({"partner_user_id": "user-123", "status": "not_started"})
    );
    let unknown = output(args(false, "nobody")).await;
    assert_eq!(unknown.status.code(), Some(1));
    assert_eq!(
        text(&unknown.stderr),
        "ramp: Proof knows no user \"nobody\" (HTTP 404 Not Found)\n"
    );
    assert!(!text(&unknown.stderr).contains(c::PROOF_CLIENT_TOKEN));
}

#[tokio::test]
async fn watch_prints_each_new_status_and_exits_after_the_final_one() {
    let sandbox = Sandbox::start().await.unwrap();
    let endpoint = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(wiremock::ResponseTemplate::new(200))
        .mount(&endpoint)
        .await;
    for json in [false, true] {
        let id = transaction(&sandbox, "user-1").await;
        let base = sandbox.proof_url();
        let mut args = if json { vec!["--json"] } else { vec![] };
        args.extend([
            "proof",
            "watch",
            &id,
            "--base-url",
            &base,
            "--token-env",
            "P_TOKEN",
        ]);
        let mut child = ramp(&args).spawn().unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        // The first line is the status read once the WebSocket is up: from then on every
        // change is pushed.
        let (first, mut lines) = tokio::task::spawn_blocking(move || {
            let first = lines.next().unwrap().unwrap();
            (first, lines)
        })
        .await
        .unwrap();
        for _ in 0..2 {
            let trigger = Trigger::ProofWebhook {
                merchant_transaction_id: id.clone(),
            };
            sandbox.trigger(trigger, &endpoint.uri()).await.unwrap();
        }
        let (rest, status) = tokio::task::spawn_blocking(move || {
            let rest: Vec<String> = lines.by_ref().map(Result::unwrap).collect();
            (rest, child.wait().unwrap())
        })
        .await
        .unwrap();
        assert!(status.success());
        let mut all = vec![first];
        all.extend(rest);
        if json {
            let statuses: Vec<String> = all
                .iter()
                .map(|line| {
                    let value: serde_json::Value = serde_json::from_str(line).unwrap();
                    assert_eq!(value["merchant_transaction_id"], id.as_str());
                    value["status"].as_str().unwrap().to_owned()
                })
                .collect();
            assert_eq!(statuses, ["pending", "processing", "completed"]);
        } else {
            assert_eq!(all, ["pending", "processing", "completed"]);
        }
    }
}
