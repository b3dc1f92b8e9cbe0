//! What every provider crate's `ClientBuilder` and `Error` share, written once.

/// The settings every provider's `ClientBuilder` shares, as inherent methods that apply to
/// each of its [`HttpClientBuilder`](crate::http::HttpClientBuilder) fields: `connect_timeout`,
/// `timeout`, `deadline`, `retry`, `http_client` and `user_agent`.
///
/// ```
/// use ramp_core::http::{HttpClient, HttpClientBuilder, RetryPolicy, Url};
///
/// pub struct ClientBuilder {
///     api: HttpClientBuilder,
///     gateway: HttpClientBuilder,
/// }
/// ramp_core::client_settings!(ClientBuilder { api, gateway });
///
/// let url = Url::parse("https://api.example.com/").unwrap();
/// let builder = ClientBuilder {
///     api: HttpClient::builder(url.clone(), "sdk/1.0"),
///     gateway: HttpClient::builder(url, "sdk/1.0"),
/// }
/// .deadline(std::time::Duration::from_secs(20))
/// .retry(RetryPolicy::none())
/// .user_agent("my-backend/2.1");
/// # let _ = builder;
/// ```
#[macro_export]
macro_rules! client_settings {
    ($builder:ident { $($field:ident),+ $(,)? }) => {
        impl $builder {
            /// How long to wait for a connection (default 10 s). Not applied to a client
            /// given with [`http_client`](Self::http_client): configure that one yourself.
            pub fn connect_timeout(mut self, timeout: ::std::time::Duration) -> Self {
                $(self.$field = self.$field.connect_timeout(timeout);)+
                self
            }

            /// How long one attempt may take, from connecting to the last byte of the answer
            /// (default 30 s).
            pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
                $(self.$field = self.$field.timeout(timeout);)+
                self
            }

            /// The deadline of one call, across every attempt and every wait between them
            /// (default 60 s, [`DEFAULT_DEADLINE`]($crate::http::DEFAULT_DEADLINE)). When it
            /// passes mid-attempt the call fails with the HTTP error `Deadline`; a retry whose
            /// wait would end past it is not started.
            pub fn deadline(mut self, deadline: ::std::time::Duration) -> Self {
                $(self.$field = self.$field.deadline(deadline);)+
                self
            }

            /// The retry policy (default: 3 attempts, jittered exponential backoff,
            /// `Retry-After` honoured up to 30 s; `RetryPolicy::none()` turns retries off).
            pub fn retry(mut self, policy: $crate::http::RetryPolicy) -> Self {
                $(self.$field = self.$field.retry(policy.clone());)+
                self
            }

            /// Sends through your own `reqwest::Client` (its pool, proxy, TLS settings). It
            /// must not follow redirects: build it with
            /// `.redirect(reqwest::redirect::Policy::none())`; an answer that came through a
            /// redirect is refused. The per-attempt timeout and the deadline still apply.
            pub fn http_client(mut self, client: $crate::http::reqwest::Client) -> Self {
                $(self.$field = self.$field.client(client.clone());)+
                self
            }

            /// Names your application in `User-Agent`, before this crate's own product token
            /// (`<product> <crate>/<version>`).
            pub fn user_agent(mut self, product: &str) -> Self {
                $(self.$field = self.$field.user_agent(product);)+
                self
            }
        }
    };
}

/// The helpers every provider crate's `Error` shares: `From<validate::Invalid>`,
/// `is_retryable`, `status`, `request_id`, `retry_after`, and a crate-private `validation`
/// constructor.
///
/// The enum must have `Validation { field, reason }`, `Api { status, request_id, retry_after,
/// .. }` and `Http(ramp_core::http::Error)`; variants listed after `delegate` hold another
/// error of the same type (boxed, `Arc`ed) that answers for them.
///
/// ```
/// use std::time::Duration;
/// use ramp_core::http::StatusCode;
///
/// #[derive(Debug)]
/// pub enum Error {
///     Validation { field: &'static str, reason: String },
///     Api { status: StatusCode, request_id: Option<String>, retry_after: Option<Duration> },
///     Http(ramp_core::http::Error),
/// }
/// ramp_core::provider_error!(Error);
///
/// let busy = Error::Api {
///     status: StatusCode::SERVICE_UNAVAILABLE,
///     request_id: Some("r-1".into()),
///     retry_after: Some(Duration::from_secs(5)),
/// };
/// assert!(busy.is_retryable());
/// assert_eq!(busy.retry_after(), Some(Duration::from_secs(5)));
/// assert_eq!(busy.request_id(), Some("r-1"));
/// let invalid: Error = ramp_core::validate::Invalid::new("amount", "must be positive").into();
/// assert!(invalid.status().is_none());
/// ```
#[macro_export]
macro_rules! provider_error {
    ($error:ident $(, delegate $($delegate:ident),+)? $(,)?) => {
        impl ::std::convert::From<$crate::validate::Invalid> for $error {
            fn from(invalid: $crate::validate::Invalid) -> Self {
                Self::Validation {
                    field: invalid.field,
                    reason: invalid.reason,
                }
            }
        }

        #[allow(dead_code)]
        impl $error {
            /// Whether the same call may succeed later: timeouts, connection failures, a
            /// passed deadline, and the statuses 408, 429, 500, 502, 503 and 504. Whether
            /// repeating a call is *safe* is the call's business: see its documentation.
            pub fn is_retryable(&self) -> bool {
                match self {
                    Self::Api { status, .. } => $crate::http::is_retryable_status(*status),
                    Self::Http(err) => err.is_retryable(),
                    $($(Self::$delegate(err) => err.is_retryable(),)+)?
                    #[allow(unreachable_patterns)]
                    _ => false,
                }
            }

            /// Whether the call ran out of time on this side: an attempt's timeout or the
            /// call's deadline.
            pub fn is_timeout(&self) -> bool {
                match self {
                    Self::Http(err) => err.is_timeout(),
                    $($(Self::$delegate(err) => err.is_timeout(),)+)?
                    #[allow(unreachable_patterns)]
                    _ => false,
                }
            }

            /// The HTTP status, when the provider (or a proxy in front of it) answered.
            pub fn status(&self) -> ::std::option::Option<$crate::http::StatusCode> {
                match self {
                    Self::Api { status, .. } => Some(*status),
                    Self::Http(err) => err.status(),
                    $($(Self::$delegate(err) => err.status(),)+)?
                    #[allow(unreachable_patterns)]
                    _ => None,
                }
            }

            /// The provider's request id for the failed call, when its answer carried one:
            /// quote it to the provider's support.
            pub fn request_id(&self) -> ::std::option::Option<&str> {
                match self {
                    Self::Api { request_id, .. } => request_id.as_deref(),
                    Self::Http(err) => err.request_id(),
                    $($(Self::$delegate(err) => err.request_id(),)+)?
                    #[allow(unreachable_patterns)]
                    _ => None,
                }
            }

            /// How long the provider asked to wait before trying again (`Retry-After`), when
            /// its answer said.
            pub fn retry_after(&self) -> ::std::option::Option<::std::time::Duration> {
                match self {
                    Self::Api { retry_after, .. } => *retry_after,
                    Self::Http(err) => err.retry_after(),
                    $($(Self::$delegate(err) => err.retry_after(),)+)?
                    #[allow(unreachable_patterns)]
                    _ => None,
                }
            }

            pub(crate) fn validation(field: &'static str, reason: impl Into<String>) -> Self {
                Self::Validation {
                    field,
                    reason: reason.into(),
                }
            }
        }
    };
}
