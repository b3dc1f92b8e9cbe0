//! What the `ramp` crate's tests share: a router served on 127.0.0.1, and a handler that
//! records the events it is given.
#![allow(dead_code)] // each test file uses part of it

pub mod harness;

use std::sync::{Arc, Mutex};

use ramp::{OrderEvent, OrderStatus};

/// Proof's answer to a status read: transaction `id` at `status`.
pub fn proof_tx(id: &str, status: &str) -> wiremock::ResponseTemplate {
    wiremock::ResponseTemplate::new(200).set_body_string(format!(
        r#"{{"merchant_transaction_id":"{id}","status":"{status}"}}"#
    ))
}

/// Serves `router` on a free loopback port: its base URL (`http://127.0.0.1:PORT`).
pub async fn serve(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    base
}

/// The events a handler was given, in order.
#[derive(Clone, Default)]
pub struct Recorder(Arc<Mutex<Vec<OrderEvent>>>);

impl Recorder {
    /// A handler that records each event and succeeds.
    pub fn handler(
        &self,
    ) -> impl Fn(OrderEvent) -> std::future::Ready<Result<(), ramp::HandlerError>>
    + Clone
    + Send
    + Sync
    + 'static {
        let events = Arc::clone(&self.0);
        move |event| {
            events.lock().unwrap().push(event);
            std::future::ready(Ok(()))
        }
    }

    /// Whether `n` events have been recorded since the last take, waiting up to 10 s.
    pub async fn reached(&self, n: usize) -> bool {
        let wait = async {
            while self.0.lock().unwrap().len() < n {
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            }
        };
        tokio::time::timeout(std::time::Duration::from_secs(10), wait)
            .await
            .is_ok()
    }

    /// The events recorded since the last take.
    pub fn take(&self) -> Vec<OrderEvent> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }

    /// [`take`](Self::take) as (order id, status), sorted by order id.
    pub fn statuses(&self) -> Vec<(String, OrderStatus)> {
        let mut seen: Vec<_> = self
            .take()
            .into_iter()
            .map(|event| (event.order_id, event.status))
            .collect();
        seen.sort_by(|a, b| a.0.cmp(&b.0));
        seen
    }
}
