//! One test per rule. A `SessionRequest` is validated where it is built (builder or wire
//! JSON), so an invalid one never exists and never reaches the client; what the client itself
//! checks is shown to send nothing.

use ramp_proof::ErrorKind;
use std::str::FromStr;

use ramp_proof::{
    Client, Decimal, Error, SecretString, SessionRequest, SessionRequestBuilder, Url,
};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn valid() -> SessionRequestBuilder {
    SessionRequest::builder()
        .partner_user_id("user-123")
        .user_email("user@example.com")
        .network("TRC20")
        .currency("USDT")
        .amount(Decimal::from(100))
}

const VALID_JSON: &str = r#"{"partner_user_id":"user-123","user_email":"user@example.com","network":"TRC20","currency":"USDT","amount":"100"}"#;

/// `VALID_JSON` with `field` set to the raw JSON `value` (or removed, for `None`).
fn json_with(field: &str, value: Option<&str>) -> String {
    let mut map: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(VALID_JSON).unwrap();
    match value {
        Some(value) => map.insert(field.to_owned(), serde_json::from_str(value).unwrap()),
        None => map.remove(field),
    };
    serde_json::to_string(&map).unwrap()
}

/// The builder and the JSON both refuse, naming `field`, with the same message.
fn refused(builder: SessionRequestBuilder, json: &str, field: &str) -> String {
    let message = match builder.build().map_err(Error::into_kind) {
        Err(ErrorKind::Validation {
            field: named,
            reason,
        }) => {
            assert_eq!(named, field, "{reason}");
            format!("invalid `{named}`: {reason}")
        }
        other => panic!("expected a validation error for {field}, got {other:?}"),
    };
    let err = serde_json::from_str::<SessionRequest>(json).unwrap_err();
    assert!(
        err.to_string().starts_with(&message),
        "{err}\nwant {message}"
    );
    message
}

#[test]
fn partner_user_id_network_and_currency_must_not_be_empty() {
    for (field, builder) in [
        ("partner_user_id", valid().partner_user_id("")),
        ("network", valid().network(" ")),
        ("currency", valid().currency("")),
    ] {
        let message = refused(builder, &json_with(field, Some(r#""""#)), field);
        assert_eq!(message, format!("invalid `{field}`: must not be empty"));
    }
}

#[test]
fn the_email_needs_a_local_part_and_a_domain() {
    for bad in ["user", "@example.com", "user@", "us er@example.com"] {
        let message = refused(
            valid().user_email(bad),
            &json_with("user_email", Some(&format!("{bad:?}"))),
            "user_email",
        );
        assert_eq!(
            message,
            format!("invalid `user_email`: {bad:?} is not an email address (local part @ domain)")
        );
    }
}

#[test]
fn the_amount_must_be_positive_and_is_kept_as_given() {
    for bad in ["0", "-1.5"] {
        let message = refused(
            valid().amount(Decimal::from_str(bad).unwrap()),
            &json_with("amount", Some(&format!("{bad:?}"))),
            "amount",
        );
        assert_eq!(
            message,
            format!("invalid `amount`: must be greater than zero, not {bad}")
        );
    }
    let request: SessionRequest =
        serde_json::from_str(&json_with("amount", Some(r#""99.50""#))).unwrap();
    assert_eq!(request.amount().to_string(), "99.50");
    assert!(
        String::from_utf8(request.to_body())
            .unwrap()
            .contains(r#""amount":"99.50""#)
    );
}

#[test]
fn a_missing_required_field_is_named() {
    for field in [
        "partner_user_id",
        "user_email",
        "network",
        "currency",
        "amount",
    ] {
        let err = serde_json::from_str::<SessionRequest>(&json_with(field, None)).unwrap_err();
        assert!(
            err.to_string()
                .starts_with(&format!("invalid `{field}`: is required")),
            "{err}"
        );
    }
}

#[test]
fn type_is_buy_or_sell() {
    let err =
        serde_json::from_str::<SessionRequest>(&json_with("type", Some(r#""swap""#))).unwrap_err();
    assert!(
        err.to_string()
            .starts_with(r#"invalid `type`: must be "buy" or "sell", not "swap""#),
        "{err}"
    );
    for ok in ["buy", "sell"] {
        assert!(
            serde_json::from_str::<SessionRequest>(&json_with("type", Some(&format!("{ok:?}"))))
                .is_ok()
        );
    }
}

#[test]
fn redirect_url_must_be_absolute() {
    let err =
        serde_json::from_str::<SessionRequest>(&json_with("redirect_url", Some(r#""/done""#)))
            .unwrap_err();
    assert!(
        err.to_string()
            .starts_with(r#"invalid `redirect_url`: "/done" is not an absolute URL"#),
        "{err}"
    );
    assert!(
        valid()
            .redirect_url(Url::parse("https://app.example.com/done").unwrap())
            .build()
            .is_ok()
    );
}

#[test]
fn client_ip_must_be_an_ip_address() {
    for bad in ["203.0.113", "localhost", "203.0.113.42:443"] {
        let err = serde_json::from_str::<SessionRequest>(&json_with(
            "client_ip",
            Some(&format!("{bad:?}")),
        ))
        .unwrap_err();
        assert!(
            err.to_string().starts_with(&format!(
                "invalid `client_ip`: {bad:?} is not an IPv4, IPv6 or IPv4-mapped IPv6 address"
            )),
            "{err}"
        );
    }
}

#[test]
fn an_address_if_given_must_not_be_empty_and_unknown_fields_are_refused() {
    refused(
        valid().address(""),
        &json_with("address", Some(r#""""#)),
        "address",
    );
    let err = serde_json::from_str::<SessionRequest>(&json_with("user_mail", Some(r#""x""#)))
        .unwrap_err();
    assert!(
        err.to_string().starts_with("unknown field `user_mail`"),
        "{err}"
    );
}

#[tokio::test]
async fn an_empty_transaction_id_sends_nothing() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    let client = Client::builder(Url::parse(&server.uri()).unwrap(), SecretString::from("t"))
        .build()
        .unwrap();
    let err = client.transaction(" ").await.unwrap_err();
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Validation {
                field: "merchant_transaction_id",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}
