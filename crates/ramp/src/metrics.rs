//! What the endpoint and the tracker count, through the [`metrics`] facade: install any
//! exporter (Prometheus, StatsD, ...) in your service and these appear; without one they
//! cost next to nothing.
//!
//! | name | kind | labels | what |
//! |---|---|---|---|
//! | `ramp_webhook_deliveries_total` | counter | `provider`, `outcome` | every delivery a route received, once, whatever its answer |
//! | `ramp_handler_seconds` | histogram | `provider`, `outcome` | how long the handler ran (an event it was called for) |
//! | `ramp_tracker_follows_total` | counter | `provider` | orders the tracker began to follow |
//! | `ramp_tracker_closes_total` | counter | `provider`, `reason` | orders it stopped following: `ended`, `max_age`, `unknown` (only a hint named it), `refused` |
//! | `ramp_status_reads_total` | counter | `provider`, `outcome` | status reads: `changed`, `unchanged`, `failed` (will be read again), `refused` |
//!
//! A delivery's `outcome`: `handled`, `duplicate`, `ended`, `gave_up` (200); `refused` (401:
//! a missing or wrong signature); `too_large` (413); `unreadable_body` (400: the body could
//! not be read); `not_proof_shape` (400); `unknown_transaction` (404); `unreadable_kept`
//! (500: signed but unreadable, kept); `failed` (500: the handler failed); `in_flight`,
//! `store_down`, `no_key` (the verifying key is not known yet), `read_failed`, `read_lags`
//! (503); `cut_off` for a request dropped before it was answered (the provider hung up).

// Each is used by the features that count it (`axum`, `track`).
#![allow(dead_code)]

use crate::Provider;

pub(crate) fn delivery(provider: Provider, outcome: &'static str) {
    metrics::counter!(
        "ramp_webhook_deliveries_total",
        "provider" => provider.as_str(),
        "outcome" => outcome
    )
    .increment(1);
}

pub(crate) fn handler_time(provider: Provider, outcome: &'static str, seconds: f64) {
    metrics::histogram!(
        "ramp_handler_seconds",
        "provider" => provider.as_str(),
        "outcome" => outcome
    )
    .record(seconds);
}

pub(crate) fn follow(provider: Provider) {
    metrics::counter!("ramp_tracker_follows_total", "provider" => provider.as_str()).increment(1);
}

pub(crate) fn close(provider: Provider, reason: &'static str) {
    metrics::counter!(
        "ramp_tracker_closes_total",
        "provider" => provider.as_str(),
        "reason" => reason
    )
    .increment(1);
}

pub(crate) fn read(provider: Provider, outcome: &'static str) {
    metrics::counter!(
        "ramp_status_reads_total",
        "provider" => provider.as_str(),
        "outcome" => outcome
    )
    .increment(1);
}
