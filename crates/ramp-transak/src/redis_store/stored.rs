//! The token as Redis holds it, and Redis errors in plain words.

use super::*;

/// Whether the error means Redis cannot be reached (as opposed to a refused command).
pub(super) fn is_unreachable(err: &redis::RedisError) -> bool {
    err.is_io_error()
        || err.is_timeout()
        || err.is_connection_dropped()
        || err.is_connection_refusal()
}

/// What went wrong, without the URL (which may hold a password).
pub(super) fn describe(err: &redis::RedisError) -> String {
    if err.is_timeout() {
        "timed out".into()
    } else if err.is_connection_refusal() {
        "connection refused".into()
    } else if err.is_connection_dropped() {
        "connection dropped".into()
    } else {
        format!("{:?}", err.kind())
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Stored {
    token: String,
    expires_at_ms: u64,
    #[serde(default)]
    issued_at_ms: Option<u64>,
}

fn millis(at: SystemTime) -> u64 {
    at.duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

fn from_millis(ms: u64) -> SystemTime {
    UNIX_EPOCH
        .checked_add(Duration::from_millis(ms))
        .unwrap_or(crate::token::far_future())
}

/// The stored form of a token. An error (never seen: a string and two integers) is returned,
/// never an empty value that would overwrite the shared token.
pub(super) fn encode(token: &AccessToken) -> Result<String, serde_json::Error> {
    serde_json::to_string(&Stored {
        token: token.secret().expose_secret().to_owned(),
        expires_at_ms: millis(token.expires_at_system()),
        issued_at_ms: token.issued_at_system().map(millis),
    })
}

pub(super) fn decode(json: &str) -> Option<AccessToken> {
    let stored: Stored = serde_json::from_str(json).ok()?;
    let token = AccessToken::expiring(
        SecretString::from(stored.token),
        from_millis(stored.expires_at_ms),
    );
    Some(match stored.issued_at_ms {
        Some(ms) => token.issued(from_millis(ms)),
        None => token,
    })
}
