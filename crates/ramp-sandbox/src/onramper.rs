//! Onramper: the widget host verifies a signed URL (signature V1) and says why it refuses one.

use axum::Router;
use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use axum::routing::get;
use ramp_core::SecretString;
use serde_json::json;

use crate::App;
use crate::credentials::{ONRAMPER_API_KEY, ONRAMPER_SIGNING_SECRET};
use crate::reply::json;

/// The widget host, with and without the trailing slash.
pub(crate) fn routes(router: Router<App>) -> Router<App> {
    router
        .route("/onramper", get(widget))
        .route("/onramper/", get(widget))
}

async fn widget(State(app): State<App>, uri: Uri) -> Response {
    // Only the query is signed; the path inside the sandbox does not matter.
    let query = uri.query().unwrap_or_default();
    let url = format!("{}/onramper/?{query}", app.base);
    let key_ok = query
        .split('&')
        .any(|pair| pair == format!("apiKey={ONRAMPER_API_KEY}"));
    if !key_ok {
        return json(
            401,
            json!({"error": "invalid_api_key", "message": "apiKey is missing or unknown"}),
        );
    }
    match ramp_onramper_sign::verify_url(&url, &SecretString::from(ONRAMPER_SIGNING_SECRET)) {
        Ok(()) => json(200, json!({"widget": "loaded", "signature": "valid"})),
        Err(err) => json(
            400,
            json!({"error": "signature_validation_failed", "message": err.to_string()}),
        ),
    }
}
