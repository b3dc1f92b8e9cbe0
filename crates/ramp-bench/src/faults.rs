//! The fault run (`cargo xtask load --run faults`, the `fault-load` binary): replicas of the
//! endpoint on one shared store, thousands of events each delivered two or three times, out
//! of order, while a replica is killed and started again, the store is restarted, Proof's
//! reads fail for a while and one replica's clock is 10 s off. What it plans, how it
//! delivers (a load balancer's failover and a provider's retries), Proof's emulated reads,
//! and how the handlers' ledger is judged.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use ramp_core::SecretString;
use ramp_core::webhook::Delivery;
use ramp_koinal::CallbackScheme;

/// The Onramper webhook secret of the run.
pub const ONRAMPER_SECRET: &str = "whsec_fault_onramper";
/// The Koinal callback secret of the run.
pub const KOINAL_SECRET: &str = "cb_fault_koinal";

/// One signed delivery: its route, its request, its event and whether that event is final.
#[derive(Debug, Clone)]
pub struct Signed {
    /// `onramper` or `koinal`.
    pub route: &'static str,
    /// The request.
    pub delivery: Delivery,
    /// `provider:order_id:provider_status`.
    pub key: String,
}

/// A Proof transaction: its statuses pushed in turn, each after Proof's read says it.
#[derive(Debug, Clone)]
pub struct ProofScript {
    /// Its id.
    pub tx: String,
    /// Its final push never comes: only a tracker's read can learn the end.
    pub withhold_final: bool,
}

/// Everything a run delivers, and the end each order must reach.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// The signed deliveries, each event two or three times, shuffled (so out of order).
    pub signed: Vec<Signed>,
    /// The Proof transactions.
    pub proof: Vec<ProofScript>,
    /// Each order's final event key, by order (`provider:order_id`).
    pub finals: HashMap<String, String>,
}

/// `orders` orders of each of Onramper (pending, paid, completed) and Koinal (completed),
/// and `orders / 2` Proof transactions (pending, processing, completed, a fifth of them
/// without their final push), shuffled with `seed`.
pub fn plan(orders: usize, seed: u64) -> Plan {
    let mut rng = fastrand::Rng::with_seed(seed);
    let (onramper_secret, koinal_secret) = (
        SecretString::from(ONRAMPER_SECRET),
        SecretString::from(KOINAL_SECRET),
    );
    let mut plan = Plan::default();
    let mut events = Vec::new();
    for i in 0..orders {
        let id = format!("fo-{i}");
        for status in ["pending", "paid", "completed"] {
            let body = format!(
                r#"{{"transactionId":"{id}","status":"{status}","inAmount":100.5,"sourceCurrency":"eur","outAmount":0.001234567890123456,"targetCurrency":"btc"}}"#
            );
            let delivery = ramp_onramper_sign::webhook::test_util::signed_webhook(
                body.as_bytes(),
                &onramper_secret,
            );
            events.push(Signed {
                route: "onramper",
                delivery,
                key: format!("onramper:{id}:{status}"),
            });
        }
        plan.finals
            .insert(format!("onramper:{id}"), format!("onramper:{id}:completed"));
        let body = format!(
            r#"{{"order_id":{},"status":"COMPLETED","customer_reference":"u-{i}","crypto_amount":0.100341160000000001,"cryptocurrency_code":"BTC","address":"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"}}"#,
            500_000 + i
        );
        let delivery = ramp_koinal::webhook::test_util::signed_webhook(
            body.as_bytes(),
            &koinal_secret,
            CallbackScheme::HmacBodyPlusSecret,
        );
        let key = format!("koinal:{}:COMPLETED", 500_000 + i);
        plan.finals
            .insert(format!("koinal:{}", 500_000 + i), key.clone());
        events.push(Signed {
            route: "koinal",
            delivery,
            key,
        });
    }
    for event in events {
        let times = 2 + rng.usize(..2);
        plan.signed.extend(std::iter::repeat_n(event, times));
    }
    rng.shuffle(&mut plan.signed);
    for i in 0..orders / 2 {
        let tx = format!("fp-{i}");
        plan.finals
            .insert(format!("proof:{tx}"), format!("proof:{tx}:completed"));
        plan.proof.push(ProofScript {
            tx,
            withhold_final: i % 5 == 0,
        });
    }
    plan
}

