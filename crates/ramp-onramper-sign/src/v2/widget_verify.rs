//! Verifying a widget URL's V2 signature.

use std::collections::BTreeSet;

use time::OffsetDateTime;
use uuid::Uuid;

use super::canonical;
use super::options::{self, MAX_EXPIRY, WINDOW};
use super::widget::*;
use super::{PublicKey, VerifyError};

/// A widget URL whose V2 signature holds.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifiedWidgetUrl {
    /// When it was signed.
    pub timestamp: OffsetDateTime,
    /// Its nonce: single use. Record it (see [`NonceCache`](super::NonceCache)) and refuse
    /// it the second time.
    pub nonce: Uuid,
    /// Until when it is valid: `sigV2Expiry` where given, otherwise 15 minutes after the
    /// timestamp.
    pub valid_until: OffsetDateTime,
    /// The parameters the signature covers, in canonical order.
    pub signed_fields: Vec<String>,
    /// Core parameters present in the URL but not signed: Onramper removes them silently,
    /// so the widget will not see them.
    pub stripped: Vec<String>,
}

/// Verifies a widget URL's V2 signature with the partner's public key at `now`, as Onramper
/// does: the signature over the canonical string, the 15-minute window (or `sigV2Expiry`,
/// at most 30 minutes), the 30-second future skew, and the formats of every `sigV2*`
/// parameter, each refusal with its documented error code ([`VerifyError::code`]).
///
/// Without `sigV2Fields`, `apiKey`, `wallets` and `networkWallets` are taken as signed. The
/// nonce is not checked for reuse here (this function keeps no state): pass it to a
/// [`NonceCache`](super::NonceCache).
///
/// Where Onramper's documentation is ambiguous this crate reads it so: a URL with
/// `sigV2Expiry` is valid until then (at most 30 minutes after the timestamp) instead of for
/// 15 minutes; a timestamp without milliseconds is accepted.
pub fn verify_widget_url_v2(
    url: &str,
    key: &PublicKey,
    now: OffsetDateTime,
) -> Result<VerifiedWidgetUrl, VerifyError> {
    let unreadable = VerifyError::Unreadable;
    let parsed = parse_url(url).map_err(unreadable)?;
    let params = Params::parse(parsed.query().unwrap_or("")).map_err(unreadable)?;
    let value = |key: &str| params.single(key).map_err(unreadable);

    let signature = super::parse_signature(value(SIG_V2)?)?;
    let timestamp_text = value(SIG_V2_TIMESTAMP)?.ok_or(VerifyError::TimestampMissing)?;
    let timestamp = canonical::parse_timestamp(timestamp_text)
        .ok_or(VerifyError::TimestampInvalidFormat(SIG_V2_TIMESTAMP))?;
    let nonce_text = value(SIG_V2_NONCE)?.ok_or(VerifyError::NonceMissing)?;
    let nonce = canonical::parse_nonce(nonce_text).ok_or(VerifyError::NonceInvalidFormat)?;
    if value(API_KEY)?.is_none_or(|key| key.trim().is_empty()) {
        return Err(VerifyError::ApiKeyMissing);
    }
    let valid_until = match value(SIG_V2_EXPIRY)? {
        Some(text) => {
            let expiry = canonical::parse_timestamp(text).ok_or(VerifyError::WidgetExpired(
                "sigV2Expiry is not an ISO 8601 UTC time",
            ))?;
            if options::plus(timestamp, MAX_EXPIRY).is_none_or(|latest| expiry > latest) {
                return Err(VerifyError::WidgetExpired(
                    "sigV2Expiry is more than 30 minutes after sigV2Timestamp",
                ));
            }
            if now > expiry {
                return Err(VerifyError::WidgetExpired("sigV2Expiry has passed"));
            }
            options::check_window(timestamp, now, MAX_EXPIRY)?;
            expiry
        }
        None => {
            options::check_window(timestamp, now, WINDOW)?;
            options::plus(timestamp, WINDOW).unwrap_or(timestamp)
        }
    };
    let fields: Vec<String> = match value(SIG_V2_FIELDS)? {
        Some(list) => list
            .split(',')
            .filter(|field| !field.is_empty())
            .map(str::to_owned)
            .collect(),
        None => DEFAULT_SIGNED_FIELDS
            .iter()
            .map(|f| (*f).to_owned())
            .collect(),
    };
    let mut fields: Vec<String> = fields
        .into_iter()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .filter(|field| params.contains(field))
        .collect();
    fields.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
    let query = params.query_over(&fields).map_err(unreadable)?;
    let text = lines_text(timestamp_text, nonce_text, &query);
    if !key.verifies(text.as_bytes(), &signature) {
        return Err(VerifyError::SignatureInvalid(
            "the signature does not match the URL under this public key",
        ));
    }
    let signed: BTreeSet<&str> = fields.iter().map(String::as_str).collect();
    let stripped = CORE_PARAMETERS
        .iter()
        .filter(|core| params.contains(core) && !signed.contains(*core))
        .map(|core| (*core).to_owned())
        .collect();
    Ok(VerifiedWidgetUrl {
        timestamp,
        nonce,
        valid_until,
        signed_fields: fields,
        stripped,
    })
}
