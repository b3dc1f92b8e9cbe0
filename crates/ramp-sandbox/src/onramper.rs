//! Onramper: the widget host verifies a signed URL (Signature V2, or V1 while an account still
//! has it) and the API verifies V2-signed requests, each refusal with Onramper's documented
//! error code; webhooks are signed with the webhook secret.
//!
//! V2 checks use `ramp-onramper-sign`'s verifier, which is the documented algorithm itself;
//! its vectors were made with Node.js, not with that crate.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;
use axum::routing::{any, get, post};
use ramp_core::SecretString;
use ramp_onramper_sign::v2::{
    self, ApiRequest, ErrorCode, OffsetDateTime, PublicKey, Received, VerifyError,
};
use serde_json::json;

use crate::App;
use crate::credentials::{ONRAMPER_API_KEY, ONRAMPER_SIGNING_SECRET, ONRAMPER_V2_PUBLIC_KEY_HEX};
use crate::reply::{header, json};

/// The widget host, with and without the trailing slash, and the API under `/onramper/api`.
pub(crate) fn routes(router: Router<App>) -> Router<App> {
    router
        .route("/onramper", get(widget))
        .route("/onramper/", get(widget))
        .route(
            "/onramper/api/checkout/v2/intent",
            post(crate::onramper_checkout::checkout),
        )
        .route(
            "/onramper/api/quotes/{source}/{destination}",
            get(crate::onramper_checkout::quotes),
        )
        .route("/onramper/api/{*path}", any(api))
}

/// The partner's registered V2 public key.
fn public_key() -> Option<PublicKey> {
    PublicKey::from_hex(ONRAMPER_V2_PUBLIC_KEY_HEX).ok()
}

/// Onramper's error answer: the code, its status, a message.
fn refuse(code: &ErrorCode, message: impl Into<String>) -> Response {
    json(
        code.http_status(),
        json!({"error": {"code": code.as_str(), "message": message.into()}}),
    )
}

fn refuse_verify(err: &VerifyError) -> Response {
    refuse(&err.code(), err.to_string())
}

async fn widget(State(app): State<App>, uri: Uri) -> Response {
    // Only the query is signed; the path inside the sandbox does not matter.
    let query = uri.query().unwrap_or_default();
    let url = format!("{}/onramper/?{query}", app.base);
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let api_key = pairs.iter().find(|(k, _)| k == "apiKey").map(|(_, v)| v);
    match api_key {
        None => return refuse(&ErrorCode::ApiKeyMissing, "apiKey is missing"),
        Some(key) if key != ONRAMPER_API_KEY => {
            return refuse(&ErrorCode::PartnerNotFound, "no partner has this apiKey");
        }
        Some(_) => {}
    }
    let v2 = pairs.iter().any(|(k, _)| k.starts_with("sigV2"));
    if !v2 {
        return match ramp_onramper_sign::verify_url(
            &url,
            &SecretString::from(ONRAMPER_SIGNING_SECRET),
        ) {
            Ok(()) => json(200, json!({"widget": "loaded", "signature": "v1"})),
            Err(err) => json(
                400,
                json!({"error": "signature_validation_failed", "message": err.to_string()}),
            ),
        };
    }
    let Some(key) = public_key() else {
        return refuse(&ErrorCode::PublicKeyNotConfigured, "no V2 public key");
    };
    let now = OffsetDateTime::now_utc();
    let verified = match v2::verify_widget_url_v2(&url, &key, now) {
        Ok(verified) => verified,
        Err(err) => return refuse_verify(&err),
    };
    if let Err(err) = app.nonces.check(verified.nonce, verified.timestamp, now) {
        return refuse_verify(&err);
    }
    json(
        200,
        json!({"widget": "loaded", "signature": "v2", "signedFields": verified.signed_fields,
               "stripped": verified.stripped}),
    )
}

/// Any API call: `Authorization` is the API key, and the V2 headers must verify over the
/// method, the path below `/onramper/api`, the query, the content type and the body.
async fn api(
    State(app): State<App>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri
        .path()
        .strip_prefix("/onramper/api")
        .unwrap_or(uri.path());
    let Some(authorization) = header(&headers, "authorization") else {
        return refuse(&ErrorCode::ApiKeyMissing, "Authorization is missing");
    };
    if authorization.trim() != ONRAMPER_API_KEY {
        return refuse(&ErrorCode::PartnerNotFound, "no partner has this API key");
    }
    let Some(key) = public_key() else {
        return refuse(&ErrorCode::PublicKeyNotConfigured, "no V2 public key");
    };
    let mut request = ApiRequest::new(method.as_str(), path, authorization)
        .query(uri.query().unwrap_or_default())
        .body(&body);
    if let Some(content_type) = header(&headers, "content-type") {
        request = request.content_type(content_type);
    }
    let received = Received::new(
        header(&headers, v2::SIGNATURE_HEADER),
        header(&headers, v2::TIMESTAMP_HEADER),
        header(&headers, v2::NONCE_HEADER),
    );
    let now = OffsetDateTime::now_utc();
    let verified = match v2::verify_request_v2(&request, &received, &key, now) {
        Ok(verified) => verified,
        Err(err) => return refuse_verify(&err),
    };
    if let Err(err) = app.nonces.check(verified.nonce, verified.timestamp, now) {
        return refuse_verify(&err);
    }
    if method == Method::POST && path == "/checkout/intent" {
        let intent: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        return json(
            200,
            json!({"message": {"transactionInformation": {
                "transactionId": format!("sbx_{}", verified.nonce.simple()),
                "status": "new", "type": "iframe",
                "url": format!("{}/onramper/?apiKey={ONRAMPER_API_KEY}", app.base)},
                "sessionInformation": intent}}),
        );
    }
    json(
        200,
        json!({"path": path, "signature": "v2", "verified": true}),
    )
}

/// An Onramper webhook for `transaction_id` at `status`, signed with the webhook secret:
/// the raw body and its `X-Onramper-Webhook-Signature`.
pub(crate) fn webhook(transaction_id: &str, status: &str) -> Result<(Vec<u8>, String), String> {
    let body = json!({
        "apiKey": ONRAMPER_API_KEY, "country": "NL", "inAmount": 100, "onramp": "sandbox",
        "onrampTransactionId": format!("sandbox-{transaction_id}"), "outAmount": 0.00123456,
        "partnerContext": null, "paymentMethod": "creditcard", "sourceCurrency": "eur",
        "status": status, "statusDate": crate::reply::timestamp_in(0), "targetCurrency": "btc",
        "transactionHash": null, "transactionId": transaction_id, "transactionType": "buy",
        "walletAddress": "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
    })
    .to_string()
    .into_bytes();
    let delivery = ramp_onramper_sign::webhook::test_util::signed_webhook(
        &body,
        &SecretString::from(crate::credentials::ONRAMPER_WEBHOOK_SECRET),
    );
    let signature = delivery
        .headers
        .get(ramp_onramper_sign::webhook::SIGNATURE_HEADER)
        .and_then(|value| value.to_str().ok())
        .ok_or("the webhook could not be signed")?
        .to_owned();
    Ok((delivery.body, signature))
}
