//! Every SDK crate against the sandbox (not wiremock): the happy path, and each provider's
//! rejection of a bad signature and of a bad body.

use ramp_core::http::HttpConfig;
use std::str::FromStr;

use ramp_core::webhook::Verify as _;
use ramp_sandbox::{Sandbox, credentials as c};

/// The end user's IP that Transak widget URLs are made for.
const USER_IP: std::net::IpAddr = std::net::IpAddr::V4(std::net::Ipv4Addr::new(203, 0, 113, 9));

fn secret(value: &str) -> ramp_core::SecretString {
    ramp_core::SecretString::from(value)
}

/// Loads a Transak widget URL, as a user going through the widget would, and returns the id
/// of the order the sandbox made for it.
async fn load_transak_widget(widget: url::Url) -> String {
    let body = ramp_core::http::reqwest::get(widget)
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let loaded: serde_json::Value = serde_json::from_slice(&body).unwrap();
    loaded["orderId"].as_str().unwrap().to_owned()
}

fn url(text: &str) -> url::Url {
    url::Url::parse(text).unwrap()
}

mod kryptonim {
    use super::*;
    use ramp_kryptonim::{Client, Decimal, WidgetSessionRequest};

    fn request(network: &str) -> WidgetSessionRequest {
        WidgetSessionRequest::builder()
            .fiat_amount(Decimal::from_str("15.50").unwrap())
            .fiat_currency("EUR")
            .crypto_currency("USDC")
            .network(network)
            .destination_address("0x977BC1915dA4f7edA9D2e49BC08356db37478538")
            .build()
            .unwrap()
    }

    #[tokio::test]
    async fn a_signed_session_is_accepted_and_a_bad_signature_or_body_refused() {
        let sandbox = Sandbox::start().await.unwrap();
        let client = |signature_secret: &str| {
            Client::builder(
                url(&sandbox.kryptonim_url()),
                secret(c::KRYPTONIM_API_KEY),
                secret(signature_secret),
            )
            .build()
            .unwrap()
        };
        let session = client(c::KRYPTONIM_SIGNATURE_SECRET)
            .create_widget_session(&request("polygon"))
            .await
            .unwrap();
        assert_eq!(session.session_id.len(), 32);
        assert!(!session.is_expired());

        let err = client("wrong-secret")
            .create_widget_session(&request("polygon"))
            .await
            .unwrap_err();
        assert!(
            err.api()
                .is_some_and(|api| api.code.as_deref() == Some("UNAUTHORIZED")),
            "{err}"
        );

        let err = client(c::KRYPTONIM_SIGNATURE_SECRET)
            .create_widget_session(&request("dogecoin"))
            .await
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "Kryptonim error INVALID_REQUEST (HTTP 400 Bad Request): Unsupported network"
        );
    }
}

mod proof {
    use super::*;
    use ramp_proof::{ApiErrorKind, Client, Decimal, SessionRequest};

    fn request(currency: &str) -> SessionRequest {
        SessionRequest::builder()
            .partner_user_id("user-123")
            .user_email("user@example.com")
            .network("TRC20")
            .currency(currency)
            .amount(Decimal::from(100))
            .build()
            .unwrap()
    }

    #[tokio::test]
    async fn a_session_is_created_and_read_and_a_bad_token_or_body_refused() {
        let sandbox = Sandbox::start().await.unwrap();
        let client = |token: &str, origin: &str| {
            Client::builder(url(&sandbox.proof_url()), secret(token))
                .origin(origin)
                .build()
                .unwrap()
        };
        let good = client(c::PROOF_CLIENT_TOKEN, c::PROOF_ORIGIN);
        let session = good.create_session(&request("USDT")).await.unwrap();
        assert_eq!(
            session.widget_config()["fixNetwork"],
            serde_json::json!(["TRC20"])
        );
        let tx = good
            .transaction(&session.merchant_transaction_id)
            .await
            .unwrap();
        assert_eq!(tx.crypto_amount, Some(Decimal::from(100)));

        let kind = |result: Result<ramp_proof::WidgetSession, ramp_proof::Error>| {
            result.unwrap_err().api_kind()
        };
        assert_eq!(
            kind(
                client("wrong", c::PROOF_ORIGIN)
                    .create_session(&request("USDT"))
                    .await
            ),
            Some(ApiErrorKind::InvalidToken)
        );
        assert_eq!(
            kind(
                client(c::PROOF_CLIENT_TOKEN, "https://evil.example")
                    .create_session(&request("USDT"))
                    .await
            ),
            Some(ApiErrorKind::ForbiddenOrigin)
        );
        assert_eq!(
            kind(good.create_session(&request("DOGE")).await),
            Some(ApiErrorKind::CurrencyNotAllowed)
        );
    }
}

