//! The client against Transak's documented contract, on local wiremock servers (one for the
//! API host, one for the gateway) per test: the token request exactly, token reuse, expiry,
//! single-flight refresh, the 401 path, the session request exactly, errors and timeouts.

use ramp_core::http::HttpConfig;
use ramp_transak::{ErrorKind, HttpErrorKind};
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use ramp_testkit::{header_names, names};
use ramp_transak::{
    Client, ColorMode, Decimal, Environment, Error, HttpError, MemoryTokenStore, OrderStatus,
    Products, RetryPolicy, SecretString, Url, UserAddress, UserData, WalletAddress,
    WalletAddressesData, WidgetParams,
};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const API_KEY: &str = "a1b2c3d4-transak-api-key";
const API_SECRET: &str = "s3cr3t-transak-api-secret-9f8e";
const NOW: u64 = 1_795_420_800;
const WEEK: u64 = 7 * 24 * 60 * 60;
/// The end user's IP (a documentation address, RFC 5737).
const USER_IP: std::net::IpAddr = std::net::IpAddr::V4(std::net::Ipv4Addr::new(203, 0, 113, 9));
const WIDGET: &str = r#"{"data": {"widgetUrl": "https://global-stg.transak.com?sessionId=7f1c9a2e-0d3b-4c5e-8f6a-1b2c3d4e5f60"}}"#;

/// Answers the token endpoint with `tok_1`, `tok_2`, ... valid for a week from `NOW`.
struct Tokens {
    issued: AtomicUsize,
    delay: Duration,
}

impl Respond for Tokens {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        ResponseTemplate::new(200)
            .set_delay(self.delay)
            .set_body_string(format!(
                r#"{{"data": {{"accessToken": "tok_{n}", "expiresAt": {}}}}}"#,
                NOW + WEEK
            ))
    }
}

struct Hosts {
    api: MockServer,
    gateway: MockServer,
}

impl Hosts {
    async fn start() -> Self {
        Self {
            api: ramp_testkit::strict_server().await,
            gateway: ramp_testkit::strict_server().await,
        }
    }

    fn environment(&self) -> Environment {
        Environment::Custom {
            api: Url::parse(&self.api.uri()).unwrap(),
            gateway: Url::parse(&self.gateway.uri()).unwrap(),
        }
    }

    async fn issue_tokens(&self, delay: Duration) {
        Mock::given(method("POST"))
            .and(path("/partners/api/v2/refresh-token"))
            .respond_with(Tokens {
                issued: AtomicUsize::new(0),
                delay,
            })
            .mount(&self.api)
            .await;
    }

    async fn widget_answers(&self, status: u16, body: &str) {
        Mock::given(method("POST"))
            .and(path("/api/v2/auth/session"))
            .respond_with(ResponseTemplate::new(status).set_body_string(body))
            .mount(&self.gateway)
            .await;
    }

    fn builder(&self) -> ramp_transak::ClientBuilder {
        Client::builder(
            self.environment(),
            SecretString::from(API_KEY),
            SecretString::from(API_SECRET),
        )
        .referrer_domain("yourdomain.com")
        .clock(|| NOW)
        .http_config(
            HttpConfig::new().retry(
                RetryPolicy::deterministic()
                    .with_base_delay(Duration::from_millis(1))
                    .with_max_attempts(3),
            ),
        )
    }

    fn client(&self) -> Client {
        self.builder().build().unwrap()
    }

    async fn token_requests(&self) -> usize {
        self.api
            .received_requests()
            .await
            .unwrap()
            .iter()
            .filter(|r| r.url.path() == "/partners/api/v2/refresh-token")
            .count()
    }

    /// The `access-token` header of each session request, in order.
    async fn session_tokens(&self) -> Vec<String> {
        self.gateway
            .received_requests()
            .await
            .unwrap()
            .iter()
            .map(|r| {
                r.headers
                    .get("access-token")
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .to_owned()
            })
            .collect()
    }
}