/// Proof's status reads, emulated: each transaction at the status it was set to; `502`
/// while reads are made to fail.
#[derive(Debug, Default)]
pub struct ProofMock {
    statuses: Mutex<HashMap<String, &'static str>>,
    /// While set, every read answers 502.
    pub failing: AtomicBool,
    /// Reads answered.
    pub reads: AtomicUsize,
}

impl ProofMock {
    /// Sets `tx` at `status`.
    pub fn set(&self, tx: &str, status: &'static str) {
        if let Ok(mut statuses) = self.statuses.lock() {
            statuses.insert(tx.to_owned(), status);
        }
    }

    /// The router: `GET /widget/transactions/{id}`.
    pub fn router(self: &Arc<Self>) -> axum::Router {
        async fn read(
            State(mock): State<Arc<ProofMock>>,
            Path(id): Path<String>,
        ) -> (StatusCode, String) {
            mock.reads.fetch_add(1, Ordering::Relaxed);
            if mock.failing.load(Ordering::Relaxed) {
                return (
                    StatusCode::BAD_GATEWAY,
                    r#"{"error":"upstream_unavailable","code":"upstream_unavailable","message":"down"}"#.into(),
                );
            }
            let status = mock.statuses.lock().ok().and_then(|s| s.get(&id).copied());
            match status {
                Some(status) => (
                    StatusCode::OK,
                    format!(r#"{{"merchant_transaction_id":"{id}","status":"{status}"}}"#),
                ),
                None => (
                    StatusCode::NOT_FOUND,
                    r#"{"error":"not_found","code":"not_found","message":"unknown"}"#.into(),
                ),
            }
        }
        axum::Router::new()
            .route("/widget/transactions/{id}", get(read))
            .with_state(Arc::clone(self))
    }
}

/// How deliveries ended, over a run.
#[derive(Debug, Default)]
pub struct Delivered {
    /// Attempts answered 5xx or not at all, and sent again (to the next replica).
    pub retries: AtomicUsize,
    /// Deliveries that never got a final answer within the deadline.
    pub unanswered: AtomicUsize,
    /// Deliveries whose final answer was not 200.
    pub refused: AtomicUsize,
    /// Event keys answered `handled` or `duplicate`: the store says they were handled.
    pub acknowledged: Mutex<HashSet<String>>,
    /// Event keys answered `ended`: their order ended before they came, so never handled.
    pub ended: Mutex<HashSet<String>>,
    /// Deliveries that got their final answer.
    pub done: AtomicUsize,
}

/// Sends one delivery as a provider behind a load balancer would: to replica `first`, then
/// to the next after a 5xx or no answer, with a growing pause, for up to two minutes. `key`
/// is the event a `handled` or `duplicate` answer acknowledges (none for Proof's hints: the
/// read, not the hint, is the event).
pub async fn deliver(
    http: &ramp_core::http::reqwest::Client,
    bases: &[String],
    first: usize,
    route: &str,
    delivery: &Delivery,
    key: Option<&str>,
    delivered: &Delivered,
) {
    let deadline = Instant::now() + Duration::from_secs(120);
    for attempt in 0.. {
        let base = &bases[(first + attempt) % bases.len()];
        let sent = http
            .post(format!("{base}/{route}"))
            .headers(delivery.headers.clone())
            .body(delivery.body.clone())
            .timeout(Duration::from_secs(30))
            .send()
            .await;
        if let Ok(answer) = sent {
            let status = answer.status().as_u16();
            if status < 500 {
                let text = answer.text().await.unwrap_or_default();
                if status != 200 {
                    delivered.refused.fetch_add(1, Ordering::Relaxed);
                } else if let Some(key) = key {
                    let set = match text.as_str() {
                        "handled" | "duplicate" => Some(&delivered.acknowledged),
                        "ended" => Some(&delivered.ended),
                        _ => None,
                    };
                    if let Some(Ok(mut set)) = set.map(Mutex::lock) {
                        set.insert(key.to_owned());
                    }
                }
                break;
            }
        }
        if Instant::now() > deadline {
            delivered.unanswered.fetch_add(1, Ordering::Relaxed);
            break;
        }
        delivered.retries.fetch_add(1, Ordering::Relaxed);
        let pause = 20u64.saturating_mul(1 << attempt.min(5));
        tokio::time::sleep(Duration::from_millis(pause)).await;
    }
    delivered.done.fetch_add(1, Ordering::Relaxed);
}

/// What the ledger shows.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Verdict {
    /// Rows in the ledger.
    pub rows: usize,
    /// Orders whose final event is not in the ledger, events acknowledged (answered
    /// `handled` or `duplicate`) that are not in it, and signed events neither in it nor
    /// answered `ended`.
    pub lost: Vec<String>,
    /// Signed events not in the ledger because their order had ended (answered `ended`).
    pub after_their_end: usize,
    /// Events in the ledger more than once, and how often.
    pub doubled: Vec<(String, usize)>,
    /// Rows of an order after its final row (where the ledger's order is the handling order).
    pub after_end: usize,
}

