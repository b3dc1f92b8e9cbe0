//! One test per documented rule: the builder and the wire-JSON deserializer both refuse the
//! request with a `Validation` error naming the field, so no invalid request can be sent. The
//! testnet limits are checked by the client, and no request reaches the server.

use std::str::FromStr;

use ramp_kryptonim::{
    Client, Decimal, Error, ErrorKind, PaymentMethod, QuoteRequest, SecretString, Url,
    WidgetSessionRequest, WidgetSessionRequestBuilder,
};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn valid() -> WidgetSessionRequestBuilder {
    WidgetSessionRequest::builder()
        .fiat_amount(Decimal::from(15))
        .fiat_currency("EUR")
        .crypto_currency("USDC")
        .network("polygon")
        .destination_address("0x977BC1915dA4f7edA9D2e49BC08356db37478538")
}

/// The valid five-field body with `field` replaced (or removed, for `None`) and `extra` added.
fn json_with(field: &str, value: Option<&str>, extra: &str) -> String {
    let mut fields: Vec<(String, String)> = [
        ("fiatAmount", "15"),
        ("fiatCurrency", r#""EUR""#),
        ("cryptoCurrency", r#""USDC""#),
        ("network", r#""polygon""#),
        (
            "destinationAddress",
            r#""0x977BC1915dA4f7edA9D2e49BC08356db37478538""#,
        ),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    fields.retain(|(k, _)| k != field);
    if let Some(value) = value {
        fields.push((field.to_owned(), value.to_owned()));
    }
    let mut body: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!(r#""{k}":{v}"#))
        .collect();
    if !extra.is_empty() {
        body.push(extra.to_owned());
    }
    format!("{{{}}}", body.join(","))
}

/// The builder's error, which must name `field`; returns its Display.
fn refused(builder: WidgetSessionRequestBuilder, field: &str) -> String {
    match builder.build().map_err(Error::into_kind) {
        Err(ErrorKind::Validation {
            field: named,
            reason,
        }) => {
            assert_eq!(named, field, "{reason}");
            format!("invalid `{named}`: {reason}")
        }
        other => panic!("expected a validation error for {field}, got {other:?}"),
    }
}

/// The deserializer refuses `json` with the same message.
fn refused_json(json: &str, message: &str) {
    let err = serde_json::from_str::<WidgetSessionRequest>(json).unwrap_err();
    assert!(
        err.to_string().starts_with(message),
        "{json}\n  gave: {err}\n  want: {message}"
    );
}

#[test]
fn both_amounts_are_refused() {
    let message = refused(valid().crypto_amount(Decimal::ONE), "fiatAmount");
    assert_eq!(
        message,
        "invalid `fiatAmount`: give either `fiatAmount` or `cryptoAmount`, not both"
    );
    refused_json(&json_with("cryptoAmount", Some("1"), ""), &message);
}

#[test]
fn no_amount_is_refused() {
    let builder = WidgetSessionRequest::builder()
        .fiat_currency("EUR")
        .crypto_currency("USDC")
        .network("polygon")
        .destination_address("0x977BC1915dA4f7edA9D2e49BC08356db37478538");
    let message = refused(builder, "fiatAmount");
    assert_eq!(
        message,
        "invalid `fiatAmount`: one of `fiatAmount` or `cryptoAmount` is required"
    );
    refused_json(&json_with("fiatAmount", None, ""), &message);
}

#[test]
fn zero_and_negative_amounts_are_refused() {
    let message = refused(valid().fiat_amount(Decimal::ZERO), "fiatAmount");
    assert_eq!(
        message,
        "invalid `fiatAmount`: must be greater than zero, not 0"
    );
    refused_json(&json_with("fiatAmount", Some("0"), ""), &message);
    let message = refused(
        valid()
            .crypto_amount(Decimal::from_str("-0.5").unwrap())
            .fiat_amount(Decimal::ONE),
        "fiatAmount",
    );
    assert!(message.contains("not both"), "{message}");
    let negative = WidgetSessionRequest::builder()
        .crypto_amount(Decimal::from_str("-0.5").unwrap())
        .fiat_currency("EUR")
        .crypto_currency("USDC")
        .network("polygon")
        .destination_address("0x977BC1915dA4f7edA9D2e49BC08356db37478538");
    let message = refused(negative, "cryptoAmount");
    assert_eq!(
        message,
        "invalid `cryptoAmount`: must be greater than zero, not -0.5"
    );
    refused_json(
        &json_with("fiatAmount", None, r#""cryptoAmount":-0.5"#),
        &message,
    );
}

#[test]
fn a_fiat_currency_that_is_not_a_three_letter_code_is_refused() {
    for bad in ["EURO", "eur", "E1R", "€", ""] {
        let message = refused(valid().fiat_currency(bad), "fiatCurrency");
        refused_json(
            &json_with("fiatCurrency", Some(&format!("{bad:?}")), ""),
            &message,
        );
    }
    assert_eq!(
        refused(valid().fiat_currency("EURO"), "fiatCurrency"),
        r#"invalid `fiatCurrency`: must be a 3-letter upper-case code such as EUR, not "EURO""#
    );
}

#[test]
fn empty_crypto_currency_network_or_address_is_refused() {
    for (field, builder) in [
        ("cryptoCurrency", valid().crypto_currency("")),
        ("network", valid().network(" ")),
        ("destinationAddress", valid().destination_address("")),
    ] {
        let message = refused(builder, field);
        assert_eq!(message, format!("invalid `{field}`: must not be empty"));
        refused_json(&json_with(field, Some(r#""""#), ""), &message);
        refused_json(
            &json_with(field, None, ""),
            &format!("invalid `{field}`: is required"),
        );
    }
}

#[test]
fn an_email_without_local_part_and_domain_is_refused() {
    for bad in ["user", "@example.com", "user@", "user @example.com"] {
        let message = refused(valid().email(bad), "email");
        assert_eq!(
            message,
            format!("invalid `email`: {bad:?} is not an email address (local part @ domain)")
        );
        refused_json(&json_with("email", Some(&format!("{bad:?}")), ""), &message);
    }
    assert!(valid().email("user@example.com").build().is_ok());
}

#[test]
fn an_unlocked_field_outside_the_documented_eight_is_refused_from_json() {
    // The typed builder cannot name one; the seed's own example's `destinationAddress` is
    // the case that matters.
    refused_json(
        &json_with(
            "unlockedFields",
            Some(r#"["fiatAmount","destinationAddress"]"#),
            "",
        ),
        "invalid `unlockedFields`: `destinationAddress` cannot be unlocked; the documented \
         fields are fiatAmount, cryptoAmount, fiatCurrency, email, network, paymentMethod, \
         successUrl, failureUrl",
    );
}

#[test]
fn a_reserved_metadata_key_is_refused() {
    let message = refused(valid().metadata("_internal", "x"), "metadata");
    assert_eq!(
        message,
        "invalid `metadata`: key `_internal` starts with `_`, which is reserved; the only \
         reserved key allowed is `_externalPartnerId`"
    );
    refused_json(
        &json_with("metadata", Some(r#"{"_internal":"x"}"#), ""),
        &message,
    );
}

#[test]
fn a_non_string_external_partner_id_is_refused() {
    let message = refused(valid().metadata("_externalPartnerId", 123), "metadata");
    assert_eq!(
        message,
        "invalid `metadata`: `_externalPartnerId` must be a string, not 123"
    );
    refused_json(
        &json_with("metadata", Some(r#"{"a":1,"_externalPartnerId":123}"#), ""),
        &message,
    );
    assert!(valid().external_partner_id("partnerId123").build().is_ok());
}

#[test]
fn redirect_urls_must_be_absolute_https_or_loopback_http() {
    for field in ["successUrl", "failureUrl"] {
        let set = |url: &str| {
            let url = Url::parse(url).unwrap();
            if field == "successUrl" {
                valid().success_url(url)
            } else {
                valid().failure_url(url)
            }
        };
        let message = refused(set("http://yoursite.com/done"), field);
        assert_eq!(
            message,
            format!(
                "invalid `{field}`: must use https (http is allowed for loopback hosts only), \
                 not http://yoursite.com/done"
            )
        );
        refused_json(
            &json_with(field, Some(r#""http://yoursite.com/done""#), ""),
            &message,
        );
        refused(set("ftp://yoursite.com/done"), field);
        refused_json(
            &json_with(field, Some(r#""/success""#), ""),
            &format!(r#"invalid `{field}`: "/success" is not an absolute URL"#),
        );
        assert!(set("http://localhost:3000/done").build().is_ok());
        assert!(set("https://yoursite.com/done").build().is_ok());
    }
}

#[test]
fn an_ip_address_must_be_ipv4_ipv6_or_ipv4_mapped() {
    for bad in ["192.0.2", "999.0.2.1", "::ffff:999.0.2.1", "localhost", ""] {
        refused_json(
            &json_with("ipAddress", Some(&format!("{bad:?}")), ""),
            &format!(
                "invalid `ipAddress`: {bad:?} is not an IPv4, IPv6 or IPv4-mapped IPv6 address"
            ),
        );
    }
    for good in ["192.0.2.1", "2001:db8::68", "::ffff:192.0.2.1"] {
        let request: WidgetSessionRequest =
            serde_json::from_str(&json_with("ipAddress", Some(&format!("{good:?}")), "")).unwrap();
        assert_eq!(request.ip_address().unwrap().to_string(), good);
    }
}

#[test]
fn unknown_fields_in_request_json_are_refused() {
    let err =
        serde_json::from_str::<WidgetSessionRequest>(&json_with("fiatAmmount", Some("15"), ""))
            .unwrap_err();
    assert!(
        err.to_string().starts_with("unknown field `fiatAmmount`"),
        "{err}"
    );
}

#[test]
fn quote_requests_follow_the_same_rules() {
    let valid = || {
        QuoteRequest::builder()
            .fiat_currency("EUR")
            .fiat_amount(Decimal::from(100))
            .token("USDC")
            .chain("polygon")
    };
    let field = |builder: ramp_kryptonim::QuoteRequestBuilder| match builder
        .build()
        .map_err(Error::into_kind)
    {
        Err(ErrorKind::Validation { field, .. }) => field,
        other => panic!("{other:?}"),
    };
    assert_eq!(field(valid().crypto_amount(Decimal::ONE)), "amount");
    assert_eq!(field(valid().fiat_amount(Decimal::ZERO)), "amount");
    assert_eq!(field(valid().fiat_currency("euro")), "fiatCurrency");
    assert_eq!(field(valid().token("")), "tokenAddress");
    assert_eq!(field(valid().chain("")), "chainId");
    assert_eq!(field(valid().country_code("POL")), "countryCode");
    assert!(valid().chain(137).country_code("PL").build().is_ok());
}

async fn testnet_client(server: &MockServer) -> Client {
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(server)
        .await;
    Client::builder(
        Url::parse(&server.uri()).unwrap(),
        SecretString::from("key"),
        SecretString::from("secret"),
    )
    .testnet(true)
    .build()
    .unwrap()
}

#[tokio::test]
async fn testnet_limits_are_enforced_before_sending() {
    let server = MockServer::start().await;
    let client = testnet_client(&server).await;
    for (builder, message) in [
        (
            valid().crypto_currency("BTC"),
            r#"testnet supports only USDC, USDT and MATIC for `cryptoCurrency`, not "BTC""#,
        ),
        (
            valid().network("ethereum"),
            r#"testnet supports only polygon and 80002 (Polygon Amoy) for `network`, not "ethereum""#,
        ),
        (
            valid().payment_method(PaymentMethod::ApplePay),
            r#"testnet supports only card and bank_transfer for `paymentMethod`, not "apple_pay""#,
        ),
    ] {
        let err = client
            .create_widget_session(&builder.build().unwrap())
            .await
            .unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::TestnetLimit { .. }),
            "{err:?}"
        );
        assert_eq!(err.to_string(), message);
    }
    let quote = QuoteRequest::builder()
        .fiat_currency("EUR")
        .fiat_amount(Decimal::from(100))
        .token("USDC")
        .chain(137)
        .build()
        .unwrap();
    let err = client.quotes(&quote).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"testnet supports only polygon and 80002 (Polygon Amoy) for `chainId`, not "137""#
    );
    // MockServer verifies `.expect(0)` when dropped: nothing reached it.
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn testnet_values_pass_the_local_check() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_string("[]"))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder(
        Url::parse(&server.uri()).unwrap(),
        SecretString::from("key"),
        SecretString::from("secret"),
    )
    .testnet(true)
    .build()
    .unwrap();
    let quote = QuoteRequest::builder()
        .fiat_currency("EUR")
        .fiat_amount(Decimal::from(100))
        .token("usdt")
        .chain(80002)
        .payment_method(PaymentMethod::BankTransfer)
        .build()
        .unwrap();
    assert!(client.quotes(&quote).await.unwrap().is_empty());
}
