//! The crate's one error type.

use std::sync::Arc;

use ramp_core::http::ApiError;

/// Everything that can go wrong, from a request refused locally to a forged webhook.
///
/// One pointer wide; what went wrong is its [`kind`](Error::kind). Transak's own error answers
/// are [`ErrorKind::Api`](crate::ErrorKind::Api), the same [`ApiError`] every provider crate returns.
///
/// No variant holds the API secret or an access token.
pub struct Error(Box<ErrorKind>);

/// What went wrong: the [`kind`](Error::kind) of an [`Error`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The request breaks a documented rule; nothing was sent.
    #[error("invalid `{field}`: {reason}")]
    Validation {
        /// The field, by its wire name (`referrerDomain`, `fiatAmount`, ...).
        field: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// Transak answered with its error shape `{"error": {"statusCode", "message",
    /// "errorCode"}}`: its `errorCode` as digits (see [`codes`]) and message.
    #[error(transparent)]
    Api(ApiError),
    /// No partner access token could be had: the refresh call failed. Every task that was
    /// waiting for that refresh gets this same error; nothing retries it in a loop.
    #[error("could not get a Transak partner access token: {0}")]
    TokenRefresh(Arc<Error>),
    /// The [`TokenStore`](crate::TokenStore) failed to load or save the token.
    #[error("the access token store failed: {0}")]
    TokenStore(String),
    /// A webhook that does not prove it came from Transak, or is not the documented shape.
    #[error(transparent)]
    Webhook(ramp_core::webhook::WebhookError),
    /// A credential (API key, API secret, access token or webhook key) is empty or whitespace only; nothing was signed, verified
    /// or sent.
    #[error(transparent)]
    EmptySecret(ramp_core::EmptySecret),
    /// The call failed below the API: a timeout, a connection or transport failure, a status
    /// without Transak's error body (a proxy's HTML page), a body that does not decode (the
    /// error names the JSON path), or an invalid client configuration.
    #[error(transparent)]
    Http(ramp_core::http::Error),
}

ramp_core::provider_error!(Error, ErrorKind, delegate TokenRefresh);

/// The provider's name in errors.
pub(crate) const PROVIDER: &str = "Transak";

/// Transak's error codes that call for their own handling (`errorCode` in the error body).
pub mod codes {
    /// `4005`: the order already exists (seen with HTTP 409 in public integrations; Transak's
    /// pages give no example body). The order was made before: find it with
    /// [`OrdersQuery::builder().partner_order_id(..)`](crate::OrdersQueryBuilder::partner_order_id)
    /// rather than making it again.
    pub const ORDER_ALREADY_EXISTS: &str = "4005";
}

impl Error {
    /// Whether Transak refused because the order already exists (code
    /// [`codes::ORDER_ALREADY_EXISTS`], 4005).
    ///
    /// ```
    /// # fn handle(err: ramp_transak::Error) {
    /// if err.is_order_already_exists() {
    ///     // Read the existing order instead of creating it again.
    /// }
    /// # }
    /// ```
    pub fn is_order_already_exists(&self) -> bool {
        self.api()
            .is_some_and(|api| api.code.as_deref() == Some(codes::ORDER_ALREADY_EXISTS))
    }
}
