//! HTTP/1.1 upgrades, such as a WebSocket handshake: the request goes out with the client's
//! own headers (credentials marked sensitive, never logged), over the same TLS stack
//! (`rustls` or `native-tls`) and proxy settings as every other call, never follows a
//! redirect, and hands back the raw connection on `101 Switching Protocols`.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use url::Url;

use super::{Error, ErrorKind, HttpClient, Request};

/// The client an upgrade goes through: HTTP/1.1 only (an upgrade does not exist in HTTP/2),
/// no redirect followed, the connect timeout of the calls.
#[derive(Clone, Debug)]
pub struct UpgradeClient {
    http: reqwest::Client,
    timeout: Duration,
}

/// How an upgrade ended.
#[derive(Debug)]
#[non_exhaustive]
pub enum Upgrade {
    /// `101 Switching Protocols`: the connection, and the answer's headers (to check
    /// `Sec-WebSocket-Accept`, say).
    Switched {
        /// The upgraded connection (`AsyncRead + AsyncWrite`).
        connection: reqwest::Upgraded,
        /// The 101 answer's headers.
        headers: HeaderMap,
    },
    /// Any other answer (not a redirect: that is [`ErrorKind::Redirect`]), for the caller to
    /// decode; its body is not read yet.
    Refused(reqwest::Response),
}

impl UpgradeClient {
    /// A client that connects within `connect_timeout` and gives the handshake `timeout`.
    pub fn new(connect_timeout: Duration, timeout: Duration) -> Result<Self, Error> {
        let builder = reqwest::Client::builder()
            .http1_only()
            .connect_timeout(connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .referer(false);
        #[cfg(feature = "native-tls")]
        let builder = builder.tls_backend_native();
        let http = builder
            .build()
            .map_err(|e| ErrorKind::Config(format!("could not build the HTTP client: {e}")))?;
        Ok(Self { http, timeout })
    }

    /// Sends `request` through `client`'s URL and headers (its credentials, `Origin`,
    /// `User-Agent`) plus the request's own, once, and waits up to the handshake timeout for
    /// the answer's head.
    pub async fn upgrade(&self, client: &HttpClient, request: Request) -> Result<Upgrade, Error> {
        let (url, headers) = client.prepare(&request)?;
        let path = url.path().to_owned();
        let method = request.method().clone();
        let timed_out = || {
            ErrorKind::Timeout {
                method: method.clone(),
                path: path.clone(),
                connecting: false,
                timeout: self.timeout,
            }
            .into()
        };
        let call = self
            .http
            .request(method.clone(), url.clone())
            .headers(headers)
            .send();
        let response = match tokio::time::timeout(self.timeout, call).await {
            Err(_) => return Err(timed_out()),
            Ok(Err(source)) => {
                return Err(super::transport::transport_error(
                    &request,
                    &path,
                    self.timeout,
                    source,
                ));
            }
            Ok(Ok(response)) => response,
        };
        let status = response.status();
        if status.is_redirection() {
            return Err(super::transport::redirect_error(
                &method,
                &url,
                status,
                response.headers(),
            ));
        }
        if status != StatusCode::SWITCHING_PROTOCOLS {
            return Ok(Upgrade::Refused(response));
        }
        let headers = response.headers().clone();
        let connection = response.upgrade().await.map_err(|source| {
            super::transport::transport_error(&request, &path, self.timeout, source)
        })?;
        Ok(Upgrade::Switched {
            connection,
            headers,
        })
    }
}

impl HttpClient {
    /// The URL and headers `request` would be sent with: the client's default headers, then
    /// the request's own.
    pub(crate) fn prepare(&self, request: &Request) -> Result<(Url, HeaderMap), Error> {
        Ok((self.url(request)?, self.headers(request)))
    }
}

/// The wait an answer's `Retry-After` asks for (seconds, or an HTTP date), if it has one.
pub fn retry_after_header(headers: &HeaderMap) -> Option<Duration> {
    super::retry::retry_after(headers, std::time::SystemTime::now())
}
