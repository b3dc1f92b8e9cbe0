//! JSON decoding that names the path where it failed (feature `json`, part of `http`): for
//! bodies that do not come through the HTTP client, such as webhooks and callbacks.

use serde::de::DeserializeOwned;

/// Why a JSON document did not decode, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct JsonError {
    /// Where decoding failed, such as `data.items[1].amount`; `.` for the document itself.
    pub path: String,
    /// What was wrong there.
    pub message: String,
    /// Whether the text is not JSON at all (a syntax error or early end), as opposed to JSON
    /// of the wrong shape.
    pub syntax: bool,
}

impl JsonError {
    /// JSON of the wrong shape at `path`.
    pub fn at(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            message: message.into(),
            syntax: false,
        }
    }
}

/// Decodes JSON into `T`, naming the path where it failed: for bodies that do not come
/// through the HTTP client, such as webhooks and callbacks.
///
/// ```
/// #[derive(Debug, serde::Deserialize)]
/// struct Update { status: String }
///
/// let err = ramp_core::json::from_json_slice::<Update>(br#"{"status": 7}"#).unwrap_err();
/// assert_eq!(err.path, "status");
/// assert!(!err.syntax);
/// ```
pub fn from_json_slice<T: DeserializeOwned>(body: &[u8]) -> Result<T, JsonError> {
    // Decoding is deterministic: a body that decodes takes the plain path, and only one that
    // fails is decoded again, tracking the path, to say where.
    if let Ok(value) = serde_json::from_slice(body) {
        return Ok(value);
    }
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|err| JsonError {
        path: known_path(&err.path().to_string()),
        syntax: !err.inner().is_data(),
        message: err.into_inner().to_string(),
    })
}

/// The path without serde_path_to_error's trailing `?` (a key not yet read when the body
/// ended), so a truncated object reports the object it was in: `?` becomes `.` and
/// `items[0].?` becomes `items[0]`.
fn known_path(path: &str) -> String {
    match path.strip_suffix('?') {
        Some("") => ".".to_owned(),
        Some(parent) => parent.strip_suffix('.').unwrap_or(parent).to_owned(),
        None => path.to_owned(),
    }
}
