//! One quote across providers, against stand-ins on 127.0.0.1 answering as each provider
//! documents (Koinal's own example, the Onramper answer a public integration records,
//! Transak's and Kryptonim's answer shapes): each provider asked in its own words, the offers
//! exact and ordered, every failure beside them, a slow provider cut off at the deadline.

use std::time::Duration;

use ramp::quote::{Comparable, Fees, PaymentClass, QuoteRequest, Quoter, Quotes, Refusal};
use ramp::{Decimal, SecretString};
use ramp_core::http::{HttpConfig, RetryPolicy, Url};
use wiremock::matchers::{body_partial_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn no_retries() -> HttpConfig {
    HttpConfig::new().retry(RetryPolicy::none())
}

fn onramper(server: &MockServer) -> ramp::onramper::Client {
    ramp::onramper::Client::builder(
        ramp::onramper::Environment::Custom(Url::parse(&server.uri()).unwrap()),
        SecretString::from("pk_test_quotes"),
    )
    .http_config(no_retries())
    .build()
    .unwrap()
}

fn koinal(server: &MockServer) -> ramp::koinal::Client {
    ramp::koinal::Client::builder(
        Url::parse(&server.uri()).unwrap(),
        204817,
        SecretString::from("k0inal"),
    )
    .http_config(no_retries())
    .build()
    .unwrap()
}

fn transak(server: &MockServer) -> ramp::transak::Client {
    let url = Url::parse(&server.uri()).unwrap();
    ramp::transak::Client::builder(
        ramp::transak::Environment::Custom {
            api: url.clone(),
            gateway: url,
        },
        SecretString::from("transak-key"),
        SecretString::from("transak-secret"),
    )
    .http_config(no_retries())
    .build()
    .unwrap()
}

fn kryptonim(server: &MockServer) -> ramp::kryptonim::Client {
    ramp::kryptonim::Client::builder(
        Url::parse(&server.uri()).unwrap(),
        SecretString::from("kryptonim-key"),
        SecretString::from("kryptonim-secret"),
    )
    .http_config(no_retries())
    .build()
    .unwrap()
}

/// Koinal's own example answer (its quote documentation), verbatim.
const KOINAL_QUOTE: &str = r#"{"data": {"cryptocurrency_amount": 0.10034116, "cryptocurrency": "BTC",
  "currency_amount": 1000, "currency": "USD", "token": "83771cad9663db92693bc57579182678"},
  "code": "00", "message": "APPROVED", "status": "APPROVED"}"#;

/// Onramper's answer as a public integration records it: one ramp priced, one refused.
const ONRAMPER_QUOTES: &str = r#"[{"rate":24138.08409757557,"networkFee":0,"transactionFee":0,"payout":0.00398,
  "ramp":"moonpay","paymentMethod":"creditcard","quoteId":"01H985NH79FW951SKERQ45JMYXmoonpay","recommendations":["LowKyc","BestPrice"]},
 {"ramp":"fonbnk","paymentMethod":"creditcard","errors":[{"type":"NoSupportedPaymentFound","errorId":6103,"message":"No supported payments found"}],"quoteId":"01H985NH79FW951SKERQ45JMYXfonbnk"}]"#;

