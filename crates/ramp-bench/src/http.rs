//! A loopback server that answers like Kryptonim and Proof, and the same calls made with a
//! bare `reqwest::Client`.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use ramp_core::http::reqwest;
use serde::{Deserialize, Serialize};

use crate::kryptonim::{PlainRequest, PlainSession};

/// What Kryptonim answers to `POST /v1/widget-sessions`.
pub const KRYPTONIM_SESSION: &str = r#"{"sessionId":"7c303babX3jp7c4942904a262a0c1b94","widgetUrl":"https://buy.kryptonim.com/exchange?gdata=MWXEGqPRPfprP2WtH9edvlhNnBwyRWVpVXiJIJbPQtIgcWxGfSvjoEJxf7YgHnKKMcQ8RdXUaP0tmXnReQ7VoY%2FVvHNctK7KrIdPJ6h6lW3MV1y%2BSXS%2BNWqJFJlIWQJ23JpqPNbh23PJ%2FBjuYTcyvzUgsd3i%2BChohw&m=XxxXXx0","expiresAt":"2025-11-13T08:18:47.447527Z"}"#;

/// What Proof answers to `POST /widget/session`.
pub const PROOF_SESSION: &str = r#"{"merchant_transaction_id":"550e8400-e29b-41d4-a716-446655440000","widget_id":"fb359d09-fff6-4b1f-906c-b9062b135065","address":"TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE","signature":"v2:a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90","init_token":"eyJhbGciOiJIUzI1NiJ9.init.token","init_token_type":"sdk_partner_authorization","currency":"USDT","currencies":["USDT"],"fix_currency":true,"network":"TRC20","networks":["TRC20","ERC20","BEP20"],"fix_network":["TRC20"],"amount":"100","fix_amount":true,"fiat_currency":"EUR","fiat_currencies":["EUR","USD"],"fix_fiat_currency":false,"fix_fiat_amount":true,"type":"buy","lang":"en","theme":"light","redirect_url":"https://app.example.com/done"}"#;

/// The request id both answers carry.
pub const REQUEST_ID: &str = "req-7f3a";

/// One request the server received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    /// The method.
    pub method: String,
    /// The path and query.
    pub uri: String,
    /// Every header, names lower-case, in the order received.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

/// A server on 127.0.0.1 answering `POST /kryptonim/v1/widget-sessions` and
/// `POST /proof/widget/session` with the providers' documented answers (and 404 to anything
/// else).
pub struct Server {
    addr: SocketAddr,
    seen: Option<Arc<Mutex<Vec<Seen>>>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Server {
    /// Starts the server on the current tokio runtime (the caller's: client and server take
    /// turns on its threads); with `record`, it keeps every request it receives (for tests;
    /// the benchmarks run without, so no lock is taken per request). It answers while that
    /// runtime runs, and stops when dropped.
    pub fn start(record: bool) -> std::io::Result<Self> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let seen = record.then(|| Arc::new(Mutex::new(Vec::new())));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let app = Router::new().fallback(answer).with_state(seen.clone());
        let listener = tokio::net::TcpListener::from_std(listener)?;
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
        });
        Ok(Self {
            addr,
            seen,
            stop: Some(stop),
        })
    }

    /// `http://127.0.0.1:PORT/` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}/{path}", self.addr)
    }

    /// The requests received so far (empty unless started with `record`).
    pub fn seen(&self) -> Vec<Seen> {
        self.seen
            .as_ref()
            .and_then(|seen| seen.lock().ok().map(|seen| seen.clone()))
            .unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

async fn answer(
    axum::extract::State(seen): axum::extract::State<Option<Arc<Mutex<Vec<Seen>>>>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(seen) = seen
        && let Ok(mut seen) = seen.lock()
    {
        seen.push(Seen {
            method: method.to_string(),
            uri: uri.to_string(),
            headers: headers
                .iter()
                .map(|(name, value)| {
                    let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
                    (name.as_str().to_owned(), value)
                })
                .collect(),
            body: body.to_vec(),
        });
    }
    let (status, body) = match (method, uri.path()) {
        (Method::POST, "/kryptonim/v1/widget-sessions") => (StatusCode::CREATED, KRYPTONIM_SESSION),
        (Method::POST, "/proof/widget/session") => (StatusCode::OK, PROOF_SESSION),
        _ => return (StatusCode::NOT_FOUND, "no such route").into_response(),
    };
    (
        status,
        [
            ("content-type", "application/json"),
            ("x-request-id", REQUEST_ID),
        ],
        body,
    )
        .into_response()
}

/// A bare `reqwest::Client` with the transport settings the SDK's own client has: the same
/// timeouts (10 s to connect, 30 s per request), no redirects followed, and a `User-Agent`.
pub fn bare_client(user_agent: &str) -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .user_agent(user_agent)
        .connect_timeout(std::time::Duration::from_secs(10))
        .timeout(std::time::Duration::from_secs(30))
        .redirect(reqwest::redirect::Policy::none())
        .referer(false)
        .build()
        .map_err(|err| err.to_string())
}

