//! The provider's own typed event, kept beside the normalized [`OrderEvent`].

use std::sync::Arc;

#[allow(unused_imports)] // with no provider feature on, nothing is kept
use crate::OrderEvent;

/// What the provider itself said, typed by its crate: the webhook's event, or the status
/// read the tracker made. Reach it with [`OrderEvent::provider_event`] (or the per-provider
/// accessors such as [`OrderEvent::transak_order`]) for a field the normalized event does not
/// carry.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProviderEvent {
    /// Transak's order: the webhook's `webhookData`, or what `Client::order` read.
    #[cfg(feature = "transak")]
    #[cfg_attr(docsrs, doc(cfg(feature = "transak")))]
    Transak(ramp_transak::Order),
    /// Proof's transaction, as read from Proof (its webhook is only a hint).
    #[cfg(feature = "proof")]
    #[cfg_attr(docsrs, doc(cfg(feature = "proof")))]
    Proof(ramp_proof::Transaction),
    /// Koinal's signed callback.
    #[cfg(feature = "koinal")]
    #[cfg_attr(docsrs, doc(cfg(feature = "koinal")))]
    Koinal(ramp_koinal::WebhookEvent),
    /// Koinal's order report, from its status read.
    #[cfg(feature = "koinal")]
    #[cfg_attr(docsrs, doc(cfg(feature = "koinal")))]
    KoinalReport(ramp_koinal::OrderReport),
    /// Onramper's signed webhook event.
    #[cfg(feature = "onramper")]
    #[cfg_attr(docsrs, doc(cfg(feature = "onramper")))]
    Onramper(ramp_onramper_sign::WebhookEvent),
}

/// The provider's event inside an [`OrderEvent`]: shared, and left out of comparisons (two
/// events are equal when their normalized fields are).
#[derive(Debug, Clone, Default)]
pub(crate) struct Kept(pub(crate) Option<Arc<ProviderEvent>>);

impl PartialEq for Kept {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Kept {}

impl Kept {
    #[allow(dead_code)] // with no provider feature on, nothing is kept
    pub(crate) fn of(event: ProviderEvent) -> Self {
        Self(Some(Arc::new(event)))
    }
}

impl OrderEvent {
    /// The provider's own typed event this one was made from; `None` for an event read in
    /// part (see [`unread`](Self::unread)) or built by hand.
    pub fn provider_event(&self) -> Option<&ProviderEvent> {
        self.kept.0.as_deref()
    }

    /// Transak's order this event was made from.
    #[cfg(feature = "transak")]
    #[cfg_attr(docsrs, doc(cfg(feature = "transak")))]
    pub fn transak_order(&self) -> Option<&ramp_transak::Order> {
        match self.provider_event()? {
            ProviderEvent::Transak(order) => Some(order),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }

    /// Proof's transaction this event was made from.
    #[cfg(feature = "proof")]
    #[cfg_attr(docsrs, doc(cfg(feature = "proof")))]
    pub fn proof_transaction(&self) -> Option<&ramp_proof::Transaction> {
        match self.provider_event()? {
            ProviderEvent::Proof(tx) => Some(tx),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }

    /// Koinal's callback this event was made from (`None` for a status read's report: see
    /// [`provider_event`](Self::provider_event)).
    #[cfg(feature = "koinal")]
    #[cfg_attr(docsrs, doc(cfg(feature = "koinal")))]
    pub fn koinal_event(&self) -> Option<&ramp_koinal::WebhookEvent> {
        match self.provider_event()? {
            ProviderEvent::Koinal(callback) => Some(callback),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }

    /// Onramper's webhook event this event was made from.
    #[cfg(feature = "onramper")]
    #[cfg_attr(docsrs, doc(cfg(feature = "onramper")))]
    pub fn onramper_event(&self) -> Option<&ramp_onramper_sign::WebhookEvent> {
        match self.provider_event()? {
            ProviderEvent::Onramper(event) => Some(event),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }
}
