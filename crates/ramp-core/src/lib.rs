#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod body;
mod secret;
mod sign;
pub mod validate;

#[cfg(feature = "http-base")]
#[cfg_attr(docsrs, doc(cfg(feature = "http")))]
pub mod http;

#[cfg(feature = "decimal")]
#[cfg_attr(docsrs, doc(cfg(feature = "decimal")))]
pub mod decimal;

#[cfg(feature = "json")]
#[cfg_attr(docsrs, doc(cfg(feature = "json")))]
pub mod json;

#[cfg(feature = "timestamp")]
#[cfg_attr(docsrs, doc(cfg(feature = "timestamp")))]
pub mod timestamp;

#[cfg(feature = "webhook")]
#[cfg_attr(docsrs, doc(cfg(feature = "webhook")))]
pub mod webhook;

pub use body::Body;
pub use secret::{
    EmptySecret, EnvSecretError, ExposeSecret, SecretString, require_secret, secret_from_env,
};
pub use sign::{
    Base64Error, SHA256_LEN, base64_decode, base64_encode, hmac_sha256, hmac_sha256_hex,
    sha256_hex, verify_hmac_sha256, verify_hmac_sha256_hex, verify_sha256_hex,
};

/// `"<crate name>/<crate version>"` of the crate that expands it, for the `User-Agent` header.
///
/// A provider crate passes `ramp_core::user_agent!()` to the HTTP client builder, so every
/// request says which crate and version sent it.
///
/// ```
/// assert_eq!(ramp_core::user_agent!(), concat!("ramp-core/", env!("CARGO_PKG_VERSION")));
/// ```
#[macro_export]
macro_rules! user_agent {
    () => {
        concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"))
    };
}

/// Implements the wire form of a provider's string enum whose last variant is
/// `Other(String)`: `as_str`, `From<&str>` (unknown values land in `Other`, so a value the
/// provider adds later never fails to decode), `Display`, and serde `Serialize` and
/// `Deserialize` as a JSON string. The calling crate must depend on `serde`.
///
/// ```
/// #[derive(Debug, Clone, PartialEq, Eq)]
/// enum Status { Pending, Done, Other(String) }
///
/// ramp_core::wire_enum!(Status { Pending => "pending", Done => "DONE" });
///
/// assert_eq!(Status::from("DONE"), Status::Done);
/// assert_eq!(Status::from("held").as_str(), "held");
/// assert_eq!(serde_json::to_string(&Status::Pending).unwrap(), r#""pending""#);
/// ```
#[macro_export]
macro_rules! wire_enum {
    ($ty:ident { $($variant:ident => $name:literal),* $(,)? }) => {
        impl $ty {
            /// The value as the provider writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $name,)*
                    Self::Other(other) => other,
                }
            }
        }

        impl ::std::convert::From<&str> for $ty {
            fn from(value: &str) -> Self {
                match value {
                    $($name => Self::$variant,)*
                    other => Self::Other(other.to_owned()),
                }
            }
        }

        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                // A visitor, so a known value is matched where it lies, never copied first.
                struct Visitor;

                impl<'de> ::serde::de::Visitor<'de> for Visitor {
                    type Value = $ty;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str("a string")
                    }

                    fn visit_str<E: ::serde::de::Error>(self, value: &str) -> ::std::result::Result<$ty, E> {
                        ::std::result::Result::Ok(<$ty>::from(value))
                    }

                    fn visit_bytes<E: ::serde::de::Error>(self, value: &[u8]) -> ::std::result::Result<$ty, E> {
                        match ::std::str::from_utf8(value) {
                            ::std::result::Result::Ok(value) => ::std::result::Result::Ok(<$ty>::from(value)),
                            ::std::result::Result::Err(_) => ::std::result::Result::Err(E::invalid_value(
                                ::serde::de::Unexpected::Bytes(value),
                                &self,
                            )),
                        }
                    }
                }

                deserializer.deserialize_string(Visitor)
            }
        }
    };
}
