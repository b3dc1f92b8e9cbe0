//! No credential follows a redirect: every operation of every provider crate that sends a
//! credential is pointed, with 302, 307 and 308, at a second server; that server must see
//! nothing, and the call must fail with the redirect error, naming the status and the other
//! origin. (Issue: credentials reached another origin through redirects.)

use ramp_core::http::HttpConfig;
use std::time::Duration;

use ramp_core::http::{Error as HttpError, ErrorKind as HttpErrorKind, RetryPolicy, StatusCode};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const STATUSES: [u16; 3] = [302, 307, 308];

/// The end user's IP that Transak calls carry.
const USER_IP: std::net::IpAddr = std::net::IpAddr::V4(std::net::Ipv4Addr::new(203, 0, 113, 9));

/// Fast retries, so a redirect that were retried would show as more than one request.
fn retries() -> RetryPolicy {
    RetryPolicy::deterministic()
        .with_base_delay(Duration::from_millis(1))
        .with_max_attempts(3)
}

/// The server credentials must not reach: it answers everything, and counts.
async fn elsewhere() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    server
}

/// `status` with a `Location` on `target` (path and query included, which the error must
/// not repeat).
fn redirect(status: u16, target: &MockServer) -> ResponseTemplate {
    ResponseTemplate::new(status).insert_header(
        "location",
        format!("{}/collect?key=stolen", target.uri()).as_str(),
    )
}

async fn redirecting_everything(status: u16, target: &MockServer) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(redirect(status, target))
        .mount(&server)
        .await;
    server
}

/// The checks every case shares: nothing reached `target`, the provider server saw exactly
/// one request (a redirect is not retried), and the error is the redirect error.
async fn assert_refused(
    what: &str,
    status: u16,
    err: Option<&HttpError>,
    provider: &MockServer,
    provider_requests: usize,
    target: &MockServer,
) {
    assert!(
        target.received_requests().await.unwrap().is_empty(),
        "{what} {status}: the other origin received a request"
    );
    assert_eq!(
        provider.received_requests().await.unwrap().len(),
        provider_requests,
        "{what} {status}: requests at the provider"
    );
    match err.map(HttpError::kind) {
        Some(HttpErrorKind::Redirect {
            status: got,
            target: Some(origin),
            ..
        }) => {
            assert_eq!(*got, StatusCode::from_u16(status).unwrap(), "{what}");
            assert_eq!(origin, &target.uri(), "{what}");
        }
        other => panic!("{what} {status}: expected the redirect error, got {other:?}"),
    }
}

mod kryptonim {
    use super::*;
    use ramp_kryptonim::WidgetSessionRequest;
    use ramp_kryptonim::{Client, Decimal, Error, QuoteRequest, SecretString, Url};

    fn client(server: &MockServer) -> Client {
        Client::builder(
            Url::parse(&server.uri()).unwrap(),
            SecretString::from("kry_key"),
            SecretString::from("kry_signature_secret"),
        )
        .http_config(HttpConfig::new().retry(retries()))
        .build()
        .unwrap()
    }

    fn http(err: &Error) -> Option<&HttpError> {
        err.http()
    }

    #[tokio::test]
    async fn no_operation_follows_a_redirect() {
        let session = WidgetSessionRequest::builder()
            .fiat_amount(Decimal::from(15))
            .fiat_currency("EUR")
            .crypto_currency("USDC")
            .network("polygon")
            .destination_address("0x977BC1915dA4f7edA9D2e49BC08356db37478538")
            .build()
            .unwrap();
        let quote = QuoteRequest::builder()
            .fiat_currency("EUR")
            .fiat_amount(Decimal::from(15))
            .token("USDC")
            .chain(137)
            .build()
            .unwrap();
        for status in STATUSES {
            let target = elsewhere().await;
            let server = redirecting_everything(status, &target).await;
            let err = client(&server)
                .create_widget_session(&session)
                .await
                .unwrap_err();
            assert_refused(
                "create_widget_session",
                status,
                http(&err),
                &server,
                1,
                &target,
            )
            .await;

            let target = elsewhere().await;
            let server = redirecting_everything(status, &target).await;
            let err = client(&server).quotes(&quote).await.unwrap_err();
            assert_refused("quotes", status, http(&err), &server, 1, &target).await;
        }
    }
}

mod proof {
    use super::*;
    use ramp_proof::{Client, Decimal, Error, SecretString, SessionRequest, Url};

    fn client(server: &MockServer) -> Client {
        Client::builder(
            Url::parse(&server.uri()).unwrap(),
            SecretString::from("proof_client_token"),
        )
        .origin("https://app.example.com")
        .http_config(HttpConfig::new().retry(retries()))
        .build()
        .unwrap()
    }

    fn http(err: &Error) -> Option<&HttpError> {
        err.http()
    }

    #[tokio::test]
    async fn no_operation_follows_a_redirect() {
        let request = SessionRequest::builder()
            .partner_user_id("user-123")
            .user_email("user@example.com")
            .network("TRC20")
            .currency("USDT")
            .amount(Decimal::from(100))
            .build()
            .unwrap();
        for status in STATUSES {
            let target = elsewhere().await;
            let server = redirecting_everything(status, &target).await;
            let err = client(&server).create_session(&request).await.unwrap_err();
            assert_refused("create_session", status, http(&err), &server, 1, &target).await;

            let target = elsewhere().await;
            let server = redirecting_everything(status, &target).await;
            let err = client(&server).transaction("tx-1").await.unwrap_err();
            assert_refused("transaction", status, http(&err), &server, 1, &target).await;
        }
    }
}