/// What the deliveries were, and how they were answered.
#[derive(Debug)]
pub struct Answers<'a> {
    /// Each order's final event key.
    pub finals: &'a HashMap<String, String>,
    /// Every signed event delivered.
    pub signed: HashSet<&'a str>,
    /// Events answered `handled` or `duplicate`.
    pub acknowledged: HashSet<String>,
    /// Events answered `ended`.
    pub ended: HashSet<String>,
}

/// Judges `ledger` (event keys; in handling order when `ordered`) against the plan's ends
/// and the answers.
pub fn judge(ledger: &[String], ordered: bool, answers: &Answers<'_>) -> Verdict {
    let finals = answers.finals;
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for key in ledger {
        *counts.entry(key.as_str()).or_default() += 1;
    }
    let unanswered = answers
        .signed
        .iter()
        .filter(|key| !answers.ended.contains(**key))
        .map(|key| (*key).to_owned());
    let lost: std::collections::BTreeSet<String> = finals
        .values()
        .chain(&answers.acknowledged)
        .cloned()
        .chain(unanswered)
        .filter(|key| !counts.contains_key(key.as_str()))
        .collect();
    let lost: Vec<String> = lost.into_iter().collect();
    let after_their_end = answers
        .signed
        .iter()
        .filter(|key| !counts.contains_key(**key) && answers.ended.contains(**key))
        .count();
    let mut doubled: Vec<(String, usize)> = counts
        .iter()
        .filter(|(_, n)| **n > 1)
        .map(|(key, n)| ((*key).to_owned(), *n))
        .collect();
    doubled.sort();
    let mut ended = HashSet::new();
    let mut after_end = 0;
    if ordered {
        for key in ledger {
            let order = key
                .rsplit_once(':')
                .map_or(key.as_str(), |(order, _)| order);
            if ended.contains(order) {
                after_end += 1;
            }
            if finals.get(order) == Some(key) {
                ended.insert(order.to_owned());
            }
        }
    }
    Verdict {
        rows: ledger.len(),
        lost,
        after_their_end,
        doubled,
        after_end,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plan_delivers_every_event_two_or_three_times() {
        let plan = plan(100, 3);
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for signed in &plan.signed {
            *counts.entry(signed.key.as_str()).or_default() += 1;
        }
        assert_eq!(counts.len(), 400);
        assert!(counts.values().all(|n| (2..=3).contains(n)));
        assert_eq!(plan.proof.len(), 50);
        assert_eq!(plan.proof.iter().filter(|p| p.withhold_final).count(), 10);
        assert_eq!(plan.finals.len(), 250);
    }

    #[test]
    fn the_ledger_is_judged_lost_doubled_and_after_its_end() {
        let finals = HashMap::from([
            ("p:a".to_owned(), "p:a:done".to_owned()),
            ("p:b".to_owned(), "p:b:done".to_owned()),
        ]);
        let ledger: Vec<String> = ["p:a:new", "p:a:done", "p:a:new", "p:a:late"]
            .map(str::to_owned)
            .into();
        let answers = Answers {
            finals: &finals,
            signed: HashSet::from(["p:a:new", "p:a:old", "p:a:gone"]),
            acknowledged: HashSet::from(["p:b:new".to_owned()]),
            ended: HashSet::from(["p:a:old".to_owned()]),
        };
        let verdict = judge(&ledger, true, &answers);
        assert_eq!(verdict.lost, ["p:a:gone", "p:b:done", "p:b:new"]);
        assert_eq!(verdict.after_their_end, 1);
        assert_eq!(verdict.doubled, [("p:a:new".to_owned(), 2)]);
        assert_eq!(verdict.after_end, 2);
    }
}
