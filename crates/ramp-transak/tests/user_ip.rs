//! The end user's IP (`x-user-ip`, mandatory since 15 July 2026 on calls made for an end
//! user; docs.transak.com/guides/mandatory-security-changes): sent as its text, IPv4 or IPv6,
//! and an unspecified address refused before anything is sent.

use ramp_transak::ErrorKind;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ramp_testkit::{answering, received};
use ramp_transak::{
    Client, Decimal, Environment, PriceQuoteRequest, SecretString, Url, WidgetParams,
};

fn client(server: &wiremock::MockServer) -> Client {
    let url = Url::parse(&server.uri()).unwrap();
    Client::builder(
        Environment::Custom {
            api: url.clone(),
            gateway: url,
        },
        SecretString::from("key"),
        SecretString::from("secret"),
    )
    .referrer_domain("yourdomain.com")
    .build()
    .unwrap()
}

#[tokio::test]
async fn the_widget_call_carries_the_users_ip_as_text() {
    for (ip, text) in [
        (IpAddr::V4(Ipv4Addr::new(203, 0, 113, 9)), "203.0.113.9"),
        (
            IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1)),
            "2001:db8::1",
        ),
        // What a server listening on [::] sees for an IPv4 peer: sent as the IPv4 address,
        // which is what Transak sees of the browser.
        (
            IpAddr::V6(Ipv4Addr::new(203, 0, 113, 9).to_ipv6_mapped()),
            "203.0.113.9",
        ),
    ] {
        let server = answering(
            200,
            r#"{"data": {"accessToken": "tok", "expiresAt": 4102444800, "widgetUrl": "https://global-stg.transak.com/?sessionId=s"}}"#,
        )
        .await;
        let widget = client(&server)
            .create_widget_url(&WidgetParams::default(), ip)
            .await
            .unwrap();
        // The single-use session never prints.
        let debug = format!("{widget:?}");
        assert!(
            debug.starts_with(r#"WidgetUrl { url: https://global-stg.transak.com/[REDACTED], "#),
            "{debug}"
        );
        assert!(!debug.contains("sessionId"), "{debug}");
        let requests = received(&server).await;
        assert_eq!(requests.len(), 2, "the token, then the widget URL");
        let session = &requests[1];
        assert_eq!(session.url.path(), "/api/v2/auth/session");
        assert_eq!(session.headers.get("x-user-ip").unwrap(), text);
        assert_eq!(session.headers.get("x-api-key").unwrap(), "key");
        // The token refresh is not made for a user: no x-user-ip there.
        assert!(requests[0].headers.get("x-user-ip").is_none());
        assert_eq!(requests[0].headers.get("x-api-key").unwrap(), "key");
    }
}

#[tokio::test]
async fn an_unspecified_ip_is_refused_and_nothing_is_sent() {
    let server = answering(500, "{}").await;
    for ip in [
        IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        IpAddr::V6(Ipv6Addr::UNSPECIFIED),
    ] {
        let err = client(&server)
            .create_widget_url(&WidgetParams::default(), ip)
            .await
            .unwrap_err();
        assert!(
            matches!(
                err.kind(),
                ErrorKind::Validation {
                    field: "x-user-ip",
                    ..
                }
            ),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            format!(
                "invalid `x-user-ip`: {ip} is not an end user's IP: pass the IP of the user's browser"
            )
        );
        let quote = PriceQuoteRequest::builder()
            .fiat_currency("EUR")
            .crypto_currency("ETH")
            .network("ethereum")
            .payment_method("credit_debit_card")
            .fiat_amount(Decimal::from(100))
            .user_ip(ip)
            .build()
            .unwrap_err();
        assert!(matches!(
            quote.kind(),
            ErrorKind::Validation {
                field: "x-user-ip",
                ..
            }
        ));
    }
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn a_price_quote_for_a_user_carries_the_users_ip() {
    let server = answering(
        200,
        r#"{"response": {"quoteId": "q", "conversionPrice": 0.0005, "fiatCurrency": "EUR", "cryptoCurrency": "ETH", "paymentMethod": "credit_debit_card", "fiatAmount": 100, "cryptoAmount": 0.05, "isBuyOrSell": "BUY", "network": "ethereum"}}"#,
    )
    .await;
    let request = PriceQuoteRequest::builder()
        .fiat_currency("EUR")
        .crypto_currency("ETH")
        .network("ethereum")
        .payment_method("credit_debit_card")
        .fiat_amount(Decimal::from(100))
        .user_ip(IpAddr::V4(Ipv4Addr::new(198, 51, 100, 7)))
        .build()
        .unwrap();
    client(&server).price_quote(&request).await.unwrap();
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].headers.get("x-user-ip").unwrap(),
        "198.51.100.7"
    );
    assert_eq!(requests[0].headers.get("x-api-key").unwrap(), "key");
}
