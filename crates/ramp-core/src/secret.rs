//! Secrets: [`SecretString`] end to end, and reading one from the environment.

use std::ffi::OsString;

pub use secrecy::{ExposeSecret, SecretString};

/// Reads a secret from the environment variable `name`.
///
/// Fails with an [`EnvSecretError`] that names the variable and why it could not be used
/// (unset, empty, not valid Unicode); the error never contains the variable's value.
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
    let name = name.to_owned();
    match value.map(OsString::into_string) {
        None => Err(EnvSecretError::NotSet { name }),
        // The `Err` payload is the value itself: it is dropped here, never reported.
        Some(Err(_)) => Err(EnvSecretError::NotUnicode { name }),
        Some(Ok(value)) if value.is_empty() => Err(EnvSecretError::Empty { name }),
        Some(Ok(value)) => Ok(SecretString::from(value)),
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
    /// The variable is set to the empty string.
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
}

impl EnvSecretError {
    /// The name of the environment variable.
    pub fn name(&self) -> &str {
        match self {
            Self::NotSet { name } | Self::Empty { name } | Self::NotUnicode { name } => name,
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
        assert_eq!(empty.name(), "RAMP_TEST_SECRET");
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
    fn reads_the_real_environment() {
        // PATH is set for every test run; nothing here writes the environment.
        let path = secret_from_env("PATH").unwrap();
        assert_eq!(
            Some(path.expose_secret().to_owned()),
            std::env::var("PATH").ok()
        );
    }
}
