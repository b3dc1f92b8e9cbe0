//! An empty key never verifies anything: for every verification path, a forgery made with the
//! empty key is refused, and so is the empty (or blank) key itself, with a typed error and
//! before anything is computed. Every constructor that takes a secret refuses a blank one.
//!
//! The forgeries are what an attacker computes: HMAC-SHA256 (or SHA-256) with the key "".

use ramp_core::{SecretString, base64_encode, hmac_sha256, hmac_sha256_hex, sha256_hex};

const BLANK: [&str; 4] = ["", " ", "\t", "\r\n"];

fn blank_keys() -> impl Iterator<Item = SecretString> {
    BLANK.into_iter().map(SecretString::from)
}

#[test]
fn ramp_core_never_verifies_under_the_empty_key() {
    let forged = hmac_sha256(b"", b"message");
    assert!(!ramp_core::verify_hmac_sha256(b"", b"message", &forged));
    assert!(!ramp_core::verify_hmac_sha256_hex(
        b"",
        b"message",
        &hex::encode(forged)
    ));
}

mod koinal {
    use super::*;
    use ramp_core::webhook::header_map;
    use ramp_koinal::{
        AuthHash, CallbackScheme, Client, ErrorKind, Url, Verify, WebhookError, WebhookVerifier,
    };

    const BODY: &[u8] = br#"{"order_id":12,"status":"COMPLETED","customer_reference":"User1","crypto_amount":1,"cryptocurrency_code":"BTC","address":"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"}"#;

    #[test]
    fn callbacks_forged_with_the_empty_key_are_refused_under_both_schemes() {
        // The empty secret appended to the body is no suffix at all.
        let forgeries = [
            (
                CallbackScheme::HmacBodyPlusSecret,
                hmac_sha256_hex(b"", BODY),
            ),
            (CallbackScheme::Sha256BodyPlusSecret, sha256_hex(BODY)),
        ];
        for (scheme, forged) in &forgeries {
            // A blank secret makes no verifier at all: nothing can be verified with it.
            for key in blank_keys() {
                let err = WebhookVerifier::new(key, *scheme).unwrap_err();
                assert!(
                    matches!(err.kind(), ErrorKind::EmptySecret(_)),
                    "{scheme:?}: {err:?}"
                );
                assert_eq!(
                    err.to_string(),
                    "the Koinal callback secret is empty or whitespace only"
                );
            }
            // Under a real secret the forgery is just a wrong signature.
            let real = WebhookVerifier::new(SecretString::from("cb_secret"), *scheme).unwrap();
            assert!(matches!(
                real.verify(BODY, &header_map("Signature", forged).unwrap()),
                Err(WebhookError::BadSignature(_))
            ));
        }
    }

    #[test]
    fn an_authorization_hash_forged_with_the_empty_key_is_refused() {
        // {"merchant_code":1000,...,"signature": HMAC("", "1000User11000")}
        let signature = hmac_sha256_hex(b"", b"1000User11000");
        let json = format!(
            r#"{{"merchant_code":1000,"customer_reference":"User1","timestamp":"1000","signature":"{signature}"}}"#
        );
        let forged = AuthHash::decode(&base64_encode(json.as_bytes())).unwrap();
        for key in blank_keys() {
            let err = forged.verify(&key).unwrap_err();
            assert!(matches!(err.kind(), ErrorKind::EmptySecret(_)), "{err:?}");
            let err = AuthHash::new(1000, "User1", "1000", &key).unwrap_err();
            assert!(matches!(err.kind(), ErrorKind::EmptySecret(_)), "{err:?}");
            let err = Client::builder(Url::parse("https://koinal.example/").unwrap(), 1000, key)
                .build()
                .unwrap_err();
            assert!(matches!(err.kind(), ErrorKind::EmptySecret(_)), "{err:?}");
        }
        assert!(
            forged
                .verify(&SecretString::from("11qq22ww"))
                .is_err_and(|err| matches!(err.kind(), ErrorKind::HashRejected(_)))
        );
    }
}

mod transak {
    use super::*;
    use ramp_transak::{
        Client, Environment, ErrorKind, HeaderMap, Verify, WebhookError, WebhookVerifier,
    };

