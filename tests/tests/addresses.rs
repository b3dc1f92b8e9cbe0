//! Wallet addresses are checked before anything is signed or sent: an invalid address in
//! each provider's request is a validation error naming the field, and the provider's
//! server sees no request. With strict checking, an unknown network is refused too.

use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server that would answer anything, and counts.
async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    server
}

async fn nothing_reached(server: &MockServer) {
    assert!(server.received_requests().await.unwrap().is_empty());
}

/// The end user's IP that Transak calls carry.
const USER_IP: std::net::IpAddr = std::net::IpAddr::V4(std::net::Ipv4Addr::new(203, 0, 113, 9));
const EVM_TYPO: &str = "0x977BC1915dA4f7edA9D2e49BC08356db37478539";

#[tokio::test]
async fn kryptonim_checks_destination_address() {
    use ramp_kryptonim::{Client, Decimal, ErrorKind, SecretString, Url, WidgetSessionRequest};
    let server = server().await;
    let client = |strict| {
        Client::builder(
            Url::parse(&server.uri()).unwrap(),
            SecretString::from("key"),
            SecretString::from("secret"),
        )
        .strict_addresses(strict)
        .build()
        .unwrap()
    };
    let request = |network: &str, address: &str| {
        WidgetSessionRequest::builder()
            .fiat_amount(Decimal::from(15))
            .fiat_currency("EUR")
            .crypto_currency("USDC")
            .network(network)
            .destination_address(address)
            .build()
    };
    for (network, address, strict) in [
        ("polygon", EVM_TYPO, false),
        ("polygon", "0x977b", false),
        ("tron", "TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeM", false),
        (
            "solana",
            "0x977BC1915dA4f7edA9D2e49BC08356db37478538",
            false,
        ),
        ("dogecoin", "DQkiL71KkuGEgS9QFCKJkBeHmzM5YFYGkG", true),
    ] {
        // A malformed address is refused by build(); the client refuses what only it can
        // judge (an unknown network under strict checking).
        let err = match request(network, address) {
            Err(err) => err,
            Ok(request) => client(strict)
                .create_widget_session(&request)
                .await
                .unwrap_err(),
        };
        assert!(
            matches!(
                err.kind(),
                ErrorKind::Validation {
                    field: "destinationAddress",
                    ..
                }
            ),
            "{network}: {err}"
        );
    }
    nothing_reached(&server).await;
    let err = request("polygon", EVM_TYPO).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid `destinationAddress`: not a valid EVM address: the EIP-55 checksum (the case \
         of its letters) does not match (network \"polygon\")"
    );
}

#[tokio::test]
async fn proof_checks_address() {
    use ramp_proof::{Client, Decimal, ErrorKind, SecretString, SessionRequest, Url};
    let server = server().await;
    let client = Client::builder(Url::parse(&server.uri()).unwrap(), SecretString::from("t"))
        .build()
        .unwrap();
    for (network, address) in [("TRC20", "TRx1a2b3c4d5e6f"), ("ERC20", EVM_TYPO)] {
        let request = SessionRequest::builder()
            .partner_user_id("u")
            .user_email("u@example.com")
            .network(network)
            .currency("USDT")
            .amount(Decimal::from(100))
            .address(address)
            .build()
            .unwrap();
        let err = client.create_session(&request).await.unwrap_err();
        assert!(
            matches!(
                err.kind(),
                ErrorKind::Validation {
                    field: "address",
                    ..
                }
            ),
            "{err}"
        );
    }
    nothing_reached(&server).await;
}

