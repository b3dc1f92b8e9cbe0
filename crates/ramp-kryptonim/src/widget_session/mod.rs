//! `POST /v1/widget-sessions`: the request, its builder and the session it returns.

mod builder;
mod metadata;
mod request;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use url::Url;

pub use builder::WidgetSessionRequestBuilder;
pub use request::{EXTERNAL_PARTNER_ID, UnlockedField, WidgetSessionRequest};

/// A widget session: send the user to [`widget_url`](Self::widget_url) before
/// [`expires_at`](Self::expires_at) (sessions last 30 minutes).
///
/// Store [`session_id`](Self::session_id): Kryptonim uses it as the transaction id, and it
/// comes back on the redirect URLs.
///
/// ```
/// let session: ramp_kryptonim::WidgetSession = serde_json::from_str(r#"{
///     "sessionId": "7c303babX3jp7c4942904a262a0c1b94",
///     "widgetUrl": "https://buy.kryptonim.com/exchange?gdata=abc&m=XxxXXx0",
///     "expiresAt": "2025-11-13T08:18:47.447527Z"
/// }"#)?;
/// assert_eq!(session.expires_at.microsecond(), 447_527);
/// let one_second = std::time::Duration::from_secs(1);
/// assert!(!session.is_expired_at(session.expires_at - one_second));
/// assert!(session.is_expired_at(session.expires_at));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct WidgetSession {
    /// The session id, which is also the transaction id.
    pub session_id: String,
    /// Where to send the user: a full-page redirect or a new window.
    pub widget_url: Url,
    /// When the session expires, in UTC, to the microsecond.
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

impl WidgetSession {
    /// Whether the session has expired at `now` (the expiry instant itself counts as expired).
    pub fn is_expired_at(&self, now: OffsetDateTime) -> bool {
        now >= self.expires_at
    }

    /// Whether the session has expired by the system clock.
    pub fn is_expired(&self) -> bool {
        self.is_expired_at(OffsetDateTime::now_utc())
    }
}
