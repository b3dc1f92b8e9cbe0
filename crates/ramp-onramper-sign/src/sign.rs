//! `sign_content`, `signature`, `sign_url` and `verify_url`.

use ramp_core::{SecretString, hmac_sha256_hex, verify_hmac_sha256_hex};

use crate::Error;
use crate::content::{self, SIGNATURE_PARAMETER};

/// The sign content of a widget URL: `wallets`, `networkWallets` and `walletAddressTags`
/// only, percent-decoded, in JavaScript `.sort()` order, each one's `id:value` entries
/// sorted by id, joined as `key=id:value,id:value&key=…`.
///
/// Accepts a full URL, a query string with or without the leading `?`, or a bare sign
/// content. Every other parameter (`apiKey`, `country`, `signature`, …) is left out.
///
/// ```
/// let content = ramp_onramper_sign::sign_content(
///     "https://buy.onramper.com/?apiKey=pk_test_x&wallets=eth:0xAbC,btc:1A1zP1&country=nl",
/// )?;
/// assert_eq!(content, "wallets=btc:1A1zP1,eth:0xAbC");
/// # Ok::<(), ramp_onramper_sign::Error>(())
/// ```
pub fn sign_content(query_or_url: &str) -> Result<String, Error> {
    content::check_length(query_or_url)?;
    let params = content::parse(content::query_of(query_or_url))?;
    Ok(content::join(params))
}

/// The signature of a URL: hex HMAC-SHA256 of its [`sign_content`] under the signing secret
/// (the URL-signing secret Onramper hands out, not the API key).
///
/// ```
/// use ramp_onramper_sign::{signature, SecretString};
///
/// let sig = signature("wallets=btc:1A1zP1", &SecretString::from("secret"))?;
/// assert_eq!(sig.len(), 64);
/// # Ok::<(), ramp_onramper_sign::Error>(())
/// ```
pub fn signature(query_or_url: &str, secret: &SecretString) -> Result<String, Error> {
    let secret = signing_secret(secret)?;
    let content = sign_content(query_or_url)?;
    Ok(hmac_sha256_hex(secret.as_bytes(), content.as_bytes()))
}

/// The signing secret, refused when blank (before anything is computed).
pub(crate) fn signing_secret(secret: &SecretString) -> Result<&str, Error> {
    Ok(ramp_core::require_secret(
        "Onramper signing secret",
        secret,
    )?)
}

/// The URL with `signature=<hex>` appended to its query (before any `#fragment`).
///
/// An existing `signature` parameter is removed first. Upper-case ids are lower-cased in the
/// URL returned (`wallets=BTC:…` becomes `wallets=btc:…`), so that the URL says what the
/// signature covers; every other byte of the URL is left exactly as it was, so the widget
/// sees the parameters you wrote.
///
/// ```
/// use ramp_onramper_sign::{sign_url, verify_url, SecretString};
///
/// let secret = SecretString::from("secret");
/// let url = "https://buy.onramper.com/?apiKey=pk_test_x&wallets=btc:1A1zP1";
/// let signed = sign_url(url, &secret)?;
/// assert!(signed.starts_with(url));
/// assert!(signed.contains("&signature="));
/// verify_url(&signed, &secret)?;
///
/// let shouted = sign_url("https://buy.onramper.com/?apiKey=pk_test_x&wallets=BTC:1A1zP1", &secret)?;
/// assert!(shouted.starts_with("https://buy.onramper.com/?apiKey=pk_test_x&wallets=btc:1A1zP1&signature="));
/// # Ok::<(), ramp_onramper_sign::Error>(())
/// ```
pub fn sign_url(url: &str, secret: &SecretString) -> Result<String, Error> {
    let secret = signing_secret(secret)?;
    content::check_length(url)?;
    let (head, fragment) = match url.split_once('#') {
        Some((head, fragment)) => (head, Some(fragment)),
        None => (url, None),
    };
    // Everything up to and including the `?` stays as it is.
    let (prefix, query) = match head.find('?') {
        Some(q) => (head[..=q].to_owned(), &head[q + 1..]),
        None if head.contains("://") => (format!("{head}?"), ""),
        None => (String::new(), head),
    };
    let mut parts: Vec<std::borrow::Cow<'_, str>> = Vec::new();
    for part in query.split('&') {
        if is_signature_part(part) {
            continue;
        }
        let (raw_key, raw_value) = part.split_once('=').unwrap_or((part, ""));
        let lowered = match content::signed_parameter(raw_key) {
            Some(parameter) => content::lowercased_raw(parameter, raw_value)?,
            None => None,
        };
        parts.push(match lowered {
            Some(value) => format!("{raw_key}={value}").into(),
            None => part.into(),
        });
    }
    let mut query = parts.join("&");
    // The query as it is: not through `sign_content`, whose `query_of` would look for a `?`
    // again and find one inside the query itself.
    let content = content::join(content::parse(&query)?);
    let sig = hmac_sha256_hex(secret.as_bytes(), content.as_bytes());
    // Trailing empty parameters (`a=1&&`) fold into the one `&` before `signature`, so that
    // signing a signed URL again gives the same URL.
    while query.ends_with('&') {
        query.pop();
    }
    if !query.is_empty() {
        query.push('&');
    }
    let mut out = prefix;
    out.push_str(&query);
    out.push_str(SIGNATURE_PARAMETER);
    out.push('=');
    out.push_str(&sig);
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(fragment);
    }
    Ok(out)
}

fn is_signature_part(part: &str) -> bool {
    let key = part.split_once('=').map_or(part, |(k, _)| k);
    content::decode(key, key).is_ok_and(|k| k == SIGNATURE_PARAMETER)
}

/// Checks the `signature` parameter of a URL against its sign content, in constant time.
///
/// Distinct errors say why a URL is refused: [`Error::EmptySecret`] (a blank secret, refused
/// before anything is computed), [`Error::TooLong`], [`Error::MissingSignature`],
/// [`Error::MalformedSignature`] (not 64 hex digits, or given twice as
/// [`Error::DuplicateParameter`]), [`Error::SignatureMismatch`], or the error that makes its
/// sign content invalid.
///
/// ```
/// use ramp_onramper_sign::{sign_url, verify_url, Error, SecretString};
///
/// let secret = SecretString::from("secret");
/// let signed = sign_url("https://buy.onramper.com/?wallets=btc:1A1zP1", &secret)?;
/// assert_eq!(verify_url(&signed, &secret), Ok(()));
/// let tampered = signed.replace("1A1zP1", "1Evil1");
/// assert_eq!(verify_url(&tampered, &secret), Err(Error::SignatureMismatch));
/// # Ok::<(), ramp_onramper_sign::Error>(())
/// ```
pub fn verify_url(url: &str, secret: &SecretString) -> Result<(), Error> {
    let secret = signing_secret(secret)?;
    content::check_length(url)?;
    let query = content::query_of(url);
    let mut given = None;
    for (raw_key, raw_value) in content::raw_params(query) {
        if !content::decode(raw_key, raw_key).is_ok_and(|k| k == SIGNATURE_PARAMETER) {
            continue;
        }
        if given.is_some() {
            return Err(Error::DuplicateParameter {
                parameter: SIGNATURE_PARAMETER.to_owned(),
            });
        }
        given = Some(raw_value);
    }
    let given = given.ok_or(Error::MissingSignature)?;
    if given.len() != 64 || !given.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Error::MalformedSignature);
    }
    let content = sign_content(url)?;
    if verify_hmac_sha256_hex(secret.as_bytes(), content.as_bytes(), given) {
        Ok(())
    } else {
        Err(Error::SignatureMismatch)
    }
}
