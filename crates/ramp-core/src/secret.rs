//! Secrets: [`SecretString`] end to end, and reading one from the environment.

use std::ffi::OsString;

pub use secrecy::{ExposeSecret, SecretString};

/// Reads a secret from the environment variable `name`.
///
/// Fails with an [`EnvSecretError`] that names the variable and why it could not be used
/// (unset, empty or whitespace only, not valid Unicode); the error never contains the
/// variable's value. A `name` that is not a portable variable name (`[A-Za-z_][A-Za-z0-9_]*`)
/// is refused without being repeated: it is most likely a secret pasted where its variable's
/// name belongs.
///
/// ```
/// let err = ramp_core::secret_from_env("RAMP_EXAMPLE_SECRET_THAT_IS_NOT_SET").unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "environment variable RAMP_EXAMPLE_SECRET_THAT_IS_NOT_SET is not set",
/// );
/// ```
pub fn secret_from_env(name: &str) -> Result<SecretString, EnvSecretError> {
    from_var(name, std::env::var_os(name))
}

fn from_var(name: &str, value: Option<OsString>) -> Result<SecretString, EnvSecretError> {
    if !is_variable_name(name) {
        return Err(EnvSecretError::InvalidName { length: name.len() });
    }
    let name = name.to_owned();
    match value.map(OsString::into_string) {
        None => Err(EnvSecretError::NotSet { name }),
        // The `Err` payload is the value itself: it is dropped here, never reported.
        Some(Err(_)) => Err(EnvSecretError::NotUnicode { name }),
        Some(Ok(value)) if value.trim().is_empty() => Err(EnvSecretError::Empty { name }),
        Some(Ok(value)) => Ok(SecretString::from(value)),
    }
}

/// A POSIX portable environment variable name: letters, digits and `_`, not starting with a
/// digit.
fn is_variable_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// The one rule for every signing or verification secret (API secrets, signature secrets,
/// access tokens, webhook keys): it must not be empty or whitespace only.
///
/// An HMAC keyed with the empty string is a valid HMAC that anyone can compute, so a secret
/// that is empty by mistake (an unset variable read as `""`, a blank line in a file) would
/// sign or verify forgeries. Every provider crate calls this where a secret enters, before
/// computing anything, and returns the secret's text for the one place it is used.
///
/// ```
/// use ramp_core::{SecretString, require_secret};
///
/// assert_eq!(require_secret("webhook key", &SecretString::from("k3y")).unwrap(), "k3y");
/// let err = require_secret("webhook key", &SecretString::from(" \n")).unwrap_err();
/// assert_eq!(err.to_string(), "the webhook key is empty or whitespace only");
/// ```
pub fn require_secret<'a>(
    what: &'static str,
    secret: &'a SecretString,
) -> Result<&'a str, EmptySecret> {
    let text = secret.expose_secret();
    if text.trim().is_empty() {
        Err(EmptySecret { what })
    } else {
        Ok(text)
    }
}

/// A signing or verification secret that is empty or whitespace only; see
/// [`require_secret`]. Names which secret, never a value (there is none to name).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the {what} is empty or whitespace only")]
pub struct EmptySecret {
    what: &'static str,
}

impl EmptySecret {
    /// Which secret: `"Kryptonim signature secret"`, `"webhook key"`, ...
    pub fn what(&self) -> &'static str {
        self.what
    }
}

/// A secret could not be read from the environment. Names the variable, never its value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EnvSecretError {
    /// The variable is not set.
    #[error("environment variable {name} is not set")]
    NotSet {
        /// The variable's name.
        name: String,
    },
    /// The variable is set to the empty string, or to whitespace only.
    #[error("environment variable {name} is empty")]
    Empty {
        /// The variable's name.
        name: String,
    },
    /// The variable's value is not valid Unicode.
    #[error("environment variable {name} is not valid Unicode")]
    NotUnicode {
        /// The variable's name.
        name: String,
    },
    /// What was given as the variable's name is not a variable name (letters, digits and
    /// `_`, not starting with a digit). It is not repeated: it may be the secret itself.
    #[error(
        "the environment variable name given ({length} characters) is not a variable name \
         (letters, digits and _); pass the variable's name, not its value"
    )]
    InvalidName {
        /// The length of what was given, in bytes.
        length: usize,
    },
}

