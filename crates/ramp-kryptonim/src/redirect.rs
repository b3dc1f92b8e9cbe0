//! The success and failure redirects: which session, and what happened.

use url::Url;

use crate::{Error, ErrorKind};

/// What the redirect says happened (`status`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RedirectStatus {
    /// `completed`: the user finished the payment.
    Completed,
    /// `failed`: the payment failed or was cancelled.
    Failed,
    /// Any other value, as written.
    Other(String),
}

ramp_core::wire_enum!(RedirectStatus { Completed => "completed", Failed => "failed" });

/// The `sessionId` and `status` Kryptonim appends to your `successUrl` or `failureUrl`.
///
/// The redirect arrives through the user's browser, so anyone can forge one: use it to show
/// the right page, never as proof of payment. Match the session id against the sessions you
/// created and take the outcome from Kryptonim's webhooks.
///
/// ```
/// use ramp_kryptonim::{Redirect, RedirectStatus, Url};
///
/// let landed = Url::parse(
///     "https://yoursite.com/success?sessionId=7c303babX3jp7c4942904a262a0c1b94&status=completed",
/// )?;
/// let redirect = Redirect::from_url(&landed)?;
/// assert_eq!(redirect.session_id, "7c303babX3jp7c4942904a262a0c1b94");
/// assert_eq!(redirect.status, RedirectStatus::Completed);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Redirect {
    /// The session id, as [`WidgetSession::session_id`](crate::WidgetSession::session_id).
    pub session_id: String,
    /// The outcome the redirect reports.
    pub status: RedirectStatus,
}

impl Redirect {
    /// Reads the session id and status from the URL the user landed on. A missing or empty
    /// parameter, or one given twice, is an [`InvalidRedirect`](crate::ErrorKind::InvalidRedirect)
    /// error.
    pub fn from_url(url: &Url) -> Result<Self, Error> {
        let session_id = single(url, "sessionId")?;
        let status = RedirectStatus::from(single(url, "status")?.as_str());
        Ok(Self { session_id, status })
    }
}

/// The one non-empty value of query parameter `name`.
fn single(url: &Url, name: &str) -> Result<String, Error> {
    let mut values = url.query_pairs().filter(|(key, _)| key == name);
    let invalid = |reason: String| Error::from(ErrorKind::InvalidRedirect { reason });
    match (values.next(), values.next()) {
        (Some((_, value)), None) if !value.is_empty() => Ok(value.into_owned()),
        (Some(_), None) => Err(invalid(format!("`{name}` is empty"))),
        (Some(_), Some(_)) => Err(invalid(format!("`{name}` is given more than once"))),
        (None, _) => Err(invalid(format!("no `{name}` query parameter"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(url: &str) -> Result<Redirect, Error> {
        Redirect::from_url(&Url::parse(url).unwrap())
    }

    #[test]
    fn reads_the_documented_redirects() {
        let failed = parse(
            "https://yoursite.com/failure?sessionId=7c303babX3jp7c4942904a262a0c1b94&status=failed",
        )
        .unwrap();
        assert_eq!(failed.session_id, "7c303babX3jp7c4942904a262a0c1b94");
        assert_eq!(failed.status, RedirectStatus::Failed);
        let other = parse("https://yoursite.com/r?status=pending&sessionId=s%201&utm=x").unwrap();
        assert_eq!(other.session_id, "s 1");
        assert_eq!(other.status, RedirectStatus::Other("pending".into()));
    }

    #[test]
    fn a_redirect_without_its_parameters_is_an_error() {
        for (url, reason) in [
            (
                "https://yoursite.com/success",
                "no `sessionId` query parameter",
            ),
            (
                "https://yoursite.com/success?sessionId=abc",
                "no `status` query parameter",
            ),
            (
                "https://yoursite.com/success?sessionId=&status=completed",
                "`sessionId` is empty",
            ),
            (
                "https://yoursite.com/success?sessionId=a&sessionId=b&status=completed",
                "`sessionId` is given more than once",
            ),
            (
                "https://yoursite.com/success?sessionId=a&status=",
                "`status` is empty",
            ),
        ] {
            let err = parse(url).unwrap_err();
            assert_eq!(
                err.to_string(),
                format!("not a Kryptonim redirect: {reason}"),
                "{url}"
            );
        }
    }
}