#[tokio::test]
async fn every_provider_is_asked_in_its_words_and_the_offers_come_ranked_with_the_failures() {
    let (k, o, t, y) = (
        MockServer::start().await,
        MockServer::start().await,
        MockServer::start().await,
        MockServer::start().await,
    );
    Mock::given(method("POST"))
        .and(path("/quotes"))
        .and(body_partial_json(serde_json::json!({"cryptocurrency": "BTC", "currency": "USD", "currency_amount": 1000})))
        .respond_with(ResponseTemplate::new(200).set_body_string(KOINAL_QUOTE))
        .expect(1)
        .mount(&k)
        .await;
    Mock::given(method("GET"))
        .and(path("/quotes/usd/btc"))
        .and(query_param("amount", "1000"))
        .and(query_param("paymentMethod", "creditcard"))
        .and(query_param("network", "bitcoin"))
        .respond_with(ResponseTemplate::new(200).set_body_string(ONRAMPER_QUOTES))
        .expect(1)
        .mount(&o)
        .await;
    let quotes = Quotes::new()
        .koinal(koinal(&k), "User1")
        .onramper(onramper(&o))
        .transak(transak(&t))
        .kryptonim(kryptonim(&y));
    let request = QuoteRequest::new("usd", Decimal::from(1000), "btc", "bitcoin").unwrap();
    let comparison = quotes.quote(&request).await;

    let offers: Vec<(Quoter, Option<&str>, String, Comparable)> = comparison
        .offers
        .iter()
        .map(|(offer, comparable)| {
            (
                offer.quoter,
                offer.ramp.as_deref(),
                offer.crypto_amount.to_string(),
                comparable.clone(),
            )
        })
        .collect();
    assert_eq!(
        offers,
        [
            (
                Quoter::Onramper,
                Some("moonpay"),
                "0.00398".to_owned(),
                Comparable::Yes
            ),
            (
                Quoter::Koinal,
                None,
                "0.10034116".to_owned(),
                Comparable::No("network not said, payment method not said".into())
            ),
        ]
    );
    let (moonpay, _) = &comparison.offers[0];
    assert_eq!(moonpay.labels, ["LowKyc", "BestPrice"]);
    assert_eq!(moonpay.payment, Some(PaymentClass::Card));
    assert_eq!(moonpay.fees.total(), Some(Decimal::ZERO));
    let (koinal, _) = &comparison.offers[1];
    assert!(koinal.binding, "Koinal's quote token binds its order");
    assert_eq!(koinal.fees, Fees::NotItemized);
    assert_eq!(comparison.best().map(|o| o.quoter), Some(Quoter::Onramper));

    let failures: Vec<(Quoter, Option<&str>, String)> = comparison
        .failures
        .iter()
        .map(|f| (f.quoter, f.ramp.as_deref(), f.refusal.to_string()))
        .collect();
    assert_eq!(
        failures,
        [
            (
                Quoter::Kryptonim,
                None,
                "unsupported: Kryptonim's chainId for bitcoin is not known here".to_owned()
            ),
            (
                Quoter::Onramper,
                Some("fonbnk"),
                "NoSupportedPaymentFound: No supported payments found".to_owned()
            ),
            (
                Quoter::Transak,
                None,
                "unsupported: Transak's name for bitcoin is not known here".to_owned()
            ),
        ]
    );
    // Nothing was sent to the providers that cannot quote it.
    assert!(t.received_requests().await.unwrap().is_empty());
    assert!(y.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_slow_provider_is_cut_off_at_the_deadline_and_the_others_still_answer() {
    let (t, y, o) = (
        MockServer::start().await,
        MockServer::start().await,
        MockServer::start().await,
    );
    Mock::given(method("GET"))
        .and(path("/api/v1/pricing/public/quotes"))
        .and(query_param("fiatCurrency", "EUR"))
        .and(query_param("cryptoCurrency", "ETH"))
        .and(query_param("network", "ethereum"))
        .and(query_param("paymentMethod", "credit_debit_card"))
        .and(query_param("fiatAmount", "150.50"))
        .and(header("x-user-ip", "203.0.113.9"))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            r#"{"response": {"quoteId": "q-t", "conversionPrice": 0.0004898564956664364, "fiatCurrency": "EUR",
              "cryptoCurrency": "ETH", "paymentMethod": "credit_debit_card", "fiatAmount": 150.50,
              "cryptoAmount": 0.07215096, "isBuyOrSell": "BUY", "network": "ethereum", "totalFee": 3.21,
              "feeBreakdown": [{"name": "Transak fee", "value": 2.71, "id": "transak_fee"},
                               {"name": "Network/Exchange fee", "value": 0.50, "id": "network_fee"}]}}"#,
        ))
        .expect(1)
        .mount(&t)
        .await;
    // Kryptonim answers, but far past the deadline.
    Mock::given(method("POST"))
        .and(path("/v1/quotes"))
        .and(body_partial_json(
            serde_json::json!({"chainId": 1, "paymentMethod": "card"}),
        ))
        .respond_with(
            ResponseTemplate::new(200)
                .set_delay(Duration::from_secs(5))
                .set_body_string("[]"),
        )
        .mount(&y)
        .await;
    // Onramper's ramp below its minimum.
    Mock::given(method("GET"))
        .and(path("/quotes/eur/eth"))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            r#"[{"ramp":"banxa","paymentMethod":"creditcard","errors":[{"type":"LimitMismatch","errorId":6102,
               "message":"Amount below the minimum","minAmount":200}]}]"#,
        ))
        .mount(&o)
        .await;
    let quotes = Quotes::new()
        .transak(transak(&t))
        .kryptonim(kryptonim(&y))
        .onramper(onramper(&o))
        .deadline(Duration::from_millis(500));
    let request = QuoteRequest::new("EUR", "150.50".parse().unwrap(), "ETH", "erc20")
        .unwrap()
        .payment(PaymentClass::Card)
        .user_ip("203.0.113.9".parse().unwrap())
        .unwrap();
    let started = std::time::Instant::now();
    let comparison = quotes.quote(&request).await;
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(comparison.offers.len(), 1);
    let (transak, comparable) = &comparison.offers[0];
    assert_eq!(*comparable, Comparable::Yes);
    assert_eq!(
        (
            transak.crypto_amount.to_string(),
            transak.fiat_amount.to_string()
        ),
        ("0.07215096".to_owned(), "150.50".to_owned())
    );
    assert_eq!(transak.fees.total(), Some("3.21".parse().unwrap()));
    let failures: Vec<(Quoter, Option<&str>, &Refusal)> = comparison
        .failures
        .iter()
        .map(|f| (f.quoter, f.ramp.as_deref(), &f.refusal))
        .collect();
    assert_eq!(
        failures,
        [
            (Quoter::Kryptonim, None, &Refusal::Timeout),
            (
                Quoter::Onramper,
                Some("banxa"),
                &Refusal::Limit {
                    min_amount: Some(Decimal::from(200)),
                    max_amount: None
                }
            ),
        ]
    );
}

