//! Why a URL could not be signed or verified.

/// Why a URL could not be signed or verified. Every variant that concerns a parameter names
/// it; none contains the signing secret.
///
/// ```
/// use ramp_onramper_sign::{sign_content, Error};
///
/// let err = sign_content("wallets=BTC:1A1zP1").unwrap_err();
/// assert_eq!(err, Error::UppercaseId { parameter: "wallets".into(), id: "BTC".into() });
/// assert_eq!(err.to_string(), "parameter wallets: id BTC must be lower-case");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The signing secret is empty or whitespace only: anyone could compute that signature,
    /// so nothing is signed or verified with it.
    #[error(transparent)]
    EmptySecret(#[from] ramp_core::EmptySecret),
    /// The input is longer than [`MAX_INPUT_BYTES`](crate::MAX_INPUT_BYTES); it is refused
    /// before it is read.
    #[error("the input is {length} bytes, longer than the {limit} bytes accepted")]
    TooLong {
        /// The input's length in bytes.
        length: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// None of `wallets`, `networkWallets`, `walletAddressTags` is in the URL.
    #[error(
        "nothing to sign: the URL has none of the parameters wallets, networkWallets, walletAddressTags"
    )]
    NothingToSign,
    /// A parameter appears more than once in the URL.
    #[error("parameter {parameter} appears more than once")]
    DuplicateParameter {
        /// The parameter.
        parameter: String,
    },
    /// A `%` is not followed by two hex digits.
    #[error("parameter {parameter} has invalid percent-encoding")]
    InvalidPercentEncoding {
        /// The parameter.
        parameter: String,
    },
    /// The percent-decoded bytes are not UTF-8.
    #[error("parameter {parameter} is not UTF-8 after percent-decoding")]
    NotUtf8 {
        /// The parameter.
        parameter: String,
    },
    /// A sensitive parameter has no value.
    #[error("parameter {parameter} is empty")]
    EmptyParameter {
        /// The parameter.
        parameter: String,
    },
    /// A comma-separated entry is empty (`btc:1A,,eth:0x` or a trailing comma).
    #[error("parameter {parameter} has an empty entry at position {position}")]
    EmptyPair {
        /// The parameter.
        parameter: String,
        /// The 1-based position of the entry.
        position: usize,
    },
    /// An entry has no `:` between id and value.
    #[error("parameter {parameter}: entry {position} has no ':' between id and value")]
    MissingColon {
        /// The parameter.
        parameter: String,
        /// The 1-based position of the entry.
        position: usize,
    },
    /// An entry's id (before the `:`) is empty.
    #[error("parameter {parameter}: entry {position} has an empty id")]
    EmptyId {
        /// The parameter.
        parameter: String,
        /// The 1-based position of the entry.
        position: usize,
    },
    /// An entry's value (after the `:`) is empty.
    #[error("parameter {parameter}: id {id} has an empty value")]
    EmptyValue {
        /// The parameter.
        parameter: String,
        /// The id.
        id: String,
    },
    /// An id has upper-case letters; Onramper ids are lower-case (`btc`, not `BTC`).
    #[error("parameter {parameter}: id {id} must be lower-case")]
    UppercaseId {
        /// The parameter.
        parameter: String,
        /// The id as given.
        id: String,
    },
    /// The same id appears twice in one parameter.
    #[error("parameter {parameter}: id {id} appears more than once")]
    DuplicateId {
        /// The parameter.
        parameter: String,
        /// The id.
        id: String,
    },
    /// An id or value contains a character that would make the sign content ambiguous
    /// (`&`, `=`), or an id the provider's JavaScript cannot hold (`__proto__`).
    #[error(
        "parameter {parameter}: the entry for id {id} {what}, which cannot be signed unambiguously"
    )]
    Unsignable {
        /// The parameter.
        parameter: String,
        /// The id.
        id: String,
        /// What is wrong.
        what: &'static str,
    },
    /// The URL has no `signature` parameter.
    #[error("the URL has no signature parameter")]
    MissingSignature,
    /// The `signature` parameter is not 64 hex digits.
    #[error("the signature parameter is not 64 hex digits")]
    MalformedSignature,
    /// The signature does not match the URL's sign content under this secret.
    #[error(
        "the signature does not match: the signed parameters were changed, or another secret was used"
    )]
    SignatureMismatch,
    /// The builder's base URL is not an absolute http(s) URL without a fragment.
    #[error("invalid base URL: {reason}")]
    InvalidBaseUrl {
        /// Why.
        reason: &'static str,
    },
    /// The builder was given a parameter it sets itself (`apiKey`, `signature`, a sensitive
    /// parameter) through [`WidgetUrlBuilder::param`](crate::WidgetUrlBuilder::param).
    #[error("parameter {parameter} is set by the builder's own method, not by param()")]
    ReservedParameter {
        /// The parameter.
        parameter: String,
    },
}
