//! KYC status: `GET /widget/users/{partner_user_id}/kyc-status`
//! (docs.proof.community/on-off-ramp/api-kyc-status).

use ramp_core::http::{Request, StatusCode};
use serde::{Deserialize, Serialize};

use crate::{ApiErrorKind, Client, Error, ErrorKind};

/// Where a user's identity verification stands.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KycStatus {
    /// `not_started`: the user never opened the widget or submitted no documents.
    NotStarted,
    /// `pending`: documents submitted, under review.
    Pending,
    /// `verified`: verification passed; the user can transact.
    Verified,
    /// `failed`: verification failed; the user must retry inside the widget.
    Failed,
    /// Any other value, as written.
    Other(String),
}

ramp_core::wire_enum!(KycStatus {
    NotStarted => "not_started",
    Pending => "pending",
    Verified => "verified",
    Failed => "failed",
});

/// A user's KYC status, as Proof answers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Kyc {
    /// Your id for the user (Proof echoes it).
    pub partner_user_id: String,
    /// Where the user's verification stands.
    pub status: KycStatus,
}

impl Client {
    /// A user's KYC status: `GET /widget/users/{partner_user_id}/kyc-status`. Safe to retry.
    ///
    /// A user Proof does not know (404 `not_found`) is [`ErrorKind::UnknownUser`](crate::ErrorKind::UnknownUser), so that "never
    /// seen" can be told from a failure; a blank id is [`ErrorKind::Validation`](crate::ErrorKind::Validation) and nothing is
    /// sent. Proof advises embedding the widget whatever the status: it runs verification
    /// itself.
    ///
    /// ```no_run
    /// # async fn run(client: ramp_proof::Client) -> Result<(), ramp_proof::Error> {
    /// use ramp_proof::{ErrorKind, KycStatus};
    ///
    /// match client.kyc_status("user-123").await {
    ///     Ok(kyc) if kyc.status == KycStatus::Verified => { /* ready to transact */ }
    ///     Ok(kyc) => println!("KYC {}", kyc.status),
    ///     Err(err) if matches!(err.kind(), ErrorKind::UnknownUser { .. }) => {
    ///         println!("not seen by Proof yet")
    ///     }
    ///     Err(err) => return Err(err),
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn kyc_status(&self, partner_user_id: &str) -> Result<Kyc, Error> {
        if partner_user_id.trim().is_empty() {
            return Err(Error::validation("partner_user_id", "must not be empty"));
        }
        let call = Request::get("widget/users")
            .segment(partner_user_id)
            .segment("kyc-status");
        match self.decode(self.http.send(call).await?) {
            Err(err)
                if err.status() == Some(StatusCode::NOT_FOUND)
                    && err.api_kind() == Some(ApiErrorKind::NotFound) =>
            {
                match err.into_kind() {
                    ErrorKind::Api(api) => Err(Error::from(ErrorKind::UnknownUser {
                        partner_user_id: partner_user_id.to_owned(),
                        api,
                    })),
                    other => Err(other.into()),
                }
            }
            other => other,
        }
    }
}