#[tokio::test]
async fn a_checkout_starts_at_each_sandbox_offer_and_a_wrong_wallet_sends_nothing() {
    use ramp::quote::{CheckoutDetails, CheckoutError};
    use ramp_sandbox::credentials as c;
    let sandbox = ramp_sandbox::Sandbox::start().await.unwrap();
    let url = |text: String| Url::parse(&text).unwrap();
    let onramper = ramp::onramper::Client::builder(
        ramp::onramper::Environment::Custom(url(sandbox.onramper_api_url())),
        SecretString::from(c::ONRAMPER_API_KEY),
    )
    .signing_key(
        ramp::onramper_sign::SigningKey::from_pkcs8_pem(c::ONRAMPER_V2_PRIVATE_KEY_PEM).unwrap(),
    )
    .build()
    .unwrap();
    let transak = ramp::transak::Client::builder(
        ramp::transak::Environment::Custom {
            api: url(sandbox.transak_api_url()),
            gateway: url(sandbox.transak_gateway_url()),
        },
        SecretString::from(c::TRANSAK_API_KEY),
        SecretString::from(c::TRANSAK_API_SECRET),
    )
    .referrer_domain("shop.example")
    .build()
    .unwrap();
    let quotes = Quotes::new()
        .onramper(onramper)
        .transak(transak)
        .kryptonim(
            ramp::kryptonim::Client::builder(
                url(sandbox.kryptonim_url()),
                SecretString::from(c::KRYPTONIM_API_KEY),
                SecretString::from(c::KRYPTONIM_SIGNATURE_SECRET),
            )
            .build()
            .unwrap(),
        )
        .koinal(
            ramp::koinal::Client::builder(
                url(sandbox.koinal_url()),
                c::KOINAL_MERCHANT_CODE,
                SecretString::from(c::KOINAL_SECRET),
            )
            .build()
            .unwrap(),
            "User1",
        );
    let request = QuoteRequest::new("EUR", Decimal::from(100), "ETH", "ethereum").unwrap();
    let comparison = quotes.quote(&request).await;
    assert!(comparison.failures.is_empty(), "{:?}", comparison.failures);
    let user = "203.0.113.9".parse().unwrap();
    let wallet = CheckoutDetails::new("0x977BC1915dA4f7edA9D2e49BC08356db37478538", user)
        .reference("order-7");
    let mut started = Vec::new();
    for (offer, _) in &comparison.offers {
        match quotes.checkout(offer, &wallet).await {
            Ok(checkout) => {
                assert_eq!(checkout.quoter, offer.quoter);
                assert_eq!(checkout.ramp, offer.ramp);
                assert!(
                    !format!("{checkout:?}").contains("http"),
                    "the URL never prints"
                );
                started.push(checkout.quoter.as_str());
            }
            // Kryptonim's widget names only polygon in its documentation.
            Err(CheckoutError::Provider {
                quoter: Quoter::Kryptonim,
                message,
            }) => {
                assert!(message.contains("ethereum is not known"), "{message}")
            }
            Err(err) => panic!("{err}"),
        }
    }
    started.sort_unstable();
    started.dedup();
    assert_eq!(started, ["koinal", "onramper", "transak"]);
    // Onramper's checkout carries your reference: without one, nothing is sent.
    let (onramper_offer, _) = comparison
        .offers
        .iter()
        .find(|(offer, _)| offer.quoter == Quoter::Onramper)
        .unwrap();
    let anonymous = CheckoutDetails::new("0x977BC1915dA4f7edA9D2e49BC08356db37478538", user);
    assert!(matches!(
        quotes.checkout(onramper_offer, &anonymous).await,
        Err(CheckoutError::Provider { quoter: Quoter::Onramper, ref message }) if message.contains("reference")
    ));

    // A Bitcoin address for an Ethereum offer: refused before anything is sent.
    let best = comparison.best().unwrap();
    let wrong = CheckoutDetails::new("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", user);
    assert!(matches!(
        quotes.checkout(best, &wrong).await,
        Err(CheckoutError::Address { ref network, .. }) if network == "ethereum"
    ));
}

