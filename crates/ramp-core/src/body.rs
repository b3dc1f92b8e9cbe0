//! A request body serialized once, where the request is built.

use std::fmt;

/// The bytes of a request body, serialized once where the request was built (so a body that
/// cannot be serialized is an error there, never an empty body that gets signed), then signed
/// and sent as they are. `Debug` shows the length, not the bytes.
///
/// ```
/// let body = ramp_core::Body::new(br#"{"amount":"10"}"#.to_vec());
/// assert_eq!(body.as_bytes(), br#"{"amount":"10"}"#);
/// assert_eq!(format!("{body:?}"), "Body(15 bytes)");
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Body(Vec<u8>);

impl Body {
    /// Wraps serialized bytes.
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// A copy of the bytes.
    pub fn to_vec(&self) -> Vec<u8> {
        self.0.clone()
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Body({} bytes)", self.0.len())
    }
}
