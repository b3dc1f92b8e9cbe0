//! Widget URLs: `sigV2`, `sigV2Timestamp`, `sigV2Nonce`, `sigV2Fields`, `sigV2Expiry`.

use crate::ErrorKind;
use std::collections::{BTreeSet, HashMap};

use time::OffsetDateTime;
use url::Url;

use super::canonical::{self, EMPTY_BODY_SHA256, Lines, SIGNATURE_PREFIX};
use super::options::{self, Expiry, MAX_EXPIRY};
use super::{SignOptions, SigningKey};
use crate::Error;
use crate::content::{check_length, decode};

/// The signature parameter.
pub const SIG_V2: &str = "sigV2";
/// When the URL was signed.
pub const SIG_V2_TIMESTAMP: &str = "sigV2Timestamp";
/// The single-use nonce.
pub const SIG_V2_NONCE: &str = "sigV2Nonce";
/// The comma-separated signed parameters.
pub const SIG_V2_FIELDS: &str = "sigV2Fields";
/// When the signed URL expires (optional).
pub const SIG_V2_EXPIRY: &str = "sigV2Expiry";

const SIG_V2_PARAMETERS: [&str; 5] = [
    SIG_V2,
    SIG_V2_TIMESTAMP,
    SIG_V2_NONCE,
    SIG_V2_FIELDS,
    SIG_V2_EXPIRY,
];

/// The parameters Onramper calls core: when present in a widget URL they must be signed, or
/// Onramper silently removes them. (Onramper's published list ends cut off after
/// `excludePaym…`; `excludePaymentMethods` completes it.)
pub const CORE_PARAMETERS: [&str; 26] = [
    "apiKey",
    "wallets",
    "networkWallets",
    "walletAddressTags",
    "defaultAmount",
    "defaultFiat",
    "defaultCrypto",
    "defaultPaymentMethod",
    "onlyOnramps",
    "mode",
    "successRedirectUrl",
    "failureRedirectUrl",
    "partnerContext",
    "redirectAtCheckout",
    "redirectTo",
    "uniqueUserId",
    "email",
    "kycProvider",
    "kycToken",
    "onlyCryptos",
    "onlyCryptoNetworks",
    "onlyFiats",
    "excludeCryptos",
    "excludeCryptoNetworks",
    "excludeFiats",
    "excludePaymentMethods",
];

/// What Onramper assumes signed when a URL has no `sigV2Fields`.
pub const DEFAULT_SIGNED_FIELDS: [&str; 3] = ["apiKey", "wallets", "networkWallets"];

pub(super) const API_KEY: &str = "apiKey";

/// What a V2 signature covers and how it was made: the canonical string, and the values that
/// went into it. Not secret; print it to compare a signature by hand.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Canonical {
    /// The eight lines, joined by `\n`: exactly the bytes signed.
    pub text: String,
    /// Line 2, as sent.
    pub timestamp: String,
    /// Line 3, as sent.
    pub nonce: String,
    /// Widget URLs: the signed parameters, in canonical order (`sigV2Fields`). Empty for an
    /// API request.
    pub fields: Vec<String>,
    /// Widget URLs: `sigV2Expiry`, where one is set.
    pub expiry: Option<String>,
}

/// The URL, parsed and checked: an absolute http(s) URL, within the size limit.
pub(super) fn parse_url(url: &str) -> Result<Url, Error> {
    check_length(url)?;
    let parsed = Url::parse(url.trim()).map_err(|err| ErrorKind::InvalidUrl {
        reason: err.to_string(),
    })?;
    if !matches!(parsed.scheme(), "https" | "http") || parsed.host_str().is_none() {
        return Err(ErrorKind::InvalidUrl {
            reason: "it must be an absolute https:// (or http://) URL".into(),
        }
        .into());
    }
    Ok(parsed)
}

/// The query's parameters, decoded (form encoding: `+` is a space; a bad `%` escape or
/// non-UTF-8 is an error naming the parameter), with an index by key so that every lookup is
/// constant-time: the work stays linear in the URL, whatever `sigV2Fields` lists.
pub(super) struct Params {
    /// Key and value, in URL order.
    list: Vec<(String, String)>,
    /// Where each key is in `list`, or `None` when it appears more than once.
    index: HashMap<String, Option<usize>>,
}

impl Params {
    pub(super) fn parse(query: &str) -> Result<Self, Error> {
        let mut list = Vec::new();
        let mut index = HashMap::new();
        for raw in query.split('&').filter(|part| !part.is_empty()) {
            let (raw_key, raw_value) = raw.split_once('=').unwrap_or((raw, ""));
            let key = decode(raw_key, raw_key)?.into_owned();
            let value = decode(raw_value, &key)?.into_owned();
            index
                .entry(key.clone())
                .and_modify(|at| *at = None)
                .or_insert(Some(list.len()));
            list.push((key, value));
        }
        Ok(Self { list, index })
    }

