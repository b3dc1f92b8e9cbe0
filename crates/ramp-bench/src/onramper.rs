//! A minimal Onramper V1 signer: the seed's algorithm and nothing else (no checks, no
//! duplicate detection, ASCII ids, the seed's three parameters).

use std::borrow::Cow;

use percent_encoding::percent_decode_str;

/// The parameters the seed signs, in JavaScript's `.sort()` order.
const SIGNED: [&str; 3] = ["networkWallets", "walletAddressTags", "wallets"];

/// The sign content of a query: the signed parameters, decoded, in order, each one's
/// `id:value` entries sorted as JavaScript sorts `Object.entries` (`"id,value"` strings).
pub fn sign_content(query: &str) -> String {
    let mut found: [Option<Cow<'_, str>>; 3] = [None, None, None];
    for part in query.split('&') {
        let (key, value) = part.split_once('=').unwrap_or((part, ""));
        if let Some(slot) = SIGNED.iter().position(|name| *name == key) {
            found[slot] = Some(percent_decode_str(value).decode_utf8_lossy());
        }
    }
    let mut content = String::with_capacity(query.len());
    for (name, value) in SIGNED.iter().zip(&found) {
        let Some(value) = value else { continue };
        if !content.is_empty() {
            content.push('&');
        }
        content.push_str(name);
        content.push('=');
        let mut pairs: Vec<(&str, &str)> = value
            .split(',')
            .map(|entry| entry.split_once(':').unwrap_or((entry, "")))
            .collect();
        pairs.sort_unstable_by(|a, b| {
            let a = a.0.bytes().chain([b',']).chain(a.1.bytes());
            let b = b.0.bytes().chain([b',']).chain(b.1.bytes());
            a.cmp(b)
        });
        for (i, (id, value)) in pairs.iter().enumerate() {
            if i > 0 {
                content.push(',');
            }
            content.push_str(id);
            content.push(':');
            content.push_str(value);
        }
    }
    content
}

/// The URL with `&signature=<hex HMAC-SHA256 of the sign content>` appended.
pub fn sign_url(url: &str, secret: &[u8]) -> String {
    let query = url.split_once('?').map_or(url, |(_, query)| query);
    let signature = crate::hmac_hex(secret, sign_content(query).as_bytes());
    let mut out = String::with_capacity(url.len() + 75);
    out.push_str(url);
    out.push_str("&signature=");
    out.push_str(&signature);
    out
}

/// Whether the URL's `signature` is the HMAC of its sign content (constant time).
pub fn verify_url(url: &str, secret: &[u8]) -> bool {
    let query = url.split_once('?').map_or(url, |(_, query)| query);
    let Some(given) = query
        .split('&')
        .find_map(|part| part.strip_prefix("signature="))
    else {
        return false;
    };
    let mut tag = [0u8; 32];
    if hex::decode_to_slice(given, &mut tag).is_err() {
        return false;
    }
    crate::hmac_verify(secret, sign_content(query).as_bytes(), &tag)
}