#[tokio::test]
async fn kryptonim_is_asked_by_chain_id_and_its_offers_are_exact() {
    let y = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/quotes"))
        .and(header("x-api-key", "kryptonim-key"))
        .and(body_partial_json(serde_json::json!({"fiatCurrency": "EUR", "amount": "100.00",
            "tokenAddress": "USDC", "chainId": 137, "paymentMethod": "card"})))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            r#"[{"estimateID": "est_1", "quoteID": "q_1", "conversionPrice": "0.93120000",
                 "marketConversionPrice": "0.92500000", "fiatCurrency": "EUR", "cryptoCurrency": "USDC",
                 "paymentMethod": "card", "fiatAmount": "100.00",
                 "cryptoAmount": "107.388316151202749140", "isBuyOrSell": "BUY"}]"#,
        ))
        .expect(1)
        .mount(&y)
        .await;
    let request = QuoteRequest::new("EUR", "100.00".parse().unwrap(), "USDC", "137").unwrap();
    let comparison = Quotes::new().kryptonim(kryptonim(&y)).quote(&request).await;
    assert!(comparison.failures.is_empty(), "{:?}", comparison.failures);
    let (offer, comparable) = &comparison.offers[0];
    assert_eq!(*comparable, Comparable::Yes);
    assert_eq!(
        (
            offer.crypto_amount.to_string(),
            offer.fiat_amount.to_string(),
            offer.network.map(|n| n.as_str())
        ),
        (
            "107.388316151202749140".to_owned(),
            "100.00".to_owned(),
            Some("polygon")
        )
    );
    assert_eq!(offer.fees, Fees::NotItemized, "in its price");
}
