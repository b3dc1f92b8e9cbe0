//! `ramp quote`: every configured provider asked at once, one JSON line per offer (best
//! first among those that compare) and per failure; bad input refused before any request.

use std::process::{Command, Output};

use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn ramp(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ramp"))
        .arg("quote")
        .args(args)
        .envs(env.iter().copied())
        .output()
        .unwrap()
}

fn lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[test]
fn the_sandbox_providers_are_compared_best_first_with_the_incomparable_after() {
    let out = ramp(
        &[
            "--fiat",
            "EUR",
            "--amount",
            "100",
            "--crypto",
            "ETH",
            "--network",
            "erc20",
            "--sandbox",
            "--json",
        ],
        &[],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines = lines(&out);
    let summary: Vec<(String, String, bool)> = lines
        .iter()
        .map(|l| {
            (
                format!(
                    "{}{}",
                    l["provider"].as_str().unwrap(),
                    l["ramp"]
                        .as_str()
                        .map(|r| format!("/{r}"))
                        .unwrap_or_default()
                ),
                l["crypto_amount"].to_string(),
                l["comparable"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("onramper/sandbox-b".to_owned(), "0.033".to_owned(), true),
            ("transak".to_owned(), "0.03283333".to_owned(), true),
            (
                "onramper/sandbox-a".to_owned(),
                "0.03266667".to_owned(),
                true
            ),
            ("kryptonim".to_owned(), "0.03252033".to_owned(), true),
            ("koinal".to_owned(), "0.04".to_owned(), false),
        ]
    );
    // Exact, as the provider wrote it (every digit, in the raw line); what is not said is null.
    let raw = String::from_utf8(out.stdout.clone()).unwrap();
    assert!(raw.contains(r#""crypto_amount":0.0330,"#), "{raw}");
    assert!(
        raw.contains(
            r#""fiat_amount":100,"fiat_currency":"EUR","payment_method":"card","fees":1.50,"#
        ),
        "{raw}"
    );
    assert_eq!(lines[1]["network"], "ethereum");
    assert_eq!(lines[1]["payment_method"], "card");
    assert!(
        lines[4]["network"].is_null()
            && lines[4]["payment_method"].is_null()
            && lines[4]["fees"].is_null()
    );
}

#[tokio::test]
async fn each_provider_is_configured_by_its_own_flags_and_its_failure_is_a_line_of_its_own() {
    let onramper = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/quotes/usd/btc"))
        .and(query_param("amount", "25"))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            r#"[{"ramp":"banxa","paymentMethod":"creditcard","errors":[{"type":"LimitMismatch","errorId":6102,
               "message":"Amount below the minimum","minAmount":50,"maxAmount":20000}]}]"#,
        ))
        .expect(1)
        .mount(&onramper)
        .await;
    let uri = onramper.uri();
    let args: Vec<String> = [
        "--fiat",
        "USD",
        "--amount",
        "25",
        "--crypto",
        "BTC",
        "--network",
        "bitcoin",
        "--onramper-api-url",
        &uri,
        "--onramper-api-key-env",
        "QUOTE_ONRAMPER_KEY",
        "--json",
    ]
    .iter()
    .map(|a| (*a).to_owned())
    .collect();
    let out = tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        ramp(&args, &[("QUOTE_ONRAMPER_KEY", "pk_test_cli")])
    })
    .await
    .unwrap();
    assert!(!out.status.success(), "no offer came: a failure status");
    assert_eq!(
        lines(&out),
        [serde_json::json!({"provider": "onramper", "ramp": "banxa",
            "error": "outside its limits (at least 50) (at most 20000)", "min_amount": 50, "max_amount": 20000})]
    );
}

#[test]
fn bad_input_is_refused_with_a_message_before_any_request() {
    for (args, says) in [
        (
            vec![
                "--fiat",
                "EURO",
                "--amount",
                "100",
                "--crypto",
                "ETH",
                "--network",
                "ethereum",
                "--sandbox",
            ],
            "three letters",
        ),
        (
            vec![
                "--fiat",
                "EUR",
                "--amount",
                "-5",
                "--crypto",
                "ETH",
                "--network",
                "ethereum",
                "--sandbox",
            ],
            "above zero",
        ),
        (
            vec![
                "--fiat",
                "EUR",
                "--amount",
                "ten",
                "--crypto",
                "ETH",
                "--network",
                "ethereum",
                "--sandbox",
            ],
            "decimal number",
        ),
        (
            vec![
                "--fiat",
                "EUR",
                "--amount",
                "100",
                "--crypto",
                "ETH",
                "--network",
                "sepolia",
                "--sandbox",
            ],
            "the network is one of",
        ),
        (
            vec![
                "--fiat",
                "EUR",
                "--amount",
                "100",
                "--crypto",
                "ETH",
                "--network",
                "ethereum",
            ],
            "at least one provider",
        ),
    ] {
        let out = ramp(&args, &[]);
        assert!(!out.status.success(), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}