mod koinal {
    use super::*;
    use ramp_koinal::{Client, Decimal, Error, OrderRequest, QuoteRequest, SecretString, Url};

    fn client(server: &MockServer) -> Client {
        Client::builder(
            Url::parse(&server.uri()).unwrap(),
            1000,
            SecretString::from("11qq22ww"),
        )
        .http_config(HttpConfig::new().retry(retries()))
        .build()
        .unwrap()
    }

    fn http(err: &Error) -> Option<&HttpError> {
        err.http()
    }

    #[tokio::test]
    async fn no_operation_follows_a_redirect() {
        let quote = QuoteRequest::builder()
            .cryptocurrency("BTC")
            .currency("USD")
            .currency_amount(Decimal::from(1000))
            .build()
            .unwrap();
        let order = OrderRequest::builder(
            "b4034a647879bd3b45a3d0e4ffe296a9",
            "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
        )
        .build()
        .unwrap();
        for status in STATUSES {
            let target = elsewhere().await;
            let server = redirecting_everything(status, &target).await;
            let err = client(&server).quote("User1", &quote).await.unwrap_err();
            assert_refused("quote", status, http(&err), &server, 1, &target).await;

            let target = elsewhere().await;
            let server = redirecting_everything(status, &target).await;
            let err = client(&server)
                .create_order("User1", &order)
                .await
                .unwrap_err();
            assert_refused("create_order", status, http(&err), &server, 1, &target).await;

            let target = elsewhere().await;
            let server = redirecting_everything(status, &target).await;
            let err = client(&server)
                .order_status("User1", "12")
                .await
                .unwrap_err();
            assert_refused("order_status", status, http(&err), &server, 1, &target).await;
        }
    }
}

mod transak {
    use super::*;
    use ramp_transak::{Client, Environment, Error, SecretString, Url, WidgetParams};

    const TOKEN: &str = r#"{"data": {"accessToken": "tok_1", "expiresAt": 4102444800}}"#;

    fn client(api: &MockServer, gateway: &MockServer) -> Client {
        Client::builder(
            Environment::Custom {
                api: Url::parse(&api.uri()).unwrap(),
                gateway: Url::parse(&gateway.uri()).unwrap(),
            },
            SecretString::from("transak_api_key"),
            SecretString::from("transak_api_secret"),
        )
        .referrer_domain("yourdomain.com")
        .http_config(HttpConfig::new().retry(retries()))
        .build()
        .unwrap()
    }

    /// The error below the API, also when it came from the token refresh.
    fn http(err: &Error) -> Option<&HttpError> {
        err.http()
    }

    /// An API host that issues tokens (or redirects the refresh) and redirects orders.
    async fn api_host(refresh: Option<u16>, order: u16, target: &MockServer) -> MockServer {
        let server = MockServer::start().await;
        let tokens = match refresh {
            Some(status) => redirect(status, target),
            None => ResponseTemplate::new(200).set_body_string(TOKEN),
        };
        Mock::given(method("POST"))
            .and(path("/partners/api/v2/refresh-token"))
            .respond_with(tokens)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .respond_with(redirect(order, target))
            .mount(&server)
            .await;
        server
    }

    #[tokio::test]
    async fn no_operation_follows_a_redirect() {
        let params = WidgetParams::builder()
            .crypto_currency_code("ETH")
            .build()
            .unwrap();
        let user = SecretString::from("user_authorization_token");
        for status in STATUSES {
            // The refresh itself: the API secret and the API key (in the body) stay home.
            let target = elsewhere().await;
            let api = api_host(Some(status), 200, &target).await;
            let gateway = MockServer::start().await;
            let err = client(&api, &gateway).access_token().await.unwrap_err();
            assert_refused("refresh-token", status, http(&err), &api, 1, &target).await;

            // Widget URLs, with and without the user's authorization.
            for with_user in [false, true] {
                let target = elsewhere().await;
                let api = api_host(None, 200, &target).await;
                let gateway = redirecting_everything(status, &target).await;
                let client = client(&api, &gateway);
                let err = if with_user {
                    client
                        .create_widget_url_for_user(&params, USER_IP, &user)
                        .await
                } else {
                    client.create_widget_url(&params, USER_IP).await
                }
                .unwrap_err();
                let what = format!("create_widget_url (user: {with_user})");
                assert_refused(&what, status, http(&err), &gateway, 1, &target).await;
            }

            // Orders: one token request, then the redirected order read.
            let target = elsewhere().await;
            let api = api_host(None, status, &target).await;
            let gateway = MockServer::start().await;
            let err = client(&api, &gateway).order("ord-1").await.unwrap_err();
            assert_refused("order", status, http(&err), &api, 2, &target).await;

            // Get Orders (through the stream) and Get Webhooks.
            let target = elsewhere().await;
            let api = api_host(None, status, &target).await;
            let query = ramp_transak::OrdersQuery::default();
            let mut orders = std::pin::pin!(client(&api, &gateway).orders(&query));
            let err = futures_util::StreamExt::next(&mut orders)
                .await
                .unwrap()
                .unwrap_err();
            assert_refused("orders", status, http(&err), &api, 2, &target).await;
            let target = elsewhere().await;
            let api = api_host(None, status, &target).await;
            let err = client(&api, &gateway)
                .sent_webhooks("ord-1", None)
                .await
                .unwrap_err();
            assert_refused("sent_webhooks", status, http(&err), &api, 2, &target).await;
        }
    }
}

#[path = "redirects/onramper.rs"]
mod onramper;
