//! Onramper webhooks: HMAC-SHA256 of the raw body, lower-case hex, in
//! `X-Onramper-Webhook-Signature`; the expected signatures are computed here with ramp-core's
//! primitives, not the crate's `sign`.

use ramp_onramper_sign::webhook::{self, Status, TransactionType};
use ramp_onramper_sign::{Error, SecretString};

const SECRET: &str = "whsec_onramper_3f9c";
const BODY: &[u8] = br#"{"apiKey":"pk_prod_01GQS0CRGNRTTGV3A0S3A0AEW4","country":"NL","inAmount":100.5,"onramp":"moonpay","onrampTransactionId":"mp-77","outAmount":0.001234567890123456,"partnerContext":"order-42","paymentMethod":"creditcard","sourceCurrency":"eur","status":"completed","statusDate":"2026-11-25T08:00:00.000Z","targetCurrency":"btc","transactionHash":"4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b","transactionId":"01HX9","transactionType":"buy","walletAddress":"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq","newField":{"ignored":true}}"#;

fn secret() -> SecretString {
    SecretString::from(SECRET)
}

fn expected(body: &[u8]) -> String {
    ramp_core::hmac_sha256_hex(SECRET.as_bytes(), body)
}

#[test]
fn a_signed_webhook_verifies_and_reads_exactly() {
    let signature = expected(BODY);
    assert_eq!(webhook::sign(BODY, &secret()).unwrap(), signature);
    let event = webhook::verify(BODY, &signature, &secret()).unwrap();
    assert_eq!(event.status, Status::Completed);
    assert_eq!(event.transaction_type, Some(TransactionType::Buy));
    assert_eq!(event.in_amount.unwrap().to_string(), "100.5");
    assert_eq!(
        event.out_amount.unwrap().to_string(),
        "0.001234567890123456"
    );
    assert_eq!(event.idempotency_key(), "01HX9:completed");
    insta::assert_debug_snapshot!("completed_event", event);
    // Upper-case hex and surrounding whitespace are accepted.
    let shouted = format!(" {} ", signature.to_uppercase());
    assert!(webhook::verify(BODY, &shouted, &secret()).is_ok());
    assert_eq!(webhook::SIGNATURE_HEADER, "X-Onramper-Webhook-Signature");
}

#[test]
fn every_way_a_webhook_can_be_wrong_is_refused() {
    let signature = expected(BODY);
    let mut tampered = BODY.to_vec();
    let at = tampered.windows(3).position(|w| w == b"bc1").unwrap();
    tampered[at + 3] = b'z';
    let reason = |result: Result<webhook::WebhookEvent, Error>| match result {
        Err(Error::WebhookSignature { reason }) => reason,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        reason(webhook::verify(&tampered, &signature, &secret())),
        "the signature does not match the body (changed body, or the wrong webhook secret)"
    );
    assert!(
        reason(webhook::verify(
            BODY,
            &signature,
            &SecretString::from("other")
        ))
        .contains("does not match")
    );
    assert!(reason(webhook::verify(BODY, "", &secret())).contains("missing"));
    assert!(reason(webhook::verify(BODY, &signature[..63], &secret())).contains("64 hex"));
    assert!(
        reason(webhook::verify(
            BODY,
            &format!("{}g", &signature[..63]),
            &secret()
        ))
        .contains("64 hex")
    );
    for blank in ["", " "] {
        let err = webhook::verify(BODY, &signature, &SecretString::from(blank)).unwrap_err();
        assert!(matches!(err, Error::EmptySecret(_)), "{err:?}");
    }
    // Signed, but not the documented shape: the path says where.
    let body = br#"{"transactionId":"01HX9","status":"completed","inAmount":"lots"}"#;
    let err = webhook::verify(body, &expected(body), &secret()).unwrap_err();
    assert!(
        matches!(&err, Error::InvalidWebhook { path, .. } if path == "inAmount"),
        "{err:?}"
    );
    let err = webhook::verify(b"not json", &expected(b"not json"), &secret()).unwrap_err();
    assert!(matches!(err, Error::InvalidWebhook { .. }), "{err:?}");
}

#[test]
fn unknown_statuses_and_types_are_kept_as_written() {
    let body = br#"{"transactionId":"t","status":"on_hold","transactionType":"swap"}"#;
    let event = webhook::verify(body, &expected(body), &secret()).unwrap();
    assert_eq!(event.status, Status::Other("on_hold".into()));
    assert_eq!(
        event.transaction_type,
        Some(TransactionType::Other("swap".into()))
    );
    assert_eq!(event.in_amount, None);
    for (text, status) in [
        ("new", Status::New),
        ("pending", Status::Pending),
        ("paid", Status::Paid),
        ("failed", Status::Failed),
        ("canceled", Status::Canceled),
    ] {
        assert_eq!(Status::from(text), status);
        assert_eq!(status.as_str(), text);
    }
}