    /// `{"data": <HS256 JWT signed with the empty key>}`.
    fn forged() -> Vec<u8> {
        use base64::Engine as _;
        let b64 = |bytes: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        let signed = format!(
            "{}.{}",
            b64(br#"{"alg":"HS256","typ":"JWT"}"#),
            b64(br#"{"eventID":"ORDER_COMPLETED","webhookData":{"id":"o","status":"COMPLETED"}}"#)
        );
        let signature = b64(&hmac_sha256(b"", signed.as_bytes()));
        format!(r#"{{"data":"{signed}.{signature}"}}"#).into_bytes()
    }

    #[test]
    fn a_webhook_forged_with_the_empty_key_is_refused() {
        let body = forged();
        let real = || WebhookVerifier::new(SecretString::from("tok_real")).unwrap();
        for key in blank_keys() {
            let err = WebhookVerifier::new(key.clone()).unwrap_err();
            assert!(matches!(err.kind(), ErrorKind::EmptySecret(_)), "{err:?}");
            // A blank key next to a real one is refused too, not skipped.
            let err = real().with_previous(key).unwrap_err();
            assert!(matches!(err.kind(), ErrorKind::EmptySecret(_)), "{err:?}");
        }
        assert_eq!(
            real().verify(&body, &HeaderMap::new()),
            Err(WebhookError::BadSignature(
                "the JWT signature matches none of the given access tokens"
            ))
        );
    }

    #[test]
    fn a_client_with_a_blank_credential_is_refused() {
        let builder = |key: &str, secret: &str| {
            Client::builder(
                Environment::Staging,
                SecretString::from(key),
                SecretString::from(secret),
            )
        };
        for blank in BLANK {
            for built in [
                builder(blank, "secret").build(),
                builder("key", blank).build(),
                builder("key", "secret")
                    .access_token(SecretString::from(blank))
                    .build(),
                // A fixed token replaces the secret, but not with a blank token.
                builder("key", "")
                    .access_token(SecretString::from(blank))
                    .build(),
            ] {
                let err = built.unwrap_err();
                assert!(matches!(err.kind(), ErrorKind::EmptySecret(_)), "{err:?}");
            }
        }
        assert!(
            builder("key", "")
                .access_token(SecretString::from("tok"))
                .build()
                .is_ok()
        );
    }
}

mod onramper {
    use super::*;
    use ramp_onramper_sign::{ErrorKind, WidgetUrlBuilder, sign_url, signature, verify_url};

    #[test]
    fn a_url_forged_with_the_empty_key_is_refused() {
        let unsigned = "https://buy.onramper.com/?apiKey=pk_test_x&wallets=btc:1A1zP1";
        let forged = format!(
            "{unsigned}&signature={}",
            hmac_sha256_hex(b"", b"wallets=btc:1A1zP1")
        );
        for key in blank_keys() {
            for err in [
                verify_url(&forged, &key).unwrap_err(),
                sign_url(unsigned, &key).unwrap_err(),
                signature(unsigned, &key).unwrap_err(),
                WidgetUrlBuilder::new("https://buy.onramper.com", "pk_test_x")
                    .wallet("btc", "1A1zP1")
                    .sign(&key)
                    .unwrap_err(),
            ] {
                assert!(matches!(err.kind(), ErrorKind::EmptySecret(_)), "{err:?}");
                assert_eq!(
                    err.to_string(),
                    "the Onramper signing secret is empty or whitespace only"
                );
            }
        }
        assert_eq!(
            verify_url(&forged, &SecretString::from("secret")),
            Err(ErrorKind::SignatureMismatch.into())
        );
    }
}

mod kryptonim_and_proof {
    use super::*;

    #[test]
    fn nothing_is_signed_or_sent_with_a_blank_credential() {
        let url = ramp_core::http::Url::parse("https://provider.example/").unwrap();
        for key in blank_keys() {
            let err = ramp_kryptonim::sign_body(b"{}", &key).unwrap_err();
            assert!(
                matches!(err.kind(), ramp_kryptonim::ErrorKind::EmptySecret(_)),
                "{err:?}"
            );
            let err = ramp_proof::Client::builder(url.clone(), key)
                .build()
                .unwrap_err();
            assert!(
                matches!(err.kind(), ramp_proof::ErrorKind::EmptySecret(_)),
                "{err:?}"
            );
        }
    }
}