/// POSTs prebuilt bytes with the given headers and reads the answer's body.
pub async fn post_bytes<N: AsRef<str>, V: AsRef<str>>(
    client: &reqwest::Client,
    url: &str,
    headers: &[(N, V)],
    body: Vec<u8>,
) -> Result<Bytes, String> {
    let mut request = client.post(url);
    for (name, value) in headers {
        request = request.header(name.as_ref(), value.as_ref());
    }
    let response = request
        .body(body)
        .send()
        .await
        .map_err(|err| err.to_string())?;
    if !response.status().is_success() {
        return Err(format!("status {}", response.status()));
    }
    response.bytes().await.map_err(|err| err.to_string())
}

/// Kryptonim's `POST /v1/widget-sessions` by hand: serialize, sign, send, decode.
pub async fn kryptonim_session(
    client: &reqwest::Client,
    url: &str,
    api_key: &str,
    secret: &[u8],
    request: &PlainRequest,
) -> Result<PlainSession, String> {
    let (body, signature) = crate::kryptonim::sign(request, secret);
    let request = client
        .post(url)
        .header("x-request-signature", signature)
        .header("content-type", "application/json")
        .header("x-api-key", api_key)
        .body(body);
    decoded(request).await
}

/// Sends, then reads a 2xx answer's body whole and decodes it with `serde_json`.
async fn decoded<T: serde::de::DeserializeOwned>(
    request: reqwest::RequestBuilder,
) -> Result<T, String> {
    let response = request.send().await.map_err(|err| err.to_string())?;
    if !response.status().is_success() {
        return Err(format!("status {}", response.status()));
    }
    let bytes = response.bytes().await.map_err(|err| err.to_string())?;
    serde_json::from_slice(&bytes).map_err(|err| err.to_string())
}

/// Proof's session request as a user would declare it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[allow(missing_docs)]
pub struct PlainProofRequest {
    pub partner_user_id: String,
    pub user_email: String,
    pub network: String,
    pub currency: String,
    pub amount: String,
    #[serde(rename = "type")]
    pub transaction_type: String,
    pub client_ip: String,
}

/// The same request as [`crate::inputs::proof_request`].
pub fn plain_proof_request() -> PlainProofRequest {
    PlainProofRequest {
        partner_user_id: "user-123".to_owned(),
        user_email: "user@example.com".to_owned(),
        network: "TRC20".to_owned(),
        currency: "USDT".to_owned(),
        amount: "100".to_owned(),
        transaction_type: "buy".to_owned(),
        client_ip: "203.0.113.42".to_owned(),
    }
}

/// Proof's widget session, with the same fields as the SDK's.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[allow(missing_docs)]
pub struct PlainProofSession {
    pub merchant_transaction_id: String,
    pub widget_id: String,
    pub address: String,
    pub signature: String,
    pub init_token: String,
    pub init_token_type: String,
    pub currency: String,
    pub currencies: Option<Vec<String>>,
    pub fix_currency: Option<bool>,
    pub network: String,
    pub networks: Option<Vec<String>>,
    pub fix_network: Option<Vec<String>>,
    pub amount: String,
    pub fix_amount: Option<bool>,
    pub fiat_currency: Option<String>,
    pub fiat_currencies: Option<Vec<String>>,
    pub fix_fiat_currency: Option<bool>,
    pub fix_fiat_amount: Option<bool>,
    #[serde(rename = "type")]
    pub transaction_type: Option<String>,
    pub lang: Option<String>,
    pub theme: Option<String>,
    pub redirect_url: Option<String>,
}

/// Proof's `POST /widget/session` by hand: serialize, send with the bearer token and Origin,
/// decode.
pub async fn proof_session(
    client: &reqwest::Client,
    url: &str,
    bearer: &str,
    origin: &str,
    request: &PlainProofRequest,
) -> Result<PlainProofSession, String> {
    let body = serde_json::to_vec(request).map_err(|err| err.to_string())?;
    let request = client
        .post(url)
        .header("content-type", "application/json")
        .header("authorization", bearer)
        .header("origin", origin)
        .body(body);
    decoded(request).await
}
