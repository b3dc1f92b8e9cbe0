//! Quotes and supported data on local wiremock servers: the exact request (a public call:
//! `Authorization` only, no signature), and answers in the shapes public integrations record
//! (Onramper's reference pages name these endpoints without their bodies), read exactly.

use ramp_core::http::HttpConfig;
use ramp_onramper::ErrorKind;
use ramp_onramper::{
    CheckoutType, Client, Decimal, Environment, Error, Platform, QuoteRequest, SecretString, Url,
};
use ramp_testkit::{answering_with, assert_headers, received};
use wiremock::MockServer;

const API_KEY: &str = "pk_test_sandbox";

fn client(server: &MockServer) -> Client {
    Client::builder(
        Environment::Custom(Url::parse(&server.uri()).unwrap()),
        SecretString::from(API_KEY),
    )
    .http_config(HttpConfig::new().retry(ramp_testkit::fast_retries()))
    .build()
    .unwrap()
}

/// The one GET the server saw: its path and query, and exactly the public call's headers.
async fn the_get(server: &MockServer) -> (String, Option<String>) {
    let requests = received(server).await;
    assert_eq!(requests.len(), 1);
    let get = &requests[0];
    assert_eq!(get.method.as_str(), "GET");
    assert!(get.body.is_empty());
    assert_headers(
        get,
        &[
            ("accept", "application/json"),
            ("authorization", API_KEY),
            (
                "user-agent",
                concat!("ramp-onramper/", env!("CARGO_PKG_VERSION")),
            ),
        ],
    );
    (
        get.url.path().to_owned(),
        get.url.query().map(str::to_owned),
    )
}

/// Two quotes as a public integration records them: one priced, one refused with its error.
const QUOTES: &str = r#"[{"rate":24138.08409757557,"networkFee":0,"transactionFee":0,"payout":0.00398,
  "availablePaymentMethods":[{"paymentTypeId":"creditcard","name":"Credit Card","icon":"https://cdn.onramper.com/icons/payments/creditcard.svg"}],
  "ramp":"moonpay","paymentMethod":"creditcard","quoteId":"01H985NH79FW951SKERQ45JMYXmoonpay","recommendations":["LowKyc","BestPrice"]},
 {"ramp":"fonbnk","paymentMethod":"creditcard","errors":[{"type":"NoSupportedPaymentFound","errorId":6103,"message":"No supported payments found"}],"quoteId":"01H985NH79FW951SKERQ45JMYXfonbnk"}]"#;

#[tokio::test]
async fn quotes_are_read_exactly_with_each_onramps_errors() {
    let server = answering_with(200, QUOTES, &[]).await;
    let request = QuoteRequest::builder()
        .source("usd")
        .destination("btc")
        .amount(Decimal::new(10050, 2))
        .payment_method("creditcard")
        .network("bitcoin")
        .platform(Platform::Web)
        .checkout_type(CheckoutType::Buy)
        .build()
        .unwrap();
    let quotes = client(&server).quotes(&request).await.unwrap();
    let (path, query) = the_get(&server).await;
    assert_eq!(path, "/quotes/usd/btc");
    assert_eq!(
        query.as_deref(),
        Some("amount=100.50&paymentMethod=creditcard&network=bitcoin&platform=web&type=buy")
    );
    assert_eq!(quotes.len(), 2);
    assert_eq!(quotes[0].rate.unwrap().to_string(), "24138.08409757557");
    assert_eq!(quotes[0].payout.unwrap().to_string(), "0.00398");
    assert_eq!(quotes[0].recommendations, ["LowKyc", "BestPrice"]);
    assert_eq!(
        quotes[0].available_payment_methods[0].payment_type_id,
        "creditcard"
    );
    assert_eq!(quotes[1].payout, None);
    assert_eq!(quotes[1].errors[0].error_id, Some(6103));
    insta::assert_debug_snapshot!("quotes", quotes);
}