#[tokio::test]
async fn the_token_request_is_exactly_as_documented() {
    let hosts = Hosts::start().await;
    hosts.issue_tokens(Duration::ZERO).await;
    hosts.widget_answers(200, WIDGET).await;
    hosts
        .client()
        .create_widget_url(&WidgetParams::default(), USER_IP)
        .await
        .unwrap();
    let received = hosts.api.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    let token = &received[0];
    assert_eq!(token.method.as_str(), "POST");
    assert_eq!(token.url.path(), "/partners/api/v2/refresh-token");
    assert_eq!(
        String::from_utf8(token.body.clone()).unwrap(),
        format!(r#"{{"apiKey":"{API_KEY}"}}"#)
    );
    let header = |name: &str| {
        token
            .headers
            .get(name)
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(header("api-secret"), API_SECRET);
    assert_eq!(header("x-api-key"), API_KEY);
    assert_eq!(header("content-type"), "application/json");
    assert_eq!(header("accept"), "application/json");
    assert_eq!(
        header("user-agent"),
        concat!("ramp-transak/", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(
        header_names(token),
        names(&[
            "accept",
            "api-secret",
            "content-length",
            "content-type",
            "host",
            "user-agent",
            "x-api-key"
        ])
    );
}

#[tokio::test]
async fn a_full_session_request_types_every_parameter() {
    let hosts = Hosts::start().await;
    hosts.issue_tokens(Duration::ZERO).await;
    hosts.widget_answers(200, WIDGET).await;
    let mut networks = std::collections::BTreeMap::new();
    networks.insert(
        "ethereum".to_owned(),
        WalletAddress {
            address: "0x977BC1915dA4f7edA9D2e49BC08356db37478538".into(),
            address_additional_data: None,
        },
    );
    let params = WidgetParams::builder()
        .products_availed(Products::BuyAndSell)
        .fiat_currency("EUR")
        .default_fiat_currency("EUR")
        .country_code("DE")
        .exclude_fiat_currencies(["USD", "GBP"])
        .network("ethereum")
        .default_network("ethereum")
        .networks(["ethereum", "polygon"])
        .crypto_currency_code("ETH")
        .default_crypto_currency("ETH")
        .crypto_currency_list(["ETH", "USDC"])
        .fiat_amount(Decimal::from_str("150.50").unwrap())
        .default_fiat_amount(Decimal::from(100))
        .default_crypto_amount(Decimal::from_str("0.123456789012345678").unwrap())
        .payment_method("credit_debit_card")
        .default_payment_method("credit_debit_card")
        .disable_payment_methods(["gbp_bank_transfer"])
        .wallet_address("0x977BC1915dA4f7edA9D2e49BC08356db37478538")
        .wallet_addresses_data(WalletAddressesData {
            networks: Some(networks),
            coins: None,
        })
        .disable_wallet_address_form(true)
        .email("user@example.com")
        .user_data(UserData {
            first_name: "Ada".into(),
            last_name: "Lovelace".into(),
            email: "user@example.com".into(),
            mobile_number: "+4915112345678".into(),
            dob: "10-12-1990".into(),
            address: UserAddress {
                address_line1: "Unter den Linden 1".into(),
                address_line2: String::new(),
                city: "Berlin".into(),
                state: "Berlin".into(),
                post_code: "10117".into(),
                country_code: "DE".into(),
            },
        })
        .is_auto_fill_user_data(true)
        .is_fee_calculation_hidden(false)
        .hide_exchange_screen(false)
        .theme_color("1461db")
        .hide_menu(true)
        .color_mode(ColorMode::Dark)
        .exchange_screen_title("Buy crypto")
        .background_colors(["#000000", "#1a1a1a"])
        .text_colors(["#ffffff"])
        .border_colors(["#333333"])
        .redirect_url("https://yourdomain.com/done")
        .partner_order_id("order-42")
        .partner_customer_id("customer-7")
        .wallet_redirection(false)
        // A published parameter left to `extra` on purpose (NFT checkout), sent as given.
        .extra("contractId", "c-7f1c9a2e")
        .build()
        .unwrap();
    hosts
        .client()
        .create_widget_url(&params, USER_IP)
        .await
        .unwrap();
    let received = hosts.gateway.received_requests().await.unwrap();
    let body = String::from_utf8(received[0].body.clone()).unwrap();
    assert!(body.contains(r#""fiatAmount":150.50,"#), "{body}");
    assert!(
        body.contains(r#""defaultCryptoAmount":0.123456789012345678,"#),
        "{body}"
    );
    insta::assert_snapshot!("full_session_body", body);
}

#[tokio::test]
async fn an_order_is_read_with_the_access_token_and_exact_amounts() {
    let hosts = Hosts::start().await;
    hosts.issue_tokens(Duration::ZERO).await;
    Mock::given(method("GET"))
        .and(path("/partners/api/v2/order/ord%2F42"))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            r#"{"meta": {"orderId": "ord/42"}, "data": {"id": "ord/42", "status": "PENDING_DELIVERY_FROM_TRANSAK", "isBuyOrSell": "BUY", "fiatCurrency": "EUR", "cryptoCurrency": "ETH", "fiatAmount": 150.5, "cryptoAmount": 0.041234567890123456, "network": "ethereum", "walletAddress": "0x977BC1915dA4f7edA9D2e49BC08356db37478538", "partnerOrderId": "order-42", "createdAt": "2026-11-23T10:00:00.000Z", "totalFeeInFiat": 3.2}}"#,
        ))
        .mount(&hosts.api)
        .await;
    let order = hosts.client().order("ord/42").await.unwrap();
    assert_eq!(order.status, OrderStatus::PendingDeliveryFromTransak);
    assert!(!order.status.is_terminal());
    assert_eq!(
        order.crypto_amount.unwrap().to_string(),
        "0.041234567890123456"
    );
    let received = hosts.api.received_requests().await.unwrap();
    let get = received
        .iter()
        .find(|r| r.method.as_str() == "GET")
        .unwrap();
    assert_eq!(get.headers.get("access-token").unwrap(), "tok_1");
    assert_eq!(get.headers.get("x-api-key").unwrap(), API_KEY);
    assert_eq!(
        header_names(get),
        names(&["accept", "access-token", "host", "user-agent", "x-api-key"])
    );
    insta::assert_debug_snapshot!("order", order);
}

/// A token endpoint whose tokens live `lifetime` seconds from `NOW`.
async fn short_lived_tokens(hosts: &Hosts, lifetime: u64) {
    Mock::given(method("POST"))
        .and(path("/partners/api/v2/refresh-token"))
        .respond_with(ResponseTemplate::new(200).set_body_string(format!(
            r#"{{"data": {{"accessToken": "tok_short", "expiresAt": {}}}}}"#,
            NOW + lifetime
        )))
        .mount(&hosts.api)
        .await;
}

const QUOTE: &str = r#"{"response": {"quoteId": "5b42f946-47b4-4bea-9e7e-563488d03333", "conversionPrice": 0.0004898564956664364, "marketConversionPrice": 0.0004933885928557331, "slippage": 0.72, "fiatCurrency": "EUR", "cryptoCurrency": "ETH", "paymentMethod": "credit_debit_card", "fiatAmount": 150.50, "cryptoAmount": 0.07215096, "isBuyOrSell": "BUY", "network": "ethereum", "totalFee": 3.21, "feeBreakdown": [{"name": "Transak fee", "value": 2.71, "id": "transak_fee"}, {"name": "Network/Exchange fee", "value": 0.50, "id": "network_fee"}], "nonce": 1773074894, "cryptoLiquidityProvider": "transak"}}"#;

fn quote_request() -> ramp_transak::PriceQuoteRequest {
    ramp_transak::PriceQuoteRequest::builder()
        .fiat_currency("EUR")
        .crypto_currency("ETH")
        .network("ethereum")
        .payment_method("credit_debit_card")
        .fiat_amount(Decimal::new(15050, 2))
        .quote_country_code("FR")
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_price_quote_is_public_exact_and_needs_no_token() {
    let hosts = Hosts::start().await;
    hosts.issue_tokens(Duration::ZERO).await;
    Mock::given(method("GET"))
        .and(path("/api/v1/pricing/public/quotes"))
        .respond_with(ResponseTemplate::new(200).set_body_string(QUOTE))
        .mount(&hosts.api)
        .await;
    let quote = hosts.client().price_quote(&quote_request()).await.unwrap();

    let received = hosts.api.received_requests().await.unwrap();
    assert_eq!(received.len(), 1, "no token request: the quote is public");
    let get = &received[0];
    assert_eq!(get.method.as_str(), "GET");
    assert_eq!(get.url.path(), "/api/v1/pricing/public/quotes");
    assert_eq!(
        get.url.query().unwrap(),
        format!(
            "partnerApiKey={API_KEY}&fiatCurrency=EUR&cryptoCurrency=ETH&isBuyOrSell=BUY\
             &network=ethereum&paymentMethod=credit_debit_card&fiatAmount=150.50&quoteCountryCode=FR"
        )
    );
    assert!(get.body.is_empty());
    assert_eq!(get.headers.get("accept").unwrap(), "application/json");
    assert_eq!(
        get.headers.get("user-agent").unwrap(),
        concat!("ramp-transak/", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(get.headers.get("x-api-key").unwrap(), API_KEY);
    assert_eq!(
        header_names(get),
        names(&["accept", "host", "user-agent", "x-api-key"])
    );

    assert_eq!(quote.quote_id, "5b42f946-47b4-4bea-9e7e-563488d03333");
    assert_eq!(quote.conversion_price.to_string(), "0.0004898564956664364");
    assert_eq!(quote.fiat_amount.to_string(), "150.50");
    assert_eq!(quote.crypto_amount.to_string(), "0.07215096");
    assert_eq!(quote.total_fee.unwrap().to_string(), "3.21");
    // What the docs say of the amounts: the fees come out of the fiat, then the rest is
    // converted at `conversionPrice` (as in Transak's recorded quote and documented orders).
    assert_eq!(
        ((quote.fiat_amount - quote.total_fee.unwrap()) * quote.conversion_price).round_dp(8),
        quote.crypto_amount
    );
    assert_eq!(
        quote.fee_breakdown.iter().map(|f| f.value).sum::<Decimal>(),
        quote.total_fee.unwrap()
    );
    insta::assert_debug_snapshot!("price_quote", quote);
}

#[path = "contract/tokens_and_refusals.rs"]
mod tokens_and_refusals;
