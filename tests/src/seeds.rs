//! Seed inputs for each property, taken from the test vectors (and, where a provider has no
//! vector file, from the documented examples): the fuzzers start from these, and the
//! proptest suite mutates them.

use crate::properties::KEY;
use crate::{HmacCase, KoinalVectors, KryptonimCase, OnramperCase, VectorFile, load, load_as};

/// A Proof transaction as the documentation shows it.
const PROOF_TRANSACTION: &str = r#"{"merchant_transaction_id":"550e8400-e29b-41d4-a716-446655440000","type":"buy","status":"completed","currency":"USDT","network":"TRC20","crypto_amount":"100","fiat_currency":"EUR","fiat_amount":"92.57","created_at":"2026-11-23T10:00:00Z","updated_at":"2026-11-23T10:04:10Z"}"#;

/// A Transak webhook payload with the documented fields.
const TRANSAK_PAYLOAD: &str = r#"{"eventID":"ORDER_COMPLETED","webhookData":{"id":"4c5d6e7f-order","status":"COMPLETED","walletAddress":"0x977BC1915dA4f7edA9D2e49BC08356db37478538","fiatCurrency":"EUR","cryptoCurrency":"ETH","fiatAmount":150.5,"cryptoAmount":"0.041234567890123456","isBuyOrSell":"BUY","createdAt":"2026-11-23T10:00:00.000Z"},"exp":1795421000}"#;

/// An Onramper webhook with the documented fields.
const ONRAMPER_WEBHOOK: &str = r#"{"apiKey":"pk_prod_x","country":"NL","inAmount":100.5,"onramp":"moonpay","onrampTransactionId":"mp-77","outAmount":0.001234567890123456,"partnerContext":"order-42","paymentMethod":"creditcard","sourceCurrency":"eur","status":"completed","statusDate":"2026-11-25T08:00:00.000Z","targetCurrency":"btc","transactionHash":null,"transactionId":"01HX9","transactionType":"buy","walletAddress":"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"}"#;

/// The Kryptonim documentation's success redirect.
const KRYPTONIM_REDIRECT: &str =
    "https://yoursite.com/success?sessionId=7c303babX3jp7c4942904a262a0c1b94&status=completed";

fn or_panic<T>(loaded: Result<T, String>) -> T {
    loaded.unwrap_or_else(|err| panic!("{err}"))
}

fn onramper() -> Vec<OnramperCase> {
    let file: VectorFile<OnramperCase> = or_panic(load("onramper"));
    file.cases
}

/// The seeds for the property (fuzz target) `target`; empty for an unknown name.
pub fn seeds(target: &str) -> Vec<Vec<u8>> {
    let key = ramp_core::SecretString::from(KEY);
    match target {
        "onramper_sign_url" => onramper().into_iter().map(|c| c.url.into_bytes()).collect(),
        "onramper_verify_url" => onramper()
            .into_iter()
            .filter_map(|c| ramp_onramper_sign::sign_url(&c.url, &key).ok())
            .map(String::into_bytes)
            .collect(),
        "onramper_v2" => {
            let file: serde_json::Value = or_panic(load_as("onramper_v2"));
            let mut seeds = Vec::new();
            for case in file["widget"].as_array().into_iter().flatten() {
                for field in ["url", "signed_url"] {
                    seeds.extend(case[field].as_str().map(|s| s.as_bytes().to_vec()));
                }
            }
            for case in file["requests"].as_array().into_iter().flatten() {
                seeds.extend(case["body"].as_str().map(|s| s.as_bytes().to_vec()));
            }
            seeds
        }
        "onramper_webhook" => vec![ONRAMPER_WEBHOOK.as_bytes().to_vec()],
        "koinal_callback" => {
            let file: KoinalVectors = or_panic(load_as("koinal"));
            file.callbacks
                .into_iter()
                .flat_map(|c| {
                    let mut with_header = c.hmac_body_plus_secret.into_bytes();
                    with_header.extend_from_slice(c.body.as_bytes());
                    [c.body.into_bytes(), with_header]
                })
                .collect()
        }
        "transak_webhook" => {
            let payload: serde_json::Value =
                serde_json::from_str(TRANSAK_PAYLOAD).unwrap_or_default();
            let mut seeds = vec![TRANSAK_PAYLOAD.as_bytes().to_vec()];
            seeds.push(ramp_transak::webhook::test_util::signed_webhook(&payload, &key).body);
            seeds
        }
        "proof_webhook" => vec![PROOF_TRANSACTION.as_bytes().to_vec()],
        "kryptonim_redirect" => vec![KRYPTONIM_REDIRECT.as_bytes().to_vec()],
        "kryptonim_request" => {
            let file: VectorFile<KryptonimCase> = or_panic(load("kryptonim"));
            file.cases
                .into_iter()
                .flat_map(|c| [c.request_json.into_bytes(), c.body.into_bytes()])
                .collect()
        }
        "core_base64" => {
            let file: KoinalVectors = or_panic(load_as("koinal"));
            file.hashes
                .into_iter()
                .map(|c| c.header.into_bytes())
                .collect()
        }
        "core_hex" => {
            let file: VectorFile<HmacCase> = or_panic(load("rfc4231"));
            file.cases
                .into_iter()
                .map(|c| c.expected_hex.into_bytes())
                .collect()
        }
        "core_decimal" => [
            "15",
            "0.123456789012345678",
            "1e-7",
            "-0.5E+2",
            "100.00",
            "92.57",
        ]
        .into_iter()
        .map(|s| s.as_bytes().to_vec())
        .collect(),
        _ => Vec::new(),
    }
}
