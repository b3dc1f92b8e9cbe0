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
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
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
    let unsigned =
        "https://buy.onramper.com/?apiKey=pk_test_x&wallets=btc:1Lbcfr7sAHTD9CgdQo3HTMTkV8LK4ZnX71";
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
    let signature = ramp_core::hmac_sha256_hex(b"cb-secret", &[&body[..], b"cb-secret"].concat());
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

#[path = "tools/providers.rs"]
mod providers;
