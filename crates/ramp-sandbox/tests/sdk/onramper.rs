use super::*;

#[tokio::test]
async fn a_signed_url_loads_and_a_tampered_one_is_refused_with_the_reason() {
    let sandbox = Sandbox::start().await.unwrap();
    let signed =
        ramp_onramper_sign::WidgetUrlBuilder::new(&sandbox.onramper_url(), c::ONRAMPER_API_KEY)
            .wallet("eth", "0x71C7656EC7ab88b098defB751B7401B5f6d8976F")
            .sign(&secret(c::ONRAMPER_SIGNING_SECRET))
            .unwrap();
    let get = |u: String| async move {
        let response = ramp_core::http::reqwest::get(u).await.unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    };
    assert_eq!(get(signed.clone()).await.0, 200);
    let tampered = signed.replace("0x71C7", "0x0000");
    let (status, body) = get(tampered).await;
    assert_eq!(status, 400);
    assert!(body.contains("signature_validation_failed"), "{body}");
}

fn v2_key() -> ramp_onramper_sign::v2::SigningKey {
    ramp_onramper_sign::v2::SigningKey::from_pkcs8_pem(c::ONRAMPER_V2_PRIVATE_KEY_PEM).unwrap()
}

/// Status and the error code (or "ok").
async fn get(url: &str) -> (u16, String) {
    let response = ramp_core::http::reqwest::get(url).await.unwrap();
    let status = response.status().as_u16();
    let body: serde_json::Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    let code = body["error"]["code"].as_str().unwrap_or("ok").to_owned();
    (status, code)
}

#[tokio::test]
async fn a_v2_url_loads_once_and_each_fault_has_its_code() {
    use ramp_onramper_sign::v2::{OffsetDateTime, SignOptions};
    use std::time::Duration;

    let sandbox = Sandbox::start().await.unwrap();
    let builder = || {
        ramp_onramper_sign::WidgetUrlBuilder::new(&sandbox.onramper_url(), c::ONRAMPER_API_KEY)
            .param("defaultFiat", "EUR")
            .wallet("btc", "1Lbcfr7sAHTD9CgdQo3HTMTkV8LK4ZnX71")
    };
    let url = builder().sign_v2(&v2_key()).unwrap().to_string();
    assert_eq!(get(&url).await, (200, "ok".into()));
    assert_eq!(get(&url).await, (401, "NONCE_REUSED".into()));

    let fresh = || builder().sign_v2(&v2_key()).unwrap().to_string();
    let tampered = fresh().replace("1Lbcfr7s", "1Evil000");
    assert_eq!(get(&tampered).await, (401, "SIGNATURE_INVALID".into()));
    let other_key = builder()
        .sign_v2(&ramp_onramper_sign::v2::SigningKey::generate().unwrap())
        .unwrap()
        .to_string();
    assert_eq!(get(&other_key).await, (401, "SIGNATURE_INVALID".into()));
    let old = builder()
        .sign_v2_with(
            &v2_key(),
            &SignOptions::new().timestamp(OffsetDateTime::now_utc() - Duration::from_secs(16 * 60)),
        )
        .unwrap()
        .to_string();
    assert_eq!(get(&old).await, (401, "TIMESTAMP_EXPIRED".into()));
    let ahead = builder()
        .sign_v2_with(
            &v2_key(),
            &SignOptions::new().timestamp(OffsetDateTime::now_utc() + Duration::from_secs(60)),
        )
        .unwrap()
        .to_string();
    assert_eq!(get(&ahead).await, (401, "TIMESTAMP_FUTURE".into()));
    let unknown = fresh().replace(c::ONRAMPER_API_KEY, "pk_test_nobody");
    assert_eq!(get(&unknown).await, (401, "PARTNER_NOT_FOUND".into()));
    let bad_nonce = {
        let url = fresh();
        let at = url.find("sigV2Nonce=").unwrap() + "sigV2Nonce=".len();
        format!("{}{}{}", &url[..at], "not-a-uuid", &url[at + 36..])
    };
    assert_eq!(get(&bad_nonce).await, (401, "NONCE_INVALID_FORMAT".into()));
}

#[tokio::test]
async fn a_v2_signed_api_call_is_accepted_once() {
    use ramp_onramper_sign::v2::{ApiRequest, SignOptions, sign_request_v2};

    let sandbox = Sandbox::start().await.unwrap();
    let body = br#"{"sourceCurrency":"eur","destinationCurrency":"btc","sourceAmount":100,"wallet":{"address":"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"}}"#;
    let request = ApiRequest::new("POST", "/checkout/intent", c::ONRAMPER_API_KEY)
        .content_type("application/json")
        .body(body);
    let headers = sign_request_v2(&request, &v2_key(), &SignOptions::new()).unwrap();
    let send = |headers: ramp_onramper_sign::v2::SignedHeaders, body: &'static [u8]| {
        let url = format!("{}checkout/intent", sandbox.onramper_api_url());
        async move {
            let mut call = ramp_core::http::reqwest::Client::new()
                .post(url)
                .header("content-type", "application/json")
                .body(body);
            for (name, value) in headers.iter() {
                call = call.header(name, value);
            }
            let response = call.send().await.unwrap();
            let status = response.status().as_u16();
            let json: serde_json::Value =
                serde_json::from_str(&response.text().await.unwrap()).unwrap();
            (status, json)
        }
    };
    let (status, json) = send(headers.clone(), body).await;
    assert_eq!(status, 200, "{json}");
    assert_eq!(json["message"]["transactionInformation"]["status"], "new");
    let (status, json) = send(headers.clone(), body).await;
    assert_eq!(
        (status, json["error"]["code"].as_str()),
        (401, Some("NONCE_REUSED"))
    );
    let fresh = sign_request_v2(&request, &v2_key(), &SignOptions::new()).unwrap();
    let (status, json) = send(fresh, br#"{"sourceAmount":1000}"#).await;
    assert_eq!(
        (status, json["error"]["code"].as_str()),
        (401, Some("SIGNATURE_INVALID"))
    );
}