#[tokio::test]
async fn transak_checks_wallet_address_and_wallet_addresses_data() {
    use ramp_transak::{
        Client, Environment, Error, ErrorKind, SecretString, Url, WalletAddress,
        WalletAddressesData, WidgetParams,
    };
    let api = server().await;
    let gateway = server().await;
    let client = |strict| {
        Client::builder(
            Environment::Custom {
                api: Url::parse(&api.uri()).unwrap(),
                gateway: Url::parse(&gateway.uri()).unwrap(),
            },
            SecretString::from("key"),
            SecretString::from("secret"),
        )
        .referrer_domain("example.com")
        .strict_addresses(strict)
        .build()
        .unwrap()
    };
    let wallet = |address: &str| WalletAddress {
        address: address.to_owned(),
        address_additional_data: None,
    };
    let cases: Vec<(&str, Result<WidgetParams, Error>, bool)> = vec![
        (
            "walletAddress",
            WidgetParams::builder()
                .network("ethereum")
                .wallet_address(EVM_TYPO)
                .build(),
            false,
        ),
        (
            "walletAddress",
            WidgetParams::builder()
                .crypto_currency_code("BTC")
                .wallet_address("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdr")
                .build(),
            false,
        ),
        (
            "walletAddressesData",
            WidgetParams::builder()
                .wallet_addresses_data(WalletAddressesData {
                    networks: Some([("polygon".to_owned(), wallet("0x977b"))].into()),
                    coins: None,
                })
                .build(),
            false,
        ),
        (
            "walletAddress",
            WidgetParams::builder()
                .network("stellar")
                .wallet_address("GA5Z")
                .build(),
            true,
        ),
    ];
    for (field, params, strict) in cases {
        // Malformed addresses are refused by build(); an unknown network under strict
        // checking by the client.
        let err = match params {
            Err(err) => err,
            Ok(params) => client(strict)
                .create_widget_url(&params, USER_IP)
                .await
                .unwrap_err(),
        };
        assert!(
            matches!(err.kind(), ErrorKind::Validation { field: f, .. } if *f == field),
            "{field}: {err}"
        );
    }
    nothing_reached(&api).await;
    nothing_reached(&gateway).await;
}

#[tokio::test]
async fn koinal_checks_the_order_wallet_address() {
    use ramp_koinal::{Client, ErrorKind, OrderRequest, SecretString, Url};
    let server = server().await;
    let client = |strict| {
        Client::builder(
            Url::parse(&server.uri()).unwrap(),
            1000,
            SecretString::from("s"),
        )
        .strict_addresses(strict)
        .build()
        .unwrap()
    };
    for (coin, address, strict) in [
        (
            Some("BTC"),
            "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdr",
            false,
        ),
        (Some("ETH"), EVM_TYPO, false),
        (Some("USDT"), "anything", true),
        (None, "anything", true),
    ] {
        let mut order = OrderRequest::builder("token", address);
        if let Some(coin) = coin {
            order = order.cryptocurrency(coin);
        }
        let err = match order.build() {
            Err(err) => err,
            Ok(order) => client(strict)
                .create_order("User1", &order)
                .await
                .unwrap_err(),
        };
        assert!(
            matches!(
                err.kind(),
                ErrorKind::Validation {
                    field: "wallet_address",
                    ..
                }
            ),
            "{coin:?}: {err}"
        );
    }
    nothing_reached(&server).await;
}

#[test]
fn callbacks_and_webhooks_say_whether_their_address_is_well_formed() {
    use ramp_address::Checked;
    let callback: ramp_koinal::WebhookEvent = serde_json::from_str(
        r#"{"order_id":1,"status":"COMPLETED","customer_reference":"u","crypto_amount":1,"cryptocurrency_code":"BTC","address":"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"}"#,
    )
    .unwrap();
    assert!(callback.address_check().is_valid());
    let tampered: ramp_koinal::WebhookEvent = serde_json::from_str(
        r#"{"order_id":1,"status":"COMPLETED","customer_reference":"u","crypto_amount":1,"cryptocurrency_code":"BTC","address":"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdr"}"#,
    )
    .unwrap();
    assert!(matches!(tampered.address_check(), Checked::Invalid(_)));
    let order: ramp_transak::Order = serde_json::from_str(
        r#"{"id":"o","status":"COMPLETED","cryptoCurrency":"ETH","walletAddress":"0x977BC1915dA4f7edA9D2e49BC08356db37478539"}"#,
    )
    .unwrap();
    assert!(matches!(order.address_check(false), Checked::Invalid(_)));
    let unknown: ramp_transak::Order =
        serde_json::from_str(r#"{"id":"o","status":"COMPLETED","walletAddress":"x"}"#).unwrap();
    assert_eq!(unknown.address_check(false), Checked::UnknownNetwork);
}