    pub(super) fn contains(&self, key: &str) -> bool {
        self.index.contains_key(key)
    }

    /// The one value of `key`; twice is an error.
    pub(super) fn single(&self, key: &str) -> Result<Option<&str>, Error> {
        match self.index.get(key) {
            None => Ok(None),
            Some(None) => Err(ErrorKind::DuplicateParameter {
                parameter: key.to_owned(),
            }
            .into()),
            Some(Some(at)) => Ok(self.list.get(*at).map(|(_, value)| value.as_str())),
        }
    }

    /// The keys present, without the `sigV2*` parameters.
    pub(super) fn keys(&self) -> impl Iterator<Item = &str> {
        self.index
            .keys()
            .map(String::as_str)
            .filter(|key| !SIG_V2_PARAMETERS.contains(key))
    }

    /// The canonical query over `fields` (each present once, unambiguous), sorted.
    pub(super) fn query_over(&self, fields: &[String]) -> Result<String, Error> {
        let mut pairs = Vec::with_capacity(fields.len());
        for field in fields {
            let Some(value) = self.single(field)? else {
                continue;
            };
            canonical::check_unambiguous(field, field)?;
            canonical::check_unambiguous(field, value)?;
            pairs.push((field.as_str(), value));
        }
        Ok(canonical::canonical_query(&mut pairs))
    }
}

pub(super) fn lines_text(timestamp: &str, nonce: &str, query: &str) -> String {
    Lines {
        timestamp,
        nonce,
        method: "GET",
        path: "/",
        query,
        headers: "",
        body_sha256: EMPTY_BODY_SHA256,
    }
    .join()
}

/// The canonical string a V2 signature of `url` covers under `options`, without signing.
///
/// ```
/// use ramp_onramper_sign::v2::{widget_canonical, OffsetDateTime, SignOptions};
///
/// let options = SignOptions::new()
///     .timestamp(OffsetDateTime::from_unix_timestamp(1_705_314_600).unwrap()) // 2024-01-15T10:30:00Z
///     .nonce("550e8400-e29b-41d4-a716-446655440000".parse().unwrap());
/// let canonical = widget_canonical(
///     "https://buy.onramper.com/?apiKey=pk_test_example&wallets=eth:0x1234&defaultCrypto=USDC%20ETH",
///     &options,
/// )?;
/// assert_eq!(
///     canonical.text,
///     "ONRAMPER-SIG-V2\n2024-01-15T10:30:00.000Z\n550e8400-e29b-41d4-a716-446655440000\nGET\n/\n\
///      apiKey=pk_test_example&defaultCrypto=USDC+ETH&wallets=eth%3A0x1234\n\n\
///      e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
/// );
/// assert_eq!(canonical.fields, ["apiKey", "defaultCrypto", "wallets"]);
/// # Ok::<(), ramp_onramper_sign::Error>(())
/// ```
pub fn widget_canonical(url: &str, options: &SignOptions) -> Result<Canonical, Error> {
    let parsed = parse_url(url)?;
    canonical_of(&parsed, options)
}

fn canonical_of(url: &Url, options: &SignOptions) -> Result<Canonical, Error> {
    let params = Params::parse(url.query().unwrap_or(""))?;
    match params.single(API_KEY)? {
        Some(key) if !key.trim().is_empty() => {}
        _ => {
            return Err(ErrorKind::MissingParameter {
                parameter: API_KEY.to_owned(),
            }
            .into());
        }
    }
    let present: BTreeSet<&str> = params.keys().collect();
    let mut fields: BTreeSet<String> = CORE_PARAMETERS
        .iter()
        .filter(|core| present.contains(*core))
        .map(|core| (*core).to_owned())
        .collect();
    for field in &options.leave_unsigned {
        if fields.contains(field) {
            return Err(ErrorKind::CoreParameterUnsigned {
                parameter: field.clone(),
            }
            .into());
        }
    }
    for field in &options.also_sign {
        if !present.contains(field.as_str()) {
            return Err(ErrorKind::SignedFieldMissing {
                parameter: field.clone(),
            }
            .into());
        }
        if field.contains(',') || SIG_V2_PARAMETERS.contains(&field.as_str()) {
            return Err(ErrorKind::ReservedParameter {
                parameter: field.clone(),
            }
            .into());
        }
        fields.insert(field.clone());
    }
    let mut fields: Vec<String> = fields.into_iter().collect();
    fields.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));

    let timestamp = options.timestamp.unwrap_or_else(OffsetDateTime::now_utc);
    let timestamp_text = canonical::format_timestamp(timestamp)?;
    let nonce = match options.nonce {
        Some(nonce) if canonical::is_v4(&nonce) => nonce,
        Some(_) => return Err(ErrorKind::InvalidNonce.into()),
        None => canonical::new_nonce()?,
    };
    let nonce_text = canonical::format_nonce(&nonce);
    let expiry = match options.expiry {
        None => None,
        Some(expiry) => {
            let at = match expiry {
                Expiry::At(at) => at,
                Expiry::In(lifetime) => {
                    options::plus(timestamp, lifetime).ok_or(ErrorKind::InvalidExpiry {
                        reason: "it is beyond the representable range",
                    })?
                }
            };
            if at <= timestamp {
                return Err(ErrorKind::InvalidExpiry {
                    reason: "it must be after the timestamp",
                }
                .into());
            }
            if options::plus(timestamp, MAX_EXPIRY).is_none_or(|latest| at > latest) {
                return Err(ErrorKind::InvalidExpiry {
                    reason: "it must be at most 30 minutes after the timestamp",
                }
                .into());
            }
            Some(canonical::format_timestamp(at)?)
        }
    };
    let query = params.query_over(&fields)?;
    Ok(Canonical {
        text: lines_text(&timestamp_text, &nonce_text, &query),
        timestamp: timestamp_text,
        nonce: nonce_text,
        fields,
        expiry,
    })
}

