//! What a V2 signature is made at, with, and over, beyond the defaults; and the time rules
//! both signing and verification follow.

use std::time::Duration;

use time::OffsetDateTime;
use uuid::Uuid;

use super::VerifyError;

/// How long a V2 signature is valid after its timestamp (Onramper: "a maximum of 15
/// minutes").
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

/// How far in the future a timestamp may be (Onramper: 30 seconds of clock skew).
pub const FUTURE_SKEW: Duration = Duration::from_secs(30);

/// The longest `sigV2Expiry` after the timestamp (Onramper: "max 30 minutes").
pub const MAX_EXPIRY: Duration = Duration::from_secs(30 * 60);

/// The choices a V2 signature can be made with; the defaults are right for production:
/// the current time, a fresh nonce, no `sigV2Expiry`, and (for widget URLs) every core
/// parameter present signed.
///
/// ```
/// use std::time::Duration;
/// use ramp_onramper_sign::v2::SignOptions;
///
/// let options = SignOptions::new()
///     .expires_in(Duration::from_secs(10 * 60))
///     .also_sign("country");
/// # let _ = options;
/// ```
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct SignOptions {
    pub(crate) timestamp: Option<OffsetDateTime>,
    pub(crate) nonce: Option<Uuid>,
    pub(crate) expiry: Option<Expiry>,
    pub(crate) also_sign: Vec<String>,
    pub(crate) leave_unsigned: Vec<String>,
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Expiry {
    At(OffsetDateTime),
    In(Duration),
}

impl SignOptions {
    /// The defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Signs as of `timestamp` instead of now (to reproduce a signature, or in tests).
    pub fn timestamp(mut self, timestamp: OffsetDateTime) -> Self {
        self.timestamp = Some(timestamp);
        self
    }

    /// Uses this nonce instead of a fresh one; it must be a UUID v4, and must never be used
    /// twice in production (Onramper refuses a reused nonce).
    pub fn nonce(mut self, nonce: Uuid) -> Self {
        self.nonce = Some(nonce);
        self
    }

    /// Widget URLs: `sigV2Expiry` at this time, at most 30 minutes after the timestamp.
    pub fn expires_at(mut self, expiry: OffsetDateTime) -> Self {
        self.expiry = Some(Expiry::At(expiry));
        self
    }

    /// Widget URLs: `sigV2Expiry` this long after the timestamp, at most 30 minutes.
    pub fn expires_in(mut self, lifetime: Duration) -> Self {
        self.expiry = Some(Expiry::In(lifetime));
        self
    }

    /// Widget URLs: also sign this parameter, which is not a core parameter (core
    /// parameters present are always signed). It must be in the URL.
    pub fn also_sign(mut self, parameter: impl Into<String>) -> Self {
        self.also_sign.push(parameter.into());
        self
    }

    /// Widget URLs: asks to leave a parameter unsigned. For a core parameter present in the
    /// URL this is refused with [`ErrorKind::CoreParameterUnsigned`](crate::ErrorKind::CoreParameterUnsigned)(ErrorKind::CoreParameterUnsigned):
    /// Onramper silently strips a core parameter that is present but unsigned, so the URL
    /// would lose it. Other parameters are unsigned unless [`also_sign`](Self::also_sign)
    /// names them.
    pub fn leave_unsigned(mut self, parameter: impl Into<String>) -> Self {
        self.leave_unsigned.push(parameter.into());
        self
    }
}

/// `at + by`, or `None` past the end of time.
pub(crate) fn plus(at: OffsetDateTime, by: Duration) -> Option<OffsetDateTime> {
    at.checked_add(time::Duration::try_from(by).ok()?)
}

/// The timestamp against `now`: not older than `window`, not further ahead than the skew.
pub(crate) fn check_window(
    timestamp: OffsetDateTime,
    now: OffsetDateTime,
    window: Duration,
) -> Result<(), VerifyError> {
    let age = now - timestamp;
    let seconds = |d: Duration| i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
    if age.is_negative() {
        let ahead = -age;
        if ahead > time::Duration::try_from(FUTURE_SKEW).unwrap_or(time::Duration::ZERO) {
            return Err(VerifyError::TimestampFuture {
                ahead_seconds: ahead.whole_seconds(),
                skew_seconds: seconds(FUTURE_SKEW),
            });
        }
    } else if age > time::Duration::try_from(window).unwrap_or(time::Duration::MAX) {
        return Err(VerifyError::TimestampExpired {
            age_seconds: age.whole_seconds(),
            window_seconds: seconds(window),
        });
    }
    Ok(())
}
