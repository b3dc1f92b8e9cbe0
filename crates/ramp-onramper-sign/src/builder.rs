//! A typed builder for signed widget URLs.

use crate::ErrorKind;
use ramp_core::SecretString;

use crate::content::{SIGNATURE_PARAMETER, encode};
use crate::{Error, sign_url};

const API_KEY: &str = "apiKey";

/// The `id:value` lists the builder writes itself ([`WidgetUrlBuilder::wallet`] and the
/// like), in the seed's order.
const OWN_LISTS: [&str; 3] = ["wallets", "networkWallets", "walletAddressTags"];

/// Builds a signed Onramper widget URL, with Signature V2 ([`sign_v2`](Self::sign_v2), a
/// `Url`; feature `v2`) or V1 ([`sign`](Self::sign)).
///
/// Ids are lower-cased, every id, value and parameter is percent-encoded, and the result is
/// signed; anything the verifier would refuse (an empty id or value, the same id twice, no
/// wallet at all for V1, a core parameter left unsigned for V2) is an error instead of a URL.
///
/// ```
/// use ramp_onramper_sign::{verify_url, SecretString, WidgetUrlBuilder};
///
/// let secret = SecretString::from("secret");
/// let url = WidgetUrlBuilder::new("https://buy.onramper.com", "pk_test_01ABC")
///     .param("country", "nl")
///     .wallet("BTC", "1Lbcfr7sAHTD9CgdQo3HTMTkV8LK4ZnX71")
///     .network_wallet("bitcoincash", "bitcoincash:qq5msh0gr4tqk3fmqzsmpt2f3lvfpkz3uyktr4a3dz")
///     .sign(&secret)?;
/// assert_eq!(
///     url,
///     "https://buy.onramper.com/?apiKey=pk_test_01ABC&country=nl\
///      &wallets=btc:1Lbcfr7sAHTD9CgdQo3HTMTkV8LK4ZnX71\
///      &networkWallets=bitcoincash:bitcoincash%3Aqq5msh0gr4tqk3fmqzsmpt2f3lvfpkz3uyktr4a3dz\
///      &signature=".to_owned() + &url[url.len() - 64..],
/// );
/// verify_url(&url, &secret)?;
/// # Ok::<(), ramp_onramper_sign::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct WidgetUrlBuilder {
    base: String,
    api_key: String,
    params: Vec<(String, String)>,
    wallets: Vec<(String, String)>,
    network_wallets: Vec<(String, String)>,
    address_tags: Vec<(String, String)>,
    strict_addresses: bool,
    end_user_ip: Option<std::net::IpAddr>,
}

impl WidgetUrlBuilder {
    /// A URL on `base_url` (such as `https://buy.onramper.com`) for the publishable API key.
    ///
    /// A base with a query keeps it (`https://buy.onramper.com/?mode=buy`); a base with a
    /// `#fragment`, without a host, or not http(s) is refused by [`sign`](Self::sign).
    pub fn new(base_url: &str, api_key: &str) -> Self {
        Self {
            base: base_url.to_owned(),
            api_key: api_key.to_owned(),
            params: Vec::new(),
            wallets: Vec::new(),
            network_wallets: Vec::new(),
            address_tags: Vec::new(),
            strict_addresses: false,
            end_user_ip: None,
        }
    }

    /// The end user's IP: sent as `endUserIpHash`, the hex SHA-256 of its text
    /// ([`end_user_ip_hash`](crate::end_user_ip_hash)), and signed by
    /// [`sign_v2`](Self::sign_v2) (listed in `sigV2Fields`), so that the widget opens only for
    /// the browser at that IP. Pass the IP of the user's browser as your backend sees it;
    /// `0.0.0.0` and `::` are [`ErrorKind::UnspecifiedIp`]. V1 ([`sign`](Self::sign)) cannot sign
    /// it, so it refuses a builder that has one.
    pub fn end_user_ip(mut self, ip: std::net::IpAddr) -> Self {
        self.end_user_ip = Some(ip);
        self
    }

    /// Adds `id:address` to `wallets` (the crypto id, such as `btc` or `usdc_polygon`).
    pub fn wallet(mut self, id: &str, address: &str) -> Self {
        self.wallets.push((id.to_lowercase(), address.to_owned()));
        self
    }

    /// Adds `network:address` to `networkWallets` (the network id, such as `ethereum`).
    pub fn network_wallet(mut self, network: &str, address: &str) -> Self {
        self.network_wallets
            .push((network.to_lowercase(), address.to_owned()));
        self
    }