mod transak {
    use super::*;
    use ramp_transak::{Client, Environment, WidgetParams};

    #[tokio::test]
    async fn a_widget_url_is_made_with_one_token_and_bad_credentials_refused() {
        let sandbox = Sandbox::start().await.unwrap();
        let client = |api_secret: &str| {
            Client::builder(
                Environment::Custom {
                    api: url(&sandbox.transak_api_url()),
                    gateway: url(&sandbox.transak_gateway_url()),
                },
                secret(c::TRANSAK_API_KEY),
                secret(api_secret),
            )
            .referrer_domain("yourdomain.com")
            .build()
            .unwrap()
        };
        let first = client(c::TRANSAK_API_SECRET);
        let widget = first
            .create_widget_url(&WidgetParams::default(), USER_IP)
            .await
            .unwrap();
        // The URL loads once.
        let load = |u: url::Url| async move {
            ramp_core::http::reqwest::get(u)
                .await
                .unwrap()
                .status()
                .as_u16()
        };
        assert_eq!(load(widget.url.clone()).await, 200);
        assert_eq!(load(widget.url).await, 410);

        // A second client refreshing invalidates the first client's token; the first
        // recovers with one refresh on the 401.
        let second = client(c::TRANSAK_API_SECRET);
        second
            .create_widget_url(&WidgetParams::default(), USER_IP)
            .await
            .unwrap();
        first
            .create_widget_url(&WidgetParams::default(), USER_IP)
            .await
            .unwrap();

        let err = client("wrong-secret")
            .create_widget_url(&WidgetParams::default(), USER_IP)
            .await
            .unwrap_err();
        assert!(
            matches!(err.kind(), ramp_transak::ErrorKind::TokenRefresh(_)),
            "{err}"
        );

        let bad = WidgetParams::builder()
            .api_key("someone-elses-key")
            .build()
            .unwrap();
        let err = first.create_widget_url(&bad, USER_IP).await.unwrap_err();
        assert!(
            err.api()
                .is_some_and(|api| api.code.as_deref() == Some("2001")),
            "{err}"
        );
    }

    fn client(sandbox: &Sandbox) -> Client {
        Client::builder(
            Environment::Custom {
                api: url(&sandbox.transak_api_url()),
                gateway: url(&sandbox.transak_gateway_url()),
            },
            secret(c::TRANSAK_API_KEY),
            secret(c::TRANSAK_API_SECRET),
        )
        .referrer_domain("yourdomain.com")
        .build()
        .unwrap()
    }

    #[tokio::test]
    async fn an_order_exists_once_its_widget_is_loaded_and_an_unknown_id_is_not_found() {
        let sandbox = Sandbox::start().await.unwrap();
        let client = client(&sandbox);
        let err = client.order("no-such-order").await.unwrap_err();
        assert!(
            err.api()
                .is_some_and(|api| api.status.as_u16() == 404 && api.message == "Order not found"),
            "{err:?}"
        );

        let widget = client
            .create_widget_url(
                &WidgetParams::builder()
                    .products_availed(ramp_transak::Products::Buy)
                    .crypto_currency_code("ETH")
                    .network("ethereum")
                    .fiat_currency("EUR")
                    .fiat_amount(ramp_transak::Decimal::from(150))
                    .wallet_address("0x977BC1915dA4f7edA9D2e49BC08356db37478538")
                    .partner_order_id("order-42")
                    .build()
                    .unwrap(),
                USER_IP,
            )
            .await
            .unwrap();
        let order_id = load_transak_widget(widget.url).await;
        let order = client.order(&order_id).await.unwrap();
        assert_eq!(order.id, order_id);
        assert_eq!(
            order.status,
            ramp_transak::OrderStatus::AwaitingPaymentFromUser
        );
        assert_eq!(order.partner_order_id.as_deref(), Some("order-42"));
        assert_eq!(order.fiat_amount, Some(ramp_transak::Decimal::from(150)));
        assert!(order.address_check(true).is_valid());
    }

