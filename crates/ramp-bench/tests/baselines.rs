//! Every baseline does exactly the SDK path's work: the same bytes, signatures, URLs, decoded
//! values and requests on the wire. A ratio in the benchmark report compares like with like
//! only while these hold.

use ramp_bench::http::{self, Server};
use ramp_bench::inputs::{self, secret};
use ramp_bench::{koinal, kryptonim, onramper, transak};
use ramp_core::http::{HttpClient, Request};

#[test]
fn kryptonim_plain_serde_writes_and_signs_the_same_body() {
    let request = inputs::kryptonim_request();
    let sdk_body = request.to_body();
    let sdk_signature =
        ramp_kryptonim::sign_body(&sdk_body, &secret(inputs::KRYPTONIM_SECRET)).unwrap();
    let (body, signature) = kryptonim::sign(
        &kryptonim::plain_request(),
        inputs::KRYPTONIM_SECRET.as_bytes(),
    );
    assert_eq!(
        String::from_utf8(body).unwrap(),
        String::from_utf8(sdk_body).unwrap()
    );
    assert_eq!(signature, sdk_signature);
}

#[test]
fn kryptonim_plain_serde_reads_the_same_request() {
    let json = inputs::kryptonim_request().to_body();
    let sdk: ramp_kryptonim::WidgetSessionRequest = serde_json::from_slice(&json).unwrap();
    assert_eq!(sdk, inputs::kryptonim_request());
    let plain = kryptonim::parse(&json).unwrap();
    assert_eq!(plain, kryptonim::plain_request());
    assert_eq!(Some(&plain.success_url), sdk.success_url());
    assert_eq!(Some(plain.ip_address), sdk.ip_address());
    let untyped = kryptonim::parse_untyped(&json).unwrap();
    assert_eq!(untyped.success_url, plain.success_url.as_str());
    // The baseline that checks the address refuses what build() refuses.
    assert_eq!(kryptonim::parse_checking_address(&json), Some(plain));
    let typo = String::from_utf8(json)
        .unwrap()
        .replace("dA4f7edA9", "dA4f7eda9")
        .into_bytes();
    assert!(serde_json::from_slice::<ramp_kryptonim::WidgetSessionRequest>(&typo).is_err());
    assert_eq!(kryptonim::parse_checking_address(&typo), None);
}

#[test]
fn the_minimal_onramper_signer_signs_as_the_sdk_does() {
    let key = secret(inputs::ONRAMPER_SECRET);
    let mut urls = vec![inputs::ONRAMPER_URL.to_owned()];
    urls.extend([10, 1000, 100_000].map(inputs::onramper_url_with));
    for url in &urls {
        let sdk = ramp_onramper_sign::sign_url(url, &key).unwrap();
        let minimal = onramper::sign_url(url, inputs::ONRAMPER_SECRET.as_bytes());
        assert_eq!(sdk, minimal, "{}", &url[..80]);
        assert_eq!(ramp_onramper_sign::verify_url(&minimal, &key), Ok(()));
        assert!(onramper::verify_url(
            &sdk,
            inputs::ONRAMPER_SECRET.as_bytes()
        ));
        let tampered = sdk.replacen("wallets=", "wallets=x", 1);
        assert!(!onramper::verify_url(
            &tampered,
            inputs::ONRAMPER_SECRET.as_bytes()
        ));
    }
}

#[test]
fn the_growth_urls_have_distinct_ids_and_stay_under_the_limit() {
    let url = inputs::onramper_url_with(100_000);
    assert!(url.len() < ramp_onramper_sign::MAX_INPUT_BYTES);
    let content = ramp_onramper_sign::sign_content(&url).unwrap();
    assert_eq!(content.matches(',').count(), 99_999);
}

#[test]
fn the_koinal_hash_by_hand_is_the_sdks() {
    let sdk = ramp_koinal::AuthHash::new(
        inputs::KOINAL_MERCHANT,
        inputs::KOINAL_CUSTOMER,
        inputs::KOINAL_TIMESTAMP,
        &secret(inputs::KOINAL_SECRET),
    )
    .unwrap()
    .to_header_value();
    let by_hand = koinal::header_value(
        inputs::KOINAL_MERCHANT,
        inputs::KOINAL_CUSTOMER,
        inputs::KOINAL_TIMESTAMP,
        inputs::KOINAL_SECRET,
    );
    assert_eq!(by_hand, sdk);
}

#[test]
fn the_transak_webhook_by_hand_reads_what_the_sdk_reads() {
    let body = inputs::transak_webhook();
    use ramp_transak::{HeaderMap, Verify as _, WebhookVerifier};
    let verifier = WebhookVerifier::new(secret(inputs::TRANSAK_TOKEN)).unwrap();
    let sdk = verifier.verify(&body, &HeaderMap::new()).unwrap();
    let by_hand = transak::verify(&body, inputs::TRANSAK_TOKEN.as_bytes()).unwrap();
    assert_eq!(by_hand.event, sdk.event.as_str());
    let (order, plain) = (&sdk.order, &by_hand.order);
    assert_eq!(plain.id, order.id);
    assert_eq!(plain.status, order.status.as_str());
    assert_eq!(plain.wallet_address, order.wallet_address);
    assert_eq!(
        plain
            .created_at
            .as_deref()
            .and_then(ramp_core::timestamp::parse),
        order.created_at
    );
    assert_eq!(
        plain.crypto_amount.map(|a| a.to_string()),
        order.crypto_amount.map(|a| a.to_string())
    );
    assert!(transak::verify(&body, b"another token").is_none());
}