impl EnvSecretError {
    /// The name of the environment variable; `None` when what was given is not a variable
    /// name ([`EnvSecretError::InvalidName`]).
    pub fn name(&self) -> Option<&str> {
        match self {
            Self::NotSet { name } | Self::Empty { name } | Self::NotUnicode { name } => Some(name),
            Self::InvalidName { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALUE: &str = "sk_live_do_not_print_me";

    fn assert_silent(err: &EnvSecretError) {
        for text in [err.to_string(), format!("{err:?}")] {
            assert!(text.contains("RAMP_TEST_SECRET"), "{text}");
            assert!(!text.contains(VALUE), "{text}");
        }
    }

    #[test]
    fn a_set_variable_becomes_a_secret_that_does_not_print() {
        let secret = from_var("RAMP_TEST_SECRET", Some(VALUE.into())).unwrap();
        assert_eq!(secret.expose_secret(), VALUE);
        assert!(!format!("{secret:?}").contains(VALUE));
    }

    #[test]
    fn each_failure_names_the_variable_and_never_the_value() {
        let unset = from_var("RAMP_TEST_SECRET", None).unwrap_err();
        assert_eq!(
            unset.to_string(),
            "environment variable RAMP_TEST_SECRET is not set"
        );
        let empty = from_var("RAMP_TEST_SECRET", Some(OsString::new())).unwrap_err();
        assert_eq!(
            empty.to_string(),
            "environment variable RAMP_TEST_SECRET is empty"
        );
        assert_eq!(empty.name(), Some("RAMP_TEST_SECRET"));
        for err in [unset, empty] {
            assert_silent(&err);
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_non_unicode_value_is_not_echoed() {
        use std::os::unix::ffi::OsStringExt;
        let mut bytes = VALUE.as_bytes().to_vec();
        bytes.push(0xff);
        let err = from_var("RAMP_TEST_SECRET", Some(OsString::from_vec(bytes))).unwrap_err();
        assert_eq!(
            err.to_string(),
            "environment variable RAMP_TEST_SECRET is not valid Unicode"
        );
        assert_silent(&err);
    }

    #[test]
    fn a_value_given_as_the_name_is_not_echoed() {
        for pasted in ["sk-live-0a1b", "1ABC", "", "A B", "KEY=value", "ключ"] {
            let err = from_var(pasted, Some("x".into())).unwrap_err();
            assert_eq!(err.name(), None);
            for text in [err.to_string(), format!("{err:?}")] {
                assert!(pasted.is_empty() || !text.contains(pasted), "{text}");
            }
        }
        assert!(from_var("_RAMP_Key_2", Some("x".into())).is_ok());
    }

    #[test]
    fn a_blank_variable_is_empty() {
        for blank in [" ", "\t\n", "   "] {
            let err = from_var("RAMP_TEST_SECRET", Some(blank.into())).unwrap_err();
            assert!(matches!(err, EnvSecretError::Empty { .. }), "{blank:?}");
        }
    }

    #[test]
    fn require_secret_refuses_blank_secrets_only() {
        for blank in ["", " ", "\t", "\r\n", "\u{3000}"] {
            let err = require_secret("test key", &SecretString::from(blank)).unwrap_err();
            assert_eq!(err.what(), "test key");
            assert_eq!(err.to_string(), "the test key is empty or whitespace only");
        }
        // Surrounding whitespace is the caller's business: the secret is used as given.
        assert_eq!(
            require_secret("test key", &SecretString::from(" k ")).unwrap(),
            " k "
        );
    }

    #[test]
    fn reads_the_real_environment() {
        // PATH is set for every test run; nothing here writes the environment.
        let path = secret_from_env("PATH").unwrap();
        assert_eq!(
            Some(path.expose_secret().to_owned()),
            std::env::var("PATH").ok()
        );
    }
}
