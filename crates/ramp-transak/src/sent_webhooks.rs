//! Get Webhooks (`GET /partners/api/v2/webhooks`): the webhook events Transak sent, the way
//! to recover one that never arrived.

use ramp_core::SecretString;
use ramp_core::http::Request;
use serde::Deserialize;

use crate::{Client, Error, ErrorKind, EventType, Order, WebhookEvent};

/// A webhook event as Get Webhooks lists it: the event Transak delivered (or tried to), in
/// plain JSON rather than a signed JWT, read over an authenticated call.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SentWebhook {
    /// Transak's id of the delivery (not the order id).
    pub id: String,
    /// When Transak sent it (`createdAt`, such as `2024-10-15T14:29:26.929Z`).
    pub created_at: Option<time::OffsetDateTime>,
    /// The event and its order, the same type a delivered webhook verifies to.
    pub event: WebhookEvent,
}

/// One entry as it arrives. `partnerApiKey` is not kept: it is your API key.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Entry {
    id: String,
    #[serde(default, with = "ramp_core::timestamp::option")]
    created_at: Option<time::OffsetDateTime>,
    #[serde(rename = "eventID")]
    event: EventType,
    webhook_data: Order,
}

impl Client {
    /// The webhook events Transak sent for an order: `GET /partners/api/v2/webhooks` on the
    /// API host with the access token, `orderID` and, when given, `eventID`. Safe to retry.
    ///
    /// Use it when a webhook you expected never came: every entry is the same
    /// [`WebhookEvent`] a delivery verifies to. A blank order id is [`ErrorKind::Validation`](crate::ErrorKind::Validation) and
    /// nothing is sent (Transak's page: "provide `orderID` along with the `eventID` filter").
    pub async fn sent_webhooks(
        &self,
        order_id: &str,
        event: Option<&EventType>,
    ) -> Result<Vec<SentWebhook>, Error> {
        if order_id.trim().is_empty() {
            return Err(Error::from(ErrorKind::Validation {
                field: "orderID",
                reason: "must not be empty".into(),
            }));
        }
        if let Some(EventType::Other(name)) = event
            && name.trim().is_empty()
        {
            return Err(Error::from(ErrorKind::Validation {
                field: "eventID",
                reason: "must not be blank".into(),
            }));
        }
        let call = |token: &SecretString| {
            let mut call = Request::get("partners/api/v2/webhooks")
                .sensitive_header("access-token", token)
                .header("accept", "application/json");
            if let Some(event) = event {
                call = call.query("eventID", event.as_str());
            }
            call.query("orderID", order_id)
        };
        let entries: Vec<Entry> = self.with_token(self.api(), call).await?;
        Ok(entries
            .into_iter()
            .map(|entry| SentWebhook {
                id: entry.id,
                created_at: entry.created_at,
                event: WebhookEvent::new(entry.event, entry.webhook_data),
            })
            .collect())
    }
}