#[tokio::test]
async fn a_quote_request_is_checked_before_sending() {
    let bad = [
        (
            "amount",
            QuoteRequest::builder().source("usd").destination("btc"),
        ),
        (
            "amount",
            QuoteRequest::builder()
                .source("usd")
                .destination("btc")
                .amount(Decimal::NEGATIVE_ONE),
        ),
        (
            "source",
            QuoteRequest::builder()
                .destination("btc")
                .amount(Decimal::ONE),
        ),
        (
            "network",
            QuoteRequest::builder()
                .source("usd")
                .destination("btc")
                .amount(Decimal::ONE)
                .network(" "),
        ),
    ];
    for (field, builder) in bad {
        match builder.build().map_err(Error::into_kind) {
            Err(ErrorKind::Validation { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{field}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn supported_currencies_and_countries_come_out_of_the_message_envelope() {
    let server = answering_with(
        200,
        r#"{"message":{"crypto":[{"code":"eth","network":"ethereum","decimals":18,"name":"Ethereum"}],"fiat":[{"code":"eur","decimals":2,"name":"Euro"},{"code":"gbp","decimals":2,"name":"British Pound"}]}}"#,
        &[],
    )
    .await;
    let supported = client(&server).supported().await.unwrap();
    assert_eq!(the_get(&server).await, ("/supported".into(), None));
    assert_eq!(supported.crypto[0].code, "eth");
    assert_eq!(supported.fiat.len(), 2);

    let server = answering_with(
        200,
        r#"{"message":[{"countryCode":"NL","countryName":"Netherlands"}]}"#,
        &[],
    )
    .await;
    let countries = client(&server).supported_countries().await.unwrap();
    assert_eq!(
        the_get(&server).await,
        ("/supported/countries".into(), None)
    );
    assert_eq!(countries[0].country_code, "NL");
}

#[tokio::test]
async fn assets_payment_types_and_defaults_are_typed() {
    let server = answering_with(
        200,
        r#"{"message":{"assets":[{"fiat":"usd","paymentMethods":["creditcard","iach"],"crypto":["eth","btc"]}],"country":"US"}}"#,
        &[],
    )
    .await;
    let assets = client(&server)
        .supported_assets("usd", CheckoutType::Buy, Some("US"))
        .await
        .unwrap();
    assert_eq!(
        the_get(&server).await,
        (
            "/supported/assets".into(),
            Some("source=usd&type=buy&country=US".into())
        )
    );
    assert_eq!(assets.assets[0].fiat, ["usd"]);
    assert_eq!(assets.assets[0].crypto, ["eth", "btc"]);

    let server = answering_with(
        200,
        r#"{"message":[{"paymentTypeId":"banktransfer","name":"Bank","icon":"https://cdn.onramper.com/icons/payments/banktransfer.svg","details":{"currencyStatus":"SourceAndDestSupported","limits":{"coinify":{"min":175,"max":50000},"aggregatedLimit":{"min":24.926,"max":50000}}}}]}"#,
        &[],
    )
    .await;
    let types = client(&server)
        .supported_payment_types("eur")
        .await
        .unwrap();
    assert_eq!(
        the_get(&server).await,
        ("/supported/payment-types/eur".into(), None)
    );
    let limits = &types[0].details.as_ref().unwrap().limits;
    assert_eq!(limits["aggregatedLimit"].min.unwrap().to_string(), "24.926");

    let server = answering_with(
        200,
        r#"{"message":{"recommended":{"source":"NGN","target":"BTC","amount":30000,"paymentMethod":"instantp2pbank","provider":"yellowcard","country":"ng"},"defaults":{"ad":{"source":"EUR","target":"BTC","amount":300,"paymentMethod":"debitcard","provider":"banxa"}}}}"#,
        &[],
    )
    .await;
    let defaults = client(&server)
        .supported_defaults(CheckoutType::Buy, Some("NG"))
        .await
        .unwrap();
    assert_eq!(
        the_get(&server).await,
        (
            "/supported/defaults/all".into(),
            Some("type=buy&country=NG".into())
        )
    );
    assert_eq!(
        defaults.recommended.unwrap().amount.unwrap().to_string(),
        "30000"
    );
    assert_eq!(defaults.defaults["ad"].provider.as_deref(), Some("banxa"));
}