    /// Adds `id:tag` to `walletAddressTags` (a memo or destination tag, such as for XRP).
    pub fn wallet_address_tag(mut self, id: &str, tag: &str) -> Self {
        self.address_tags.push((id.to_lowercase(), tag.to_owned()));
        self
    }

    /// Refuses a wallet whose crypto or network id does not say what its address looks like
    /// (off by default: such an address passes unchecked). Addresses of known ids (`btc`,
    /// `eth`, `usdc_polygon`, `ethereum`, `tron`, `solana`, ...; see `ramp_address`) are
    /// always checked when the URL is built, and an invalid one is
    /// [`ErrorKind::InvalidAddress`]. (`sign_url` and `sign_content` sign what they are given.)
    pub fn strict_addresses(mut self, strict: bool) -> Self {
        self.strict_addresses = strict;
        self
    }

    /// Adds any other widget parameter (`country`, `defaultCrypto`, `mode`, …), encoded.
    ///
    /// `apiKey`, `signature` and the three signed parameters have their own methods; passing
    /// them here makes [`sign`](Self::sign) fail with [`ErrorKind::ReservedParameter`].
    pub fn param(mut self, key: &str, value: &str) -> Self {
        self.params.push((key.to_owned(), value.to_owned()));
        self
    }

    /// The URL signed with V1 (HMAC-SHA256, `signature=`). A blank secret is
    /// [`ErrorKind::EmptySecret`], before anything is built.
    ///
    /// V1 keeps returning a `String` so that a V1-only build needs no URL crate (with `url`,
    /// the V1 dependency tree doubles); [`sign_v2`](Self::sign_v2) returns a `Url`.
    pub fn sign(&self, secret: &SecretString) -> Result<String, Error> {
        crate::sign::signing_secret(secret)?;
        if self.end_user_ip.is_some() {
            // V1 signs the wallet parameters only: an unsigned hash could be stripped.
            return Err(ErrorKind::InvalidRequest {
                reason: "endUserIpHash can only be signed with Signature V2: use sign_v2",
            }
            .into());
        }
        sign_url(&self.unsigned()?, secret)
    }

    /// The URL signed with Signature V2 (Ed25519), now, with a fresh nonce: every core
    /// parameter it holds is signed. See [`v2::sign_widget_url_v2_with`](crate::v2::sign_widget_url_v2_with).
    ///
    /// ```
    /// use ramp_onramper_sign::{v2::SigningKey, WidgetUrlBuilder};
    ///
    /// let key = SigningKey::generate()?;
    /// let url = WidgetUrlBuilder::new("https://buy.onramper.com", "pk_test_01ABC")
    ///     .param("defaultCrypto", "btc")
    ///     .wallet("BTC", "1Lbcfr7sAHTD9CgdQo3HTMTkV8LK4ZnX71")
    ///     .sign_v2(&key)?;
    /// assert_eq!(url.host_str(), Some("buy.onramper.com"));
    /// assert!(url.as_str().contains("&sigV2Fields=apiKey%2CdefaultCrypto%2Cwallets&"));
    /// # Ok::<(), ramp_onramper_sign::Error>(())
    /// ```
    #[cfg(feature = "v2")]
    pub fn sign_v2(&self, key: &crate::v2::SigningKey) -> Result<url::Url, Error> {
        self.sign_v2_with(key, &crate::v2::SignOptions::new())
    }

    /// [`sign_v2`](Self::sign_v2) with explicit options (timestamp, nonce, expiry, extra
    /// signed parameters).
    #[cfg(feature = "v2")]
    pub fn sign_v2_with(
        &self,
        key: &crate::v2::SigningKey,
        options: &crate::v2::SignOptions,
    ) -> Result<url::Url, Error> {
        let url = self.unsigned()?;
        if self.end_user_ip.is_some() {
            let options = options.clone().also_sign(crate::END_USER_IP_HASH);
            return crate::v2::sign_widget_url_v2_with(&url, key, &options);
        }
        crate::v2::sign_widget_url_v2_with(&url, key, options)
    }

