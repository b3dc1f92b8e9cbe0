//! Onramper webhooks: HMAC-SHA256 of the raw body, lower-case hex, in
//! `X-Onramper-Webhook-Signature`; the expected signatures are computed here with ramp-core's
//! primitives, not the crate's test helper.

use ramp_core::webhook::{Event, HeaderMap, Verify, WebhookError, header_map};
use ramp_onramper_sign::webhook::{self, OrderStatus, TransactionType, WebhookVerifier};
use ramp_onramper_sign::{ErrorKind, SecretString};

const SECRET: &str = "whsec_onramper_3f9c";
const BODY: &[u8] = br#"{"apiKey":"pk_prod_01GQS0CRGNRTTGV3A0S3A0AEW4","country":"NL","inAmount":100.5,"onramp":"moonpay","onrampTransactionId":"mp-77","outAmount":0.001234567890123456,"partnerContext":"order-42","paymentMethod":"creditcard","sourceCurrency":"eur","status":"completed","statusDate":"2026-11-25T08:00:00.000Z","targetCurrency":"btc","transactionHash":"4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b","transactionId":"01HX9","transactionType":"buy","walletAddress":"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq","newField":{"ignored":true}}"#;

fn secret() -> SecretString {
    SecretString::from(SECRET)
}

fn expected(body: &[u8]) -> String {
    ramp_core::hmac_sha256_hex(SECRET.as_bytes(), body)
}

fn signed(signature: &str) -> HeaderMap {
    header_map("X-Onramper-Webhook-Signature", signature).unwrap()
}

fn verifier() -> WebhookVerifier {
    WebhookVerifier::new(secret()).unwrap()
}

fn verify(body: &[u8], signature: &str) -> Result<webhook::WebhookEvent, WebhookError> {
    verifier().verify(body, &signed(signature))
}

#[test]
fn a_signed_webhook_verifies_and_reads_exactly() {
    let signature = expected(BODY);
    let delivery = webhook::test_util::signed_webhook(BODY, &secret());
    assert_eq!(delivery.body, BODY);
    assert_eq!(
        delivery.headers["x-onramper-webhook-signature"],
        signature.as_str()
    );
    let event = verifier()
        .verify(&delivery.body, &delivery.headers)
        .unwrap();
    assert_eq!(event, verify(BODY, &signature).unwrap());
    assert_eq!(event.status, OrderStatus::Completed);
    assert_eq!(event.transaction_type, Some(TransactionType::Buy));
    assert_eq!(event.in_amount.unwrap().to_string(), "100.5");
    assert_eq!(
        event.out_amount.unwrap().to_string(),
        "0.001234567890123456"
    );
    assert_eq!(
        event.status_date,
        Some(time::macros::datetime!(2026-11-25 08:00:00 UTC))
    );
    assert_eq!(
        (
            event.order_id(),
            event.provider_status(),
            event.is_terminal()
        ),
        ("01HX9", "completed", true)
    );
    assert_eq!(event.dedup_key(), "01HX9:completed");
    assert_eq!(
        event.wallet_address(),
        Some("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq")
    );
    insta::assert_debug_snapshot!("completed_event", event);
    // Upper-case hex and surrounding whitespace are accepted.
    let shouted = format!(" {} ", signature.to_uppercase());
    assert!(verify(BODY, &shouted).is_ok());
    assert_eq!(webhook::SIGNATURE_HEADER, "X-Onramper-Webhook-Signature");
}

#[test]
fn every_way_a_webhook_can_be_wrong_is_refused() {
    let signature = expected(BODY);
    let mut tampered = BODY.to_vec();
    let at = tampered.windows(3).position(|w| w == b"bc1").unwrap();
    tampered[at + 3] = b'z';
    let mismatch = WebhookError::BadSignature(
        "the signature does not match the body (a changed body, or the wrong webhook secret)",
    );
    assert_eq!(verify(&tampered, &signature), Err(mismatch.clone()));
    let other = WebhookVerifier::new(SecretString::from("other")).unwrap();
    assert_eq!(other.verify(BODY, &signed(&signature)), Err(mismatch));
    assert_eq!(
        verifier().verify(BODY, &HeaderMap::new()),
        Err(WebhookError::MissingHeader("X-Onramper-Webhook-Signature"))
    );
    assert_eq!(
        verify(BODY, " "),
        Err(WebhookError::MissingHeader("X-Onramper-Webhook-Signature"))
    );
    let not_hex = WebhookError::BadSignature("the signature is not 64 hex digits");
    assert_eq!(verify(BODY, &signature[..63]), Err(not_hex.clone()));
    assert_eq!(
        verify(BODY, &format!("{}g", &signature[..63])),
        Err(not_hex)
    );
    for blank in ["", " "] {
        let err = WebhookVerifier::new(SecretString::from(blank)).unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::EmptySecret(_)), "{err:?}");
    }
    // Signed, but not the documented shape: the path says where.
    let body = br#"{"transactionId":"01HX9","status":"completed","inAmount":"lots"}"#;
    let Err(WebhookError::Malformed(err)) = verify(body, &expected(body)) else {
        panic!("a signed body of the wrong shape is malformed");
    };
    assert_eq!(err.path, "inAmount");
    let body = br#"{"transactionId":"01HX9","status":"completed","statusDate":"yesterday"}"#;
    let Err(WebhookError::Malformed(err)) = verify(body, &expected(body)) else {
        panic!("an unreadable time is malformed, not dropped");
    };
    assert_eq!(err.path, "statusDate");
    assert!(matches!(
        verify(b"not json", &expected(b"not json")),
        Err(WebhookError::Malformed(_))
    ));
    // The verifier's Debug shows no secret.
    assert!(!format!("{:?}", verifier()).contains(SECRET));
}

#[test]
fn unknown_statuses_and_types_are_kept_as_written() {
    let body = br#"{"transactionId":"t","status":"on_hold","transactionType":"swap"}"#;
    let event = verify(body, &expected(body)).unwrap();
    assert_eq!(event.status, OrderStatus::Other("on_hold".into()));
    assert!(!event.is_terminal());
    assert_eq!(
        event.transaction_type,
        Some(TransactionType::Other("swap".into()))
    );
    assert_eq!(event.in_amount, None);
    for (text, status, terminal) in [
        ("new", OrderStatus::New, false),
        ("pending", OrderStatus::Pending, false),
        ("paid", OrderStatus::Paid, false),
        ("completed", OrderStatus::Completed, true),
        ("failed", OrderStatus::Failed, true),
        ("canceled", OrderStatus::Canceled, true),
    ] {
        assert_eq!(OrderStatus::from(text), status);
        assert_eq!(status.as_str(), text);
        assert_eq!(status.is_terminal(), terminal, "{text}");
    }
}
