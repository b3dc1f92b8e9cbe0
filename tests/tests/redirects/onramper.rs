//! Onramper's API client: the checkout, quotes and supported data never follow a redirect.
use super::*;
use ramp_core::http::HttpConfig;
use ramp_onramper::{
    CheckoutRequest, Client, Decimal, Environment, Error, Platform, QuoteRequest, SecretString,
    SigningKey, Url,
};

const KEY_PEM: &str = "-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIEzNCJso/5banbbDRuwRTg9bijGfNaumJNqM9u1PuKb7
-----END PRIVATE KEY-----
";

fn client(server: &MockServer) -> Client {
    Client::builder(
        Environment::Custom(Url::parse(&server.uri()).unwrap()),
        SecretString::from("pk_test_key"),
    )
    .signing_key(SigningKey::from_pkcs8_pem(KEY_PEM).unwrap())
    .http_config(HttpConfig::new().retry(retries()))
    .build()
    .unwrap()
}

fn http(err: &Error) -> Option<&HttpError> {
    err.http()
}

#[tokio::test]
async fn no_operation_follows_a_redirect() {
    let checkout = CheckoutRequest::builder()
        .onramp("moonpay")
        .source("eur")
        .destination("eth")
        .amount(Decimal::from(100))
        .payment_method("creditcard")
        .network("ethereum")
        .wallet_address("0x977BC1915dA4f7edA9D2e49BC08356db37478538")
        .partner_context("order-42")
        .build()
        .unwrap();
    let quote = QuoteRequest::builder()
        .source("eur")
        .destination("eth")
        .amount(Decimal::from(100))
        .build()
        .unwrap();
    for status in STATUSES {
        let target = elsewhere().await;
        let server = redirecting_everything(status, &target).await;
        let err = client(&server)
            .checkout(&checkout, USER_IP, Platform::Web)
            .await
            .unwrap_err();
        assert_refused("checkout", status, http(&err), &server, 1, &target).await;

        let target = elsewhere().await;
        let server = redirecting_everything(status, &target).await;
        let err = client(&server).quotes(&quote).await.unwrap_err();
        assert_refused("quotes", status, http(&err), &server, 1, &target).await;

        let target = elsewhere().await;
        let server = redirecting_everything(status, &target).await;
        let err = client(&server).supported().await.unwrap_err();
        assert_refused("supported", status, http(&err), &server, 1, &target).await;
    }
}
