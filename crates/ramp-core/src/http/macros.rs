//! What every provider crate's `Error` shares, written once.

/// What every provider crate's `Error` shares, written once: the error is one pointer
/// (`struct Error(Box<ErrorKind>)`, as `reqwest::Error` is), and this implements for it
/// `kind`, `into_kind`, `api`, `is_retryable`, `is_timeout`, `status`, `request_id`,
/// `retry_after`, `Debug`, `Display` and `std::error::Error` (both the kind's), `From` the
/// kind and from [`validate::Invalid`](crate::validate::Invalid),
/// [`http::Error`](crate::http::Error), [`ApiError`](crate::http::ApiError) and
/// [`EmptySecret`](crate::EmptySecret), and a crate-private `validation` constructor.
///
/// The kind must have `Validation { field, reason }`, `Api(ApiError)`, `Http(http::Error)` and
/// `EmptySecret(EmptySecret)`; variants listed after `delegate` hold another error of the
/// same type (`Arc`ed) that answers for them; variants listed after `api_in` are struct
/// variants whose `api` field is the [`ApiError`](crate::http::ApiError) they were made from.
///
/// ```
/// use ramp_core::http::{ApiError, StatusCode};
///
/// pub struct Error(Box<ErrorKind>);
///
/// #[derive(Debug, thiserror::Error)]
/// pub enum ErrorKind {
///     #[error("invalid `{field}`: {reason}")]
///     Validation { field: &'static str, reason: String },
///     #[error(transparent)]
///     Api(ApiError),
///     #[error(transparent)]
///     EmptySecret(ramp_core::EmptySecret),
///     #[error(transparent)]
///     Http(ramp_core::http::Error),
/// }
/// ramp_core::provider_error!(Error, ErrorKind);
///
/// let busy: Error = ApiError::new("Example", StatusCode::SERVICE_UNAVAILABLE)
///     .request_id("r-1")
///     .into();
/// assert!(busy.is_retryable());
/// assert_eq!(busy.request_id(), Some("r-1"));
/// assert_eq!(busy.api().map(|api| api.provider), Some("Example"));
/// let invalid: Error = ramp_core::validate::Invalid::new("amount", "must be positive").into();
/// assert!(invalid.status().is_none());
/// assert_eq!(invalid.to_string(), "invalid `amount`: must be positive");
/// assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
/// ```
#[macro_export]
macro_rules! provider_error {
    ($error:ident, $kind:ident $(, delegate $($delegate:ident),+)? $(, api_in $($api_in:ident),+)? $(,)?) => {
        // Errors travel by value through every `?`: one pointer, whatever the kind holds.
        const _: () = ::std::assert!(
            ::std::mem::size_of::<$error>() <= 2 * ::std::mem::size_of::<usize>()
        );

        impl ::std::convert::From<$kind> for $error {
            fn from(kind: $kind) -> Self {
                Self(::std::boxed::Box::new(kind))
            }
        }

        impl ::std::convert::From<$crate::validate::Invalid> for $error {
            fn from(invalid: $crate::validate::Invalid) -> Self {
                $kind::Validation {
                    field: invalid.field,
                    reason: invalid.reason,
                }
                .into()
            }
        }

        impl ::std::convert::From<$crate::http::Error> for $error {
            fn from(err: $crate::http::Error) -> Self {
                $kind::Http(err).into()
            }
        }

        impl ::std::convert::From<$crate::http::ApiError> for $error {
            fn from(err: $crate::http::ApiError) -> Self {
                $kind::Api(err).into()
            }
        }

        impl ::std::convert::From<$crate::EmptySecret> for $error {
            fn from(err: $crate::EmptySecret) -> Self {
                $kind::EmptySecret(err).into()
            }
        }

        impl ::std::fmt::Debug for $error {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Debug::fmt(&*self.0, f)
            }
        }

        impl ::std::fmt::Display for $error {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&*self.0, f)
            }
        }

        impl ::std::error::Error for $error {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                ::std::error::Error::source(&*self.0)
            }
        }

        #[allow(dead_code)]
        impl $error {
            /// What went wrong: match on it.
            pub fn kind(&self) -> &$kind {
                &self.0
            }

            /// What went wrong, by value.
            pub fn into_kind(self) -> $kind {
                *self.0
            }

            /// The provider's own error answer (status, code as it came, message, request
            /// id, `Retry-After`), when it answered with one.
            pub fn api(&self) -> ::std::option::Option<&$crate::http::ApiError> {
                match self.kind() {
                    $kind::Api(api) => Some(api),
                    $($($kind::$api_in { api, .. } => Some(api),)+)?
                    $($($kind::$delegate(err) => err.api(),)+)?
                    #[allow(unreachable_patterns)]
                    _ => None,
                }
            }

            /// The HTTP error below the API (timeout, connection, a status without the
            /// provider's error body, a body that does not decode), when that is what failed.
            pub fn http(&self) -> ::std::option::Option<&$crate::http::Error> {
                match self.kind() {
                    $kind::Http(err) => Some(err),
                    $($($kind::$delegate(err) => err.http(),)+)?
                    #[allow(unreachable_patterns)]
                    _ => None,
                }
            }

            /// Whether the same call may succeed later: timeouts, connection failures, a
            /// passed deadline, and the statuses 408, 429, 500, 502, 503 and 504. Whether
            /// repeating a call is *safe* is the call's business: see its documentation.
            pub fn is_retryable(&self) -> bool {
                match (self.api(), self.http()) {
                    (Some(api), _) => api.is_retryable(),
                    (_, Some(err)) => err.is_retryable(),
                    _ => false,
                }
            }

            /// Whether the call ran out of time on this side: an attempt's timeout or the
            /// call's deadline.
            pub fn is_timeout(&self) -> bool {
                self.http().is_some_and($crate::http::Error::is_timeout)
            }

            /// The HTTP status, when the provider (or a proxy in front of it) answered.
            pub fn status(&self) -> ::std::option::Option<$crate::http::StatusCode> {
                match (self.api(), self.http()) {
                    (Some(api), _) => Some(api.status),
                    (_, Some(err)) => err.status(),
                    _ => None,
                }
            }

            /// The provider's request id for the failed call, when its answer carried one:
            /// quote it to the provider's support.
            pub fn request_id(&self) -> ::std::option::Option<&str> {
                match (self.api(), self.http()) {
                    (Some(api), _) => api.request_id.as_deref(),
                    (_, Some(err)) => err.request_id(),
                    _ => None,
                }
            }

            /// How long the provider asked to wait before trying again (`Retry-After`), when
            /// its answer said.
            pub fn retry_after(&self) -> ::std::option::Option<::std::time::Duration> {
                match (self.api(), self.http()) {
                    (Some(api), _) => api.retry_after,
                    (_, Some(err)) => err.retry_after(),
                    _ => None,
                }
            }

            pub(crate) fn validation(field: &'static str, reason: impl Into<String>) -> Self {
                $kind::Validation {
                    field,
                    reason: reason.into(),
                }
                .into()
            }
        }
    };
}