    /// The URL before signing (without `signature`): what [`sign`](Self::sign) signs.
    ///
    /// ```
    /// use ramp_onramper_sign::WidgetUrlBuilder;
    ///
    /// let url = WidgetUrlBuilder::new("https://buy.onramper.com", "pk_test_x")
    ///     .param("country", "nl")
    ///     .wallet("BTC", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")
    ///     .wallet_address_tag("xrp", "3305384510")
    ///     .unsigned()?;
    /// assert_eq!(
    ///     url,
    ///     "https://buy.onramper.com/?apiKey=pk_test_x&country=nl&wallets=btc:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa&walletAddressTags=xrp:3305384510",
    /// );
    /// # Ok::<(), ramp_onramper_sign::Error>(())
    /// ```
    pub fn unsigned(&self) -> Result<String, Error> {
        check_base(&self.base)?;
        if self.api_key.is_empty() {
            return Err(ErrorKind::EmptyParameter {
                parameter: API_KEY.to_owned(),
            }
            .into());
        }
        if let Some((key, _)) = self.params.iter().find(|(key, _)| {
            key == API_KEY
                || key == SIGNATURE_PARAMETER
                || key.starts_with("sigV2")
                || key == crate::END_USER_IP_HASH
                || OWN_LISTS.contains(&key.as_str())
        }) {
            return Err(ErrorKind::ReservedParameter {
                parameter: key.clone(),
            }
            .into());
        }
        self.check_addresses()?;
        let mut url = self.base.clone();
        // `https://host` becomes `https://host/`, as the widget's own URLs are written.
        let after_scheme = url.find("://").map_or(0, |i| i + 3);
        if !url[after_scheme..].contains('/') {
            let at = url.find('?').unwrap_or(url.len());
            url.insert(at, '/');
        }
        if !url.contains('?') {
            url.push('?');
        } else if !url.ends_with(['?', '&']) {
            url.push('&');
        }
        url.push_str(&format!("{API_KEY}={}", encode(&self.api_key)));
        for (key, value) in &self.params {
            url.push_str(&format!("&{}={}", encode(key), encode(value)));
        }
        if let Some(ip) = self.end_user_ip {
            let hash = crate::end_user_ip_hash(ip)?;
            url.push_str(&format!("&{}={hash}", crate::END_USER_IP_HASH));
        }
        let signed =
            OWN_LISTS
                .into_iter()
                .zip([&self.wallets, &self.network_wallets, &self.address_tags]);
        for (name, pairs) in signed {
            if pairs.is_empty() {
                continue;
            }
            url.push('&');
            url.push_str(name);
            url.push('=');
            for (i, (id, value)) in pairs.iter().enumerate() {
                if i > 0 {
                    url.push(',');
                }
                url.push_str(&format!("{}:{}", encode(id), encode(value)));
            }
        }
        Ok(url)
    }
}

impl WidgetUrlBuilder {
    /// Every wallet's address, checked for its crypto id (`wallets`) or network id
    /// (`networkWallets`).
    fn check_addresses(&self) -> Result<(), Error> {
        let policy = ramp_address::Policy::default().strict(self.strict_addresses);
        let lists = [
            ("wallets", &self.wallets, true),
            ("networkWallets", &self.network_wallets, false),
        ];
        for (parameter, pairs, by_crypto) in lists {
            // An empty id or address is refused by the signer, which names it more plainly.
            for (id, address) in pairs
                .iter()
                .filter(|(id, a)| !id.is_empty() && !a.is_empty())
            {
                let family = if by_crypto {
                    ramp_address::family_of_crypto(id)
                } else {
                    ramp_address::family_of(id)
                };
                let network = family.map_or(id.as_str(), |family| family.name());
                let invalid = |reason: String| -> Error {
                    ErrorKind::InvalidAddress {
                        parameter: parameter.to_owned(),
                        id: id.clone(),
                        reason,
                    }
                    .into()
                };
                match ramp_address::check(network, address, policy) {
                    Ok(_) => {}
                    Err(ramp_address::CheckError::Invalid { error, .. }) => {
                        return Err(invalid(error.to_string()));
                    }
                    Err(_) => {
                        return Err(invalid(
                            "the id does not say what the address looks like, and strict \
                             address checking is on"
                                .into(),
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}

fn check_base(base: &str) -> Result<(), Error> {
    let invalid = |reason| Err(ErrorKind::InvalidBaseUrl { reason }.into());
    let lower = base.to_ascii_lowercase();
    let Some(rest) = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
    else {
        return invalid("it must start with https:// or http://");
    };
    let host = rest.split(['/', '?']).next().unwrap_or("");
    if host.is_empty() {
        return invalid("it has no host");
    }
    if base.contains('#') {
        return invalid("it must not have a #fragment");
    }
    if base.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return invalid("it contains whitespace or control characters");
    }
    Ok(())
}
