//! Why a URL could not be signed or verified.

use std::fmt;

/// Why a URL could not be signed or verified: one pointer wide, like every error of this
/// workspace; [`kind`](Self::kind) says which. None contains the signing secret.
///
/// ```
/// use ramp_onramper_sign::{sign_content, ErrorKind};
///
/// let err = sign_content("wallets=btc:1A1zP1,BTC:1Evil").unwrap_err();
/// assert_eq!(*err.kind(), ErrorKind::DuplicateId { parameter: "wallets".into(), id: "btc".into() });
/// assert_eq!(err.to_string(), "parameter wallets: id btc appears more than once");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Error(Box<ErrorKind>);

const _: () = assert!(std::mem::size_of::<Error>() == std::mem::size_of::<usize>());

impl Error {
    /// Which error it is.
    pub fn kind(&self) -> &ErrorKind {
        &self.0
    }

    /// Which error it is, owned.
    pub fn into_kind(self) -> ErrorKind {
        *self.0
    }
}

/// So that a test compares an error with the kind it expects: `assert_eq!(err, ErrorKind::…)`.
impl PartialEq<ErrorKind> for Error {
    fn eq(&self, kind: &ErrorKind) -> bool {
        *self.0 == *kind
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Self(Box::new(kind))
    }
}

impl From<ramp_core::EmptySecret> for Error {
    fn from(err: ramp_core::EmptySecret) -> Self {
        ErrorKind::EmptySecret(err).into()
    }
}

impl From<ramp_core::EnvSecretError> for Error {
    fn from(err: ramp_core::EnvSecretError) -> Self {
        ErrorKind::Env(err).into()
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        std::error::Error::source(&*self.0)
    }
}

/// Which error an [`Error`] is. Every variant that concerns a parameter names it; none
/// contains the signing secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
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
    /// None of the signed parameters ([`SIGNED_PARAMETERS`](crate::SIGNED_PARAMETERS)) is
    /// in the URL.
    #[error(
        "nothing to sign: the URL has none of the parameters wallets, networkWallets, \
         walletAddressTags, walletAddress, walletMemo, walletAddresses"
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
    /// A private or public key could not be read: not PEM, not PKCS#8/SPKI, not Ed25519,
    /// encrypted, or the wrong half of the pair. Never repeats the input.
    #[error("invalid Ed25519 key: {reason}")]
    InvalidKey {
        /// Why.
        reason: String,
    },
    /// A key file could not be read.
    #[error("cannot read the key file {path}: {reason}")]
    KeyFile {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
    /// A key could not be read from the environment.
    #[error(transparent)]
    Env(#[from] ramp_core::EnvSecretError),
    /// The operating system's randomness was unavailable (key or nonce generation).
    #[error("no randomness from the operating system: {reason}")]
    Randomness {
        /// Why.
        reason: String,
    },
    /// A V2 widget URL that is not an absolute http(s) URL.
    #[error("invalid URL: {reason}")]
    InvalidUrl {
        /// Why.
        reason: String,
    },
    /// A parameter or header the signature needs is missing (`apiKey`, `Authorization`).
    #[error("{parameter} is missing")]
    MissingParameter {
        /// The parameter or header.
        parameter: String,
    },
    /// A V2-signed value holds a character the encoders Onramper names write differently
    /// (`~`, `*`), so whether the signature verifies would depend on Onramper's encoder.
    #[error(
        "parameter {parameter} holds {character:?}, whose encoding Onramper's documented \
         encoders disagree on; it cannot be signed unambiguously"
    )]
    AmbiguousEncoding {
        /// The parameter.
        parameter: String,
        /// The character.
        character: char,
    },
    /// A core parameter present in the URL was asked to stay unsigned; Onramper would
    /// silently remove it.
    #[error(
        "parameter {parameter} is a core parameter: present and unsigned, Onramper removes it \
         silently, so it is always signed"
    )]
    CoreParameterUnsigned {
        /// The parameter.
        parameter: String,
    },
    /// A parameter asked to be signed is not in the URL.
    #[error("parameter {parameter} is to be signed but is not in the URL")]
    SignedFieldMissing {
        /// The parameter.
        parameter: String,
    },
    /// `sigV2Expiry` is not after the timestamp, or more than 30 minutes after it.
    #[error("invalid sigV2Expiry: {reason}")]
    InvalidExpiry {
        /// Why.
        reason: &'static str,
    },
    /// A nonce that is not a UUID v4.
    #[error("the nonce must be a UUID v4")]
    InvalidNonce,
    /// A timestamp that cannot be written as Onramper expects.
    #[error("invalid timestamp: {reason}")]
    InvalidTimestamp {
        /// Why.
        reason: &'static str,
    },
    /// A JSON body (by its content type) that is not JSON, so it has no canonical form.
    #[error("the JSON body cannot be canonicalized: {reason}")]
    InvalidJsonBody {
        /// Why.
        reason: String,
    },
    /// An API request that cannot be signed (a method or path of the wrong form).
    #[error("invalid request: {reason}")]
    InvalidRequest {
        /// Why.
        reason: &'static str,
    },
    /// A wallet address given to the builder is not valid for its crypto or network id.
    #[error("parameter {parameter}: the address for {id} is invalid: {reason}")]
    InvalidAddress {
        /// The parameter (`wallets`, `networkWallets`).
        parameter: String,
        /// The crypto or network id.
        id: String,
        /// What is wrong with the address.
        reason: String,
    },
    /// The builder was given a parameter it sets itself (`apiKey`, `signature`, a sensitive
    /// parameter) through [`WidgetUrlBuilder::param`](crate::WidgetUrlBuilder::param).
    #[error("parameter {parameter} is set by the builder's own method, not by param()")]
    ReservedParameter {
        /// The parameter.
        parameter: String,
    },
    /// An unspecified IP (`0.0.0.0` or `::`) was given as the end user's: it names no user.
    #[error("0.0.0.0 and :: are not an end user's IP: pass the IP of the user's browser")]
    UnspecifiedIp,
}