/// Signs a widget URL with Signature V2, now, with a fresh nonce: see
/// [`sign_widget_url_v2_with`].
pub fn sign_widget_url_v2(url: &str, key: &SigningKey) -> Result<Url, Error> {
    sign_widget_url_v2_with(url, key, &SignOptions::new())
}

/// Signs a widget URL with Signature V2 and returns it with `sigV2Timestamp`, `sigV2Nonce`,
/// `sigV2Fields`, `sigV2Expiry` (when asked for) and `sigV2` appended.
///
/// Every core parameter present in the URL ([`CORE_PARAMETERS`]) is signed and listed in
/// `sigV2Fields`, because Onramper silently removes a core parameter that is present but
/// unsigned; other parameters are signed when [`SignOptions::also_sign`] names them. The
/// canonical query encodes the signed values as JavaScript's `URLSearchParams` does; a
/// signed value with `~` or `*`, whose encoding the encoders Onramper names disagree on, is
/// refused ([`ErrorKind::AmbiguousEncoding`]). The URL's own bytes are kept as they are; earlier
/// `sigV2*` parameters are replaced.
///
/// Errors: [`ErrorKind::MissingParameter`] without `apiKey`, [`ErrorKind::CoreParameterUnsigned`],
/// [`ErrorKind::InvalidExpiry`] (not after the timestamp, or more than 30 minutes after it),
/// [`ErrorKind::DuplicateParameter`] for a signed parameter given twice, and the errors of a URL
/// that cannot be read.
///
/// ```
/// use ramp_onramper_sign::v2::{sign_widget_url_v2, verify_widget_url_v2, SigningKey};
/// use time::OffsetDateTime;
///
/// let key = SigningKey::generate()?;
/// let url = sign_widget_url_v2(
///     "https://buy.onramper.com/?apiKey=pk_test_x&wallets=btc:1Lbcfr7sAHTD9CgdQo3HTMTkV8LK4ZnX71",
///     &key,
/// )?;
/// assert!(url.query().unwrap().contains("&sigV2Fields=apiKey%2Cwallets&sigV2=v2%3A"));
/// let verified = verify_widget_url_v2(url.as_str(), &key.public_key(), OffsetDateTime::now_utc())
///     .expect("a fresh signature verifies");
/// assert_eq!(verified.signed_fields, ["apiKey", "wallets"]);
/// # Ok::<(), ramp_onramper_sign::Error>(())
/// ```
pub fn sign_widget_url_v2_with(
    url: &str,
    key: &SigningKey,
    options: &SignOptions,
) -> Result<Url, Error> {
    let mut parsed = parse_url(url)?;
    let canonical = canonical_of(&parsed, options)?;
    let signature = key.sign(canonical.text.as_bytes());

    let raw_query = parsed.query().unwrap_or("");
    let mut query: Vec<&str> = Vec::new();
    for part in raw_query.split('&').filter(|part| !part.is_empty()) {
        let raw_key = part.split_once('=').map_or(part, |(k, _)| k);
        let is_sig_v2 =
            decode(raw_key, raw_key).is_ok_and(|key| SIG_V2_PARAMETERS.contains(&&*key));
        if !is_sig_v2 {
            query.push(part);
        }
    }
    let mut out = query.join("&");
    let mut append = |key: &str, value: &str| {
        if !out.is_empty() {
            out.push('&');
        }
        canonical::push_pair(&mut out, key, value);
    };
    append(SIG_V2_TIMESTAMP, &canonical.timestamp);
    append(SIG_V2_NONCE, &canonical.nonce);
    append(SIG_V2_FIELDS, &canonical.fields.join(","));
    if let Some(expiry) = &canonical.expiry {
        append(SIG_V2_EXPIRY, expiry);
    }
    append(
        SIG_V2,
        &format!("{SIGNATURE_PREFIX}{}", ramp_core::base64_encode(&signature)),
    );
    parsed.set_query(Some(&out));
    Ok(parsed)
}
