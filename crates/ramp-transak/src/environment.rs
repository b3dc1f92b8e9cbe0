//! Where requests go: Transak's two hosts per environment.

use url::Url;

/// A Transak environment. Each has two hosts: the **API** host (partner access tokens,
/// orders) and the **gateway** host (widget URLs).
///
/// ```
/// use ramp_transak::Environment;
///
/// assert_eq!(Environment::Staging.api().as_str(), "https://api-stg.transak.com/");
/// assert_eq!(Environment::Production.gateway().as_str(), "https://api-gateway.transak.com/");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Environment {
    /// `https://api-stg.transak.com` and `https://api-gateway-stg.transak.com`.
    Staging,
    /// `https://api.transak.com` and `https://api-gateway.transak.com`.
    Production,
    /// Your own hosts: a proxy, or a local emulator in tests.
    Custom {
        /// The API host (tokens, orders).
        api: Url,
        /// The gateway host (widget URLs).
        gateway: Url,
    },
}

impl Environment {
    /// The API host.
    pub fn api(&self) -> Url {
        match self {
            Self::Staging => known("https://api-stg.transak.com/"),
            Self::Production => known("https://api.transak.com/"),
            Self::Custom { api, .. } => api.clone(),
        }
    }

    /// The gateway host.
    pub fn gateway(&self) -> Url {
        match self {
            Self::Staging => known("https://api-gateway-stg.transak.com/"),
            Self::Production => known("https://api-gateway.transak.com/"),
            Self::Custom { gateway, .. } => gateway.clone(),
        }
    }
}

/// A URL constant of this file. They are checked by a test, so the `expect` cannot fire; no
/// input reaches it.
#[allow(clippy::expect_used)]
fn known(url: &'static str) -> Url {
    Url::parse(url).expect("a constant Transak URL parses")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_host_parses() {
        for env in [Environment::Staging, Environment::Production] {
            assert_eq!(env.api().scheme(), "https");
            assert_eq!(env.gateway().scheme(), "https");
        }
    }
}
