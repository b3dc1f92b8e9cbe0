//! `sign_content`, `signature`, `sign_url` and `verify_url`.

use crate::ErrorKind;
use ramp_core::{SecretString, hmac_sha256_hex, verify_hmac_sha256_hex};

use crate::Error;
use crate::content::{self, Key, Raw, SIGNATURE_PARAMETER, SIGNED_PARAMETERS, Signed};

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
    Ok(content::join(&params))
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
    let mut out = String::with_capacity(url.len() + SIGNATURE_PARAMETER.len() + 66);
    let query = match head.find('?') {
        Some(q) => {
            out.push_str(&head[..=q]);
            &head[q + 1..]
        }
        None if head.contains("://") => {
            out.push_str(head);
            out.push('?');
            ""
        }
        None => head,
    };
    let query_start = out.len();
    // One pass over the query writes the URL returned (without any old `signature`, list ids
    // lower-cased) and decodes the signed lists. A list that does not decode, or one that had
    // to be lower-cased and does not parse, is refused here, in the order of the query;
    // duplicates and everything else are checked after, in the same order.
    let mut signed = Vec::new();
    let mut first = true;
    for part in query.split('&') {
        let (raw_key, raw_value) = part.split_once('=').unwrap_or((part, ""));
        let key = content::key(raw_key);
        if key == Key::Signature {
            continue;
        }
        if !first {
            out.push('&');
        }
        first = false;
        let Key::Signed(slot) = key else {
            out.push_str(part);
            continue;
        };
        if content::is_single_valued(slot) {
            out.push_str(part);
            signed.push((slot, Raw::Encoded(raw_value)));
            continue;
        }
        let value = content::decode(raw_value, SIGNED_PARAMETERS[slot])?;
        if has_upper_case_id(&value) {
            let parsed = content::parse_value(slot, value)?;
            if let Signed::Pairs { text, entries } = &parsed {
                out.push_str(raw_key);
                out.push('=');
                content::write_encoded(text, entries, &mut out);
            }
            signed.push((slot, Raw::Parsed(parsed)));
        } else {
            out.push_str(part);
            signed.push((slot, Raw::Decoded(value)));
        }
    }
    let params = content::parse_all(signed)?;
    let sig = hmac_sha256_hex(secret.as_bytes(), content::join(&params).as_bytes());
    // Trailing empty parameters (`a=1&&`) fold into the one `&` before `signature`, so that
    // signing a signed URL again gives the same URL.
    while out.len() > query_start && out.ends_with('&') {
        out.pop();
    }
    if out.len() > query_start {
        out.push('&');
    }
    out.push_str(SIGNATURE_PARAMETER);
    out.push('=');
    out.push_str(&sig);
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(fragment);
    }
    Ok(out)
}

/// Whether an `id:value` list has an id with an upper-case letter (the URL returned then
/// carries the list with its ids lower-cased, as signed).
fn has_upper_case_id(value: &str) -> bool {
    value.split(',').any(|entry| {
        entry
            .split_once(':')
            .is_some_and(|(id, _)| id.chars().any(char::is_uppercase))
    })
}

/// Checks the `signature` parameter of a URL against its sign content, in constant time.
///
/// Distinct errors say why a URL is refused: [`ErrorKind::EmptySecret`] (a blank secret, refused
/// before anything is computed), [`ErrorKind::TooLong`], [`ErrorKind::MissingSignature`],
/// [`ErrorKind::MalformedSignature`] (not 64 hex digits, or given twice as
/// [`ErrorKind::DuplicateParameter`]), [`ErrorKind::SignatureMismatch`], or the error that makes its
/// sign content invalid.
///
/// ```
/// use ramp_onramper_sign::{sign_url, verify_url, ErrorKind, SecretString};
///
/// let secret = SecretString::from("secret");
/// let signed = sign_url("https://buy.onramper.com/?wallets=btc:1A1zP1", &secret)?;
/// assert_eq!(verify_url(&signed, &secret), Ok(()));
/// let tampered = signed.replace("1A1zP1", "1Evil1");
/// assert_eq!(verify_url(&tampered, &secret), Err(ErrorKind::SignatureMismatch.into()));
/// # Ok::<(), ramp_onramper_sign::Error>(())
/// ```
pub fn verify_url(url: &str, secret: &SecretString) -> Result<(), Error> {
    let secret = signing_secret(secret)?;
    content::check_length(url)?;
    let query = content::query_of(url);
    let mut given = None;
    let mut signed = Vec::new();
    for (raw_key, raw_value) in content::raw_params(query) {
        match content::key(raw_key) {
            Key::Signature if given.is_some() => {
                return Err(ErrorKind::DuplicateParameter {
                    parameter: SIGNATURE_PARAMETER.to_owned(),
                }
                .into());
            }
            Key::Signature => given = Some(raw_value),
            Key::Signed(slot) => signed.push((slot, Raw::Encoded(raw_value))),
            Key::Other => {}
        }
    }
    let given = given.ok_or(ErrorKind::MissingSignature)?;
    if given.len() != 64 || !given.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(ErrorKind::MalformedSignature.into());
    }
    let content = content::join(&content::parse_all(signed)?);
    if verify_hmac_sha256_hex(secret.as_bytes(), content.as_bytes(), given) {
        Ok(())
    } else {
        Err(ErrorKind::SignatureMismatch.into())
    }
}
