//! `ramp onramper`: V2 keys, signatures reproduced byte for byte from the vectors Node.js
//! made (`tests/vectors/onramper_v2.json`), the four request headers, and webhooks.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

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

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn vectors() -> serde_json::Value {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors/onramper_v2.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A fresh directory for this test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ramp-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The vector key named `name`, written to a PEM file.
fn key_file(vectors: &serde_json::Value, name: &str, dir: &std::path::Path) -> String {
    let key = vectors["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["name"] == name)
        .unwrap();
    let path = dir.join(format!("{}.pem", name.replace(' ', "_")));
    std::fs::write(&path, key["private_pem"].as_str().unwrap()).unwrap();
    path.display().to_string()
}

#[test]
fn keygen_writes_a_private_key_only_its_owner_reads_and_prints_the_public_key() {
    let dir = scratch("keygen");
    let out = dir.join("onramper-v2.pem");
    let output = run(
        &["onramper", "keygen", "--out", out.to_str().unwrap()],
        &[],
        b"",
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    let pem = std::fs::read_to_string(&out).unwrap();
    assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----\n"), "{pem}");
    assert!(
        !stdout.contains(pem.lines().nth(1).unwrap()),
        "private key printed"
    );
    assert!(stdout.contains("-----BEGIN PUBLIC KEY-----"), "{stdout}");
    let hex = stdout
        .lines()
        .last()
        .unwrap()
        .strip_prefix("hex: ")
        .unwrap();
    assert_eq!(hex.len(), 64);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    // The key signs, and what it signs verifies with the printed public key.
    let signed = run(
        &[
            "onramper",
            "sign",
            "--v2",
            "--key-file",
            out.to_str().unwrap(),
            "https://buy.onramper.com/?apiKey=pk_test_x&wallets=btc:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
        ],
        &[],
        b"",
    );
    assert!(signed.status.success(), "{}", text(&signed.stderr));
    let url = text(&signed.stdout);
    let verified = run(
        &["onramper", "verify", "--public-key", hex, url.trim()],
        &[],
        b"",
    );
    assert!(verified.status.success(), "{}", text(&verified.stderr));
    assert_eq!(
        text(&verified.stdout),
        "valid (V2): signed apiKey, wallets\n"
    );
    // An existing file is never overwritten.
    let again = run(
        &["onramper", "keygen", "--out", out.to_str().unwrap()],
        &[],
        b"",
    );
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), pem);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn sign_v2_with_a_fixed_timestamp_and_nonce_prints_the_vectors_url_alone() {
    let vectors = vectors();
    let dir = scratch("sign-v2");
    for case in vectors["widget"].as_array().unwrap() {
        let key = key_file(&vectors, case["key"].as_str().unwrap(), &dir);
        let mut args = vec![
            "onramper",
            "sign",
            "--v2",
            "--key-file",
            &key,
            "--timestamp",
            case["timestamp"].as_str().unwrap(),
            "--nonce",
            case["nonce"].as_str().unwrap(),
        ];
        if let Some(expiry) = case["expiry"].as_str() {
            args.extend(["--expiry", expiry]);
        }
        for field in case["also_sign"].as_array().into_iter().flatten() {
            args.extend(["--also-sign", field.as_str().unwrap()]);
        }
        args.push(case["url"].as_str().unwrap());
        let output = run(&args, &[], b"");
        assert!(output.status.success(), "{}", text(&output.stderr));
        assert_eq!(
            text(&output.stdout),
            format!("{}\n", case["signed_url"].as_str().unwrap()),
            "{}",
            case["name"]
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn sign_request_prints_the_four_headers_of_the_vectors() {
    let vectors = vectors();
    let dir = scratch("sign-request");
    for case in vectors["requests"].as_array().unwrap() {
        let key = key_file(&vectors, case["key"].as_str().unwrap(), &dir);
        let body = dir.join("body");
        std::fs::write(&body, case["body"].as_str().unwrap()).unwrap();
        let mut args = vec![
            "onramper",
            "sign-request",
            "--key-file",
            &key,
            "--method",
            case["method"].as_str().unwrap(),
            "--path",
            case["path"].as_str().unwrap(),
            "--query",
            case["query"].as_str().unwrap(),
            "--authorization",
            case["authorization"].as_str().unwrap(),
            "--body-file",
            body.to_str().unwrap(),
            "--timestamp",
            case["timestamp"].as_str().unwrap(),
            "--nonce",
            case["nonce"].as_str().unwrap(),
        ];
        if let Some(content_type) = case["content_type"].as_str() {
            args.extend(["--content-type", content_type]);
        }
        let output = run(&args, &[], b"");
        assert!(output.status.success(), "{}", text(&output.stderr));
        assert_eq!(
            text(&output.stdout),
            format!(
                "Authorization: {}\nx-onramper-signature: {}\nx-onramper-timestamp: {}\nx-onramper-nonce: {}\n",
                case["authorization"].as_str().unwrap().trim(),
                case["signature"].as_str().unwrap(),
                case["timestamp"].as_str().unwrap(),
                case["nonce"].as_str().unwrap()
            ),
            "{}",
            case["name"]
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_keys_and_times_are_clear_errors() {
    let dir = scratch("bad-input");
    let not_a_key = dir.join("not.pem");
    std::fs::write(
        &not_a_key,
        "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n",
    )
    .unwrap();
    for (args, says) in [
        (
            vec![
                "onramper",
                "sign",
                "--v2",
                "--key-file",
                not_a_key.to_str().unwrap(),
                "https://buy.onramper.com/?apiKey=pk",
            ],
            "invalid Ed25519 key",
        ),
        (
            vec![
                "onramper",
                "sign",
                "--v2",
                "https://buy.onramper.com/?apiKey=pk",
            ],
            "--key-file PATH or --key-env NAME",
        ),
        (
            vec![
                "onramper",
                "sign",
                "--v2",
                "--key-file",
                "/nonexistent/key.pem",
                "https://buy.onramper.com/?apiKey=pk",
            ],
            "cannot read the key file",
        ),
    ] {
        let output = run(&args, &[], b"");
        assert_eq!(output.status.code(), Some(1));
        assert!(
            text(&output.stderr).contains(says),
            "{}",
            text(&output.stderr)
        );
    }
    let keygen = run(
        &[
            "onramper",
            "keygen",
            "--out",
            dir.join("k.pem").to_str().unwrap(),
        ],
        &[],
        b"",
    );
    assert!(keygen.status.success());
    let key = dir.join("k.pem");
    for (flag, value, says) in [
        ("--timestamp", "yesterday", "is not an ISO 8601 UTC time"),
        ("--nonce", "not-a-uuid", "is not a UUID"),
        (
            "--expiry",
            "2020-01-01T00:00:00.000Z",
            "invalid sigV2Expiry",
        ),
    ] {
        let output = run(
            &[
                "onramper",
                "sign",
                "--v2",
                "--key-file",
                key.to_str().unwrap(),
                flag,
                value,
                "https://buy.onramper.com/?apiKey=pk",
            ],
            &[],
            b"",
        );
        assert_eq!(output.status.code(), Some(1), "{flag}");
        assert!(
            text(&output.stderr).contains(says),
            "{}",
            text(&output.stderr)
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn verify_webhook_exits_zero_only_for_a_valid_signature() {
    let body = br#"{"transactionId":"01HX9","status":"completed","transactionType":"buy","outAmount":0.001}"#;
    let secret = "whsec_cli_test";
    let signature = ramp_core::hmac_sha256_hex(secret.as_bytes(), body);
    let env = [("ONRAMPER_WEBHOOK_SECRET", secret)];
    let check = |signature: Option<&str>, body: &[u8]| {
        let mut args = vec![
            "onramper",
            "verify-webhook",
            "--secret-env",
            "ONRAMPER_WEBHOOK_SECRET",
        ];
        if let Some(signature) = signature {
            args.extend(["--signature", signature]);
        }
        run(&args, &env, body)
    };
    let ok = check(Some(&signature), body);
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok.stderr));
    assert_eq!(text(&ok.stdout), "valid: transaction 01HX9 is completed\n");
    let tampered = check(
        Some(&signature),
        br#"{"transactionId":"01HX9","status":"failed"}"#,
    );
    assert_eq!(tampered.status.code(), Some(1));
    assert!(
        text(&tampered.stderr).contains("does not match"),
        "{}",
        text(&tampered.stderr)
    );
    let none = check(None, body);
    assert_eq!(none.status.code(), Some(1));
    assert!(
        text(&none.stderr).contains(&signature),
        "{}",
        text(&none.stderr)
    );
    for output in [ok, tampered, none] {
        assert!(!text(&output.stdout).contains(secret) && !text(&output.stderr).contains(secret));
    }
}