    #[tokio::test]
    async fn a_price_quote_is_exact_and_the_minimum_is_transaks_error() {
        use ramp_transak::{BuyOrSell, Decimal, PriceQuoteRequest};
        let sandbox = Sandbox::start().await.unwrap();
        let client = client(&sandbox);
        let request = |fiat: Decimal| {
            PriceQuoteRequest::builder()
                .fiat_currency("EUR")
                .crypto_currency("ETH")
                .network("ethereum")
                .payment_method("credit_debit_card")
                .fiat_amount(fiat)
                .build()
                .unwrap()
        };
        let quote = client
            .price_quote(&request(Decimal::new(15050, 2)))
            .await
            .unwrap();
        // 1% of 150.50 is 1.505, rounded half up to 1.51, plus the 0.50 network fee.
        assert_eq!(quote.total_fee.unwrap().to_string(), "2.01");
        assert_eq!(quote.fiat_amount.to_string(), "150.50");
        // (150.50 - 2.01) / 3000 = 0.04949666..., to 8 places.
        assert_eq!(quote.crypto_amount.to_string(), "0.04949667");
        assert_eq!(
            quote.fee_breakdown.iter().map(|f| f.value).sum::<Decimal>(),
            quote.total_fee.unwrap()
        );
        assert_eq!(sandbox.transak_token_refreshes(), 0, "a public call");

        let sell = PriceQuoteRequest::builder()
            .fiat_currency("EUR")
            .crypto_currency("ETH")
            .side(BuyOrSell::Sell)
            .network("ethereum")
            .payment_method("sepa_bank_transfer")
            .crypto_amount(Decimal::new(5, 2))
            .build()
            .unwrap();
        let quote = client.price_quote(&sell).await.unwrap();
        assert_eq!(quote.is_buy_or_sell, Some(BuyOrSell::Sell));
        // 0.05 × 3000 = 150.00, plus 1.50 (1%) and 0.50.
        assert_eq!(quote.fiat_amount.to_string(), "152.00");

        let err = client
            .price_quote(&request(Decimal::from(10)))
            .await
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "Transak error 1005 (HTTP 400 Bad Request): Minimum order value is 30 EUR"
        );
    }
}

mod koinal {
    use super::*;
    use ramp_koinal::{Client, Decimal, OrderRequest, OrderStatus, QuoteRequest};

    #[tokio::test]
    async fn quote_order_status_and_callback_and_bad_hash_or_token_refused() {
        let sandbox = Sandbox::start().await.unwrap();
        let client = |merchant_secret: &str| {
            Client::builder(
                url(&sandbox.koinal_url()),
                c::KOINAL_MERCHANT_CODE,
                secret(merchant_secret),
            )
            .build()
            .unwrap()
        };
        let good = client(c::KOINAL_SECRET);
        let request = QuoteRequest::builder()
            .cryptocurrency("BTC")
            .currency("USD")
            .currency_amount(Decimal::from(1000))
            .build()
            .unwrap();
        let quote = good.quote("User1", &request).await.unwrap();
        assert_eq!(quote.cryptocurrency_amount.to_string(), "0.02");
        let order = good
            .create_order(
                "User1",
                &quote
                    .order("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq")
                    .build()
                    .unwrap(),
            )
            .await
            .unwrap();
        let status = good.order_status("User1", &order.order_id).await.unwrap();
        assert_eq!(status.status, OrderStatus::PaymentWaiting);
        let (body, signature) = sandbox.koinal_callback(&order.order_id).unwrap();
        let received = ramp_koinal::WebhookVerifier::new(
            secret(c::KOINAL_CALLBACK_SECRET),
            ramp_koinal::CallbackScheme::HmacBodyPlusSecret,
        )
        .unwrap()
        .verify(
            &body,
            &ramp_core::webhook::header_map("Signature", &signature).unwrap(),
        )
        .unwrap();
        assert_eq!(received.order_id, order.order_id);

        let err = client("wrong").quote("User1", &request).await.unwrap_err();
        assert!(
            err.api()
                .is_some_and(|api| api.code.as_deref() == Some("97")),
            "{err}"
        );
        // A quote token binds one order: using it again is refused.
        let again = good
            .create_order(
                "User1",
                &OrderRequest::builder(quote.token.clone(), "bc1q")
                    .build()
                    .unwrap(),
            )
            .await
            .unwrap_err();
        assert!(
            again
                .api()
                .is_some_and(|api| api.code.as_deref() == Some("14")),
            "{again}"
        );
    }
}

