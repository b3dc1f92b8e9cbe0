//! Each provider's event as an [`OrderEvent`](crate::OrderEvent).

#[allow(unused_imports)]
use crate::provider_event::{Kept, ProviderEvent};
#[allow(unused_imports)]
use crate::{Money, OrderEvent, Provider};

#[cfg(feature = "transak")]
impl From<&ramp_transak::WebhookEvent> for OrderEvent {
    fn from(event: &ramp_transak::WebhookEvent) -> Self {
        Self::from(&event.order)
    }
}

#[cfg(feature = "transak")]
impl From<&ramp_transak::Order> for OrderEvent {
    fn from(order: &ramp_transak::Order) -> Self {
        Self {
            provider: Provider::Transak,
            order_id: order.id.clone(),
            status: order.status.normalized(),
            provider_status: order.status.as_str().to_owned(),
            fiat: Money::of(order.fiat_amount, order.fiat_currency.as_deref()),
            crypto: Money::of(order.crypto_amount, order.crypto_currency.as_deref()),
            wallet_address: order.wallet_address.clone(),
            transaction_hash: order.transaction_hash.clone(),
            time: order.created_at,
            partner_reference: order.partner_order_id.clone(),
            unread: None,
            kept: Kept::of(ProviderEvent::Transak(order.clone())),
        }
    }
}

#[cfg(feature = "proof")]
impl From<&ramp_proof::Transaction> for OrderEvent {
    fn from(tx: &ramp_proof::Transaction) -> Self {
        Self {
            fiat: Money::of(tx.fiat_amount, tx.fiat_currency.as_deref()),
            crypto: Money::of(tx.crypto_amount, tx.currency.as_deref()),
            time: tx.updated_at.or(tx.created_at),
            partner_reference: tx.partner_user_id.clone(),
            kept: Kept::of(ProviderEvent::Proof(tx.clone())),
            ..Self::new(Provider::Proof, tx)
        }
    }
}

#[cfg(feature = "koinal")]
impl From<&ramp_koinal::WebhookEvent> for OrderEvent {
    fn from(callback: &ramp_koinal::WebhookEvent) -> Self {
        Self {
            crypto: Money::of(
                Some(callback.crypto_amount),
                Some(&callback.cryptocurrency_code),
            ),
            transaction_hash: callback.blockchain_tx_id.clone(),
            partner_reference: Some(callback.customer_reference.clone()),
            kept: Kept::of(ProviderEvent::Koinal(callback.clone())),
            ..Self::new(Provider::Koinal, callback)
        }
    }
}

#[cfg(feature = "koinal")]
impl From<&ramp_koinal::OrderReport> for OrderEvent {
    fn from(report: &ramp_koinal::OrderReport) -> Self {
        Self {
            provider: Provider::Koinal,
            order_id: report.order_id.clone(),
            status: report.status.normalized(),
            provider_status: report.status.as_str().to_owned(),
            fiat: Money::of(Some(report.total_amount), Some(&report.currency_code)),
            crypto: Money::of(
                Some(report.cryptocurrency_amount),
                Some(&report.cryptocurrency_code),
            ),
            wallet_address: None,
            transaction_hash: report.blockchain_tx_id.clone(),
            time: report.timestamp,
            partner_reference: None,
            unread: None,
            kept: Kept::of(ProviderEvent::KoinalReport(report.clone())),
        }
    }
}

#[cfg(feature = "onramper")]
impl From<&ramp_onramper_sign::WebhookEvent> for OrderEvent {
    fn from(event: &ramp_onramper_sign::WebhookEvent) -> Self {
        let paid_in = Money::of(event.in_amount, event.source_currency.as_deref());
        let paid_out = Money::of(event.out_amount, event.target_currency.as_deref());
        // `in` is what the user pays: fiat on a buy, crypto on a sell.
        let sell =
            event.transaction_type == Some(ramp_onramper_sign::webhook::TransactionType::Sell);
        let (fiat, crypto) = if sell {
            (paid_out, paid_in)
        } else {
            (paid_in, paid_out)
        };
        Self {
            fiat,
            crypto,
            transaction_hash: event.transaction_hash.clone(),
            time: event.status_date,
            partner_reference: event.partner_context.clone(),
            kept: Kept::of(ProviderEvent::Onramper(event.clone())),
            ..Self::new(Provider::Onramper, event)
        }
    }
}