/// What a request looked like on the wire, with header order left out and the version in
/// `User-Agent` (the crate's own, which the baselines do not track) as `*`.
fn wire(seen: &http::Seen) -> (String, String, Vec<(String, String)>, String) {
    let mut headers = seen.headers.clone();
    for (name, value) in &mut headers {
        if name == "user-agent" {
            let product = value.split_once('/').map_or(value.as_str(), |(p, _)| p);
            *value = format!("{product}/*");
        }
    }
    headers.sort();
    (
        seen.method.clone(),
        seen.uri.clone(),
        headers,
        String::from_utf8(seen.body.clone()).unwrap(),
    )
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn bare_kryptonim_calls_send_what_the_client_sends() {
    let rt = runtime();
    let server = {
        let _rt = rt.enter();
        Server::start(true).unwrap()
    };
    let client = ramp_kryptonim::Client::builder(
        url::Url::parse(&server.url("kryptonim/")).unwrap(),
        secret(inputs::KRYPTONIM_API_KEY),
        secret(inputs::KRYPTONIM_SECRET),
    )
    .build()
    .unwrap();
    let bare = http::bare_client(inputs::KRYPTONIM_USER_AGENT).unwrap();
    let request = inputs::kryptonim_request();
    let plain = kryptonim::plain_request();
    let url = server.url("kryptonim/v1/widget-sessions");
    let session = rt.block_on(client.create_widget_session(&request)).unwrap();
    let by_hand = rt
        .block_on(http::kryptonim_session(
            &bare,
            &url,
            inputs::KRYPTONIM_API_KEY,
            inputs::KRYPTONIM_SECRET.as_bytes(),
            &plain,
        ))
        .unwrap();
    assert_eq!(by_hand.session_id, session.session_id);
    assert_eq!(by_hand.widget_url, session.widget_url);
    assert_eq!(by_hand.expires_at, session.expires_at);

    // ramp-core's client with the same prebuilt bytes and headers.
    let core = HttpClient::builder(
        url::Url::parse(&server.url("kryptonim/")).unwrap(),
        inputs::KRYPTONIM_USER_AGENT,
    )
    .sensitive_header("X-API-Key", &secret(inputs::KRYPTONIM_API_KEY))
    .build()
    .unwrap();
    let (body, signature) = kryptonim::sign(&plain, inputs::KRYPTONIM_SECRET.as_bytes());
    let call = Request::post("v1/widget-sessions")
        .header("X-Request-Signature", &signature)
        .json_body(body.clone());
    let answer = rt.block_on(core.send(call)).unwrap();
    assert_eq!(answer.body(), http::KRYPTONIM_SESSION.as_bytes());
    let bare_answer = rt
        .block_on(http::post_bytes(
            &bare,
            &url,
            &[
                ("x-request-signature", signature.as_str()),
                ("content-type", "application/json"),
                ("x-api-key", inputs::KRYPTONIM_API_KEY),
            ],
            body,
        ))
        .unwrap();
    assert_eq!(&bare_answer[..], http::KRYPTONIM_SESSION.as_bytes());

    let seen = server.seen();
    assert_eq!(seen.len(), 4);
    for other in &seen[1..] {
        assert_eq!(wire(other), wire(&seen[0]));
    }
}

#[test]
fn bare_proof_calls_send_what_the_client_sends() {
    let rt = runtime();
    let server = {
        let _rt = rt.enter();
        Server::start(true).unwrap()
    };
    let client = ramp_proof::Client::builder(
        url::Url::parse(&server.url("proof/")).unwrap(),
        secret(inputs::PROOF_TOKEN),
    )
    .origin(inputs::PROOF_ORIGIN)
    .build()
    .unwrap();
    let bare = http::bare_client(inputs::PROOF_USER_AGENT).unwrap();
    let session = rt
        .block_on(client.create_session(&inputs::proof_request()))
        .unwrap();
    let bearer = format!("Bearer {}", inputs::PROOF_TOKEN);
    let by_hand = rt
        .block_on(http::proof_session(
            &bare,
            &server.url("proof/widget/session"),
            &bearer,
            inputs::PROOF_ORIGIN,
            &http::plain_proof_request(),
        ))
        .unwrap();
    assert_eq!(
        by_hand.merchant_transaction_id,
        session.merchant_transaction_id
    );
    assert_eq!(
        by_hand.init_token,
        ramp_core::ExposeSecret::expose_secret(&session.init_token)
    );
    assert_eq!(by_hand.fix_network, session.fix_network);
    assert_eq!(by_hand.redirect_url, session.redirect_url);
    assert!(session.extra.is_empty());

    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(wire(&seen[1]), wire(&seen[0]));
}