mod onramper {
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
        let body: serde_json::Value =
            serde_json::from_str(&response.text().await.unwrap()).unwrap();
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
                &SignOptions::new()
                    .timestamp(OffsetDateTime::now_utc() - Duration::from_secs(16 * 60)),
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
}

mod failures {
    use super::*;
    use ramp_sandbox::Failure;
    use std::time::{Duration, Instant};

    #[tokio::test]
    async fn an_injected_502_and_a_slow_answer_reach_the_sdk() {
        let sandbox = Sandbox::start().await.unwrap();
        let client =
            ramp_proof::Client::builder(url(&sandbox.proof_url()), secret(c::PROOF_CLIENT_TOKEN))
                .http_config(
                    HttpConfig::new()
                        .retry(ramp_proof::RetryPolicy::none())
                        .timeout(Duration::from_millis(300)),
                )
                .build()
                .unwrap();
        sandbox.fail_next(1, Failure::Status(502));
        let err = client.transaction("unknown").await.unwrap_err();
        assert!(
            err.status().is_some_and(|status| status.as_u16() == 502) && err.http().is_some(),
            "{err:?}"
        );
        sandbox.fail_next(1, Failure::Slow(Duration::from_secs(2)));
        let started = Instant::now();
        let err = client.transaction("unknown").await.unwrap_err();
        assert!(err.is_timeout(), "{err:?}");
        assert!(started.elapsed() < Duration::from_secs(2));
        // Back to normal: the emulator answers (404 for an unknown transaction).
        let err = client.transaction("unknown").await.unwrap_err();
        assert_eq!(err.api_kind(), Some(ramp_proof::ApiErrorKind::NotFound));
    }
}

mod triggers {
    use super::*;
    use ramp_sandbox::Trigger;
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    async fn receiver() -> MockServer {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200))
            .mount(&server)
            .await;
        server
    }

    #[tokio::test]
    async fn callbacks_and_webhooks_are_delivered_signed_and_verify_with_the_sdks() {
        let sandbox = Sandbox::start().await.unwrap();
        let endpoint = receiver().await;

        // Koinal: an order, then its callback.
        let koinal = ramp_koinal::Client::builder(
            url(&sandbox.koinal_url()),
            c::KOINAL_MERCHANT_CODE,
            secret(c::KOINAL_SECRET),
        )
        .build()
        .unwrap();
        let quote = koinal
            .quote(
                "User1",
                &ramp_koinal::QuoteRequest::builder()
                    .cryptocurrency("ETH")
                    .currency("USD")
                    .currency_amount(ramp_koinal::Decimal::from(500))
                    .build()
                    .unwrap(),
            )
            .await
            .unwrap();
        let order = koinal
            .create_order(
                "User1",
                &quote
                    .order("0x977BC1915dA4f7edA9D2e49BC08356db37478538")
                    .build()
                    .unwrap(),
            )
            .await
            .unwrap();
        let delivery = sandbox
            .trigger(
                Trigger::KoinalCallback {
                    order_id: order.order_id.clone(),
                },
                &endpoint.uri(),
            )
            .await
            .unwrap();
        assert_eq!(delivery.status, 200);
        let received = endpoint.received_requests().await.unwrap();
        let signature = received[0]
            .headers
            .get("signature")
            .unwrap()
            .to_str()
            .unwrap();
        let callback = ramp_koinal::WebhookVerifier::new(
            secret(c::KOINAL_CALLBACK_SECRET),
            ramp_koinal::CallbackScheme::HmacBodyPlusSecret,
        )
        .unwrap()
        .verify(
            &received[0].body,
            &ramp_core::webhook::header_map("Signature", signature).unwrap(),
        )
        .unwrap();
        assert_eq!(callback.crypto_amount.to_string(), "0.2");

        // Proof: each trigger advances the transaction.
        let proof =
            ramp_proof::Client::builder(url(&sandbox.proof_url()), secret(c::PROOF_CLIENT_TOKEN))
                .build()
                .unwrap();
        let session = proof
            .create_session(
                &ramp_proof::SessionRequest::builder()
                    .partner_user_id("u")
                    .user_email("u@example.com")
                    .network("ERC20")
                    .currency("USDC")
                    .amount(ramp_proof::Decimal::from(5))
                    .build()
                    .unwrap(),
            )
            .await
            .unwrap();
        for expected in ["processing", "completed"] {
            let delivery = sandbox
                .trigger(
                    Trigger::ProofWebhook {
                        merchant_transaction_id: session.merchant_transaction_id.clone(),
                    },
                    &endpoint.uri(),
                )
                .await
                .unwrap();
            let update = ramp_proof::webhook::parse(&delivery.body).unwrap();
            assert_eq!(update.claimed_status().as_str(), expected);
        }
        assert!(
            proof
                .transaction(&session.merchant_transaction_id)
                .await
                .unwrap()
                .status
                .is_terminal()
        );

        // Transak: signed with the current access token, which the client knows.
        let transak = ramp_transak::Client::builder(
            ramp_transak::Environment::Custom {
                api: url(&sandbox.transak_api_url()),
                gateway: url(&sandbox.transak_gateway_url()),
            },
            secret(c::TRANSAK_API_KEY),
            secret(c::TRANSAK_API_SECRET),
        )
        .build()
        .unwrap();
        assert!(
            sandbox
                .trigger(
                    Trigger::TransakWebhook {
                        order_id: "ord_1".into(),
                        event: "ORDER_COMPLETED".into()
                    },
                    &endpoint.uri()
                )
                .await
                .unwrap_err()
                .contains("no Transak access token")
        );
        transak.access_token().await.unwrap();
        // Only an order the sandbox made (by loading a widget URL) can be reported.
        assert!(
            sandbox
                .trigger(
                    Trigger::TransakWebhook {
                        order_id: "ord_1".into(),
                        event: "ORDER_REFUNDED".into()
                    },
                    &endpoint.uri()
                )
                .await
                .unwrap_err()
                .contains("no Transak order \"ord_1\"")
        );
        let widget = transak
            .create_widget_url(
                &ramp_transak::WidgetParams::builder()
                    .referrer_domain("yourdomain.com")
                    .build()
                    .unwrap(),
                USER_IP,
            )
            .await
            .unwrap();
        let order_id = load_transak_widget(widget.url).await;
        let delivery = sandbox
            .trigger(
                Trigger::TransakWebhook {
                    order_id: order_id.clone(),
                    event: "ORDER_REFUNDED".into(),
                },
                &endpoint.uri(),
            )
            .await
            .unwrap();
        let event = transak
            .verify_webhook(&delivery.body, &ramp_transak::HeaderMap::new())
            .await
            .unwrap();
        assert_eq!(event.event, ramp_transak::EventType::OrderRefunded);
        assert_eq!(event.order.id, order_id);
        assert!(event.order.status.is_terminal());
        // The order endpoint agrees with the webhook.
        assert!(transak.order(&order_id).await.unwrap().status.is_terminal());

        // Onramper: signed with the webhook secret.
        let delivery = sandbox
            .trigger(
                Trigger::OnramperWebhook {
                    transaction_id: "01HX9".into(),
                    status: "completed".into(),
                },
                &endpoint.uri(),
            )
            .await
            .unwrap();
        let received = endpoint.received_requests().await.unwrap();
        let last = received.last().unwrap();
        assert_eq!(last.body, delivery.body);
        let signature = last
            .headers
            .get("x-onramper-webhook-signature")
            .unwrap()
            .to_str()
            .unwrap();
        let event =
            ramp_onramper_sign::webhook::WebhookVerifier::new(secret(c::ONRAMPER_WEBHOOK_SECRET))
                .unwrap()
                .verify(
                    &last.body,
                    &ramp_core::webhook::header_map("X-Onramper-Webhook-Signature", signature)
                        .unwrap(),
                )
                .unwrap();
        assert_eq!(event.status, ramp_onramper_sign::webhook::Status::Completed);
        assert_eq!(event.out_amount.unwrap().to_string(), "0.00123456");
    }
}
