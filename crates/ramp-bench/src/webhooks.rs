//! The webhook load run (`cargo xtask load`, the `webhook-load` binary): thousands of
//! deliveries, a third of them duplicates, a tenth forged and some oversized, sent at once
//! to `ramp listen` and to its baseline, a bare axum handler doing the same HMAC checks
//! and nothing else.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use ramp_core::ExposeSecret;
use ramp_core::SecretString;
use ramp_core::webhook::Delivery;
use ramp_koinal::CallbackScheme;
use tokio::sync::Semaphore;

/// The endpoint's body limit, the baseline's too.
pub const BODY_LIMIT: usize = 64 * 1024;

/// One delivery of the run, and the answer it must end with.
#[derive(Debug, Clone)]
pub struct Planned {
    /// `onramper` or `koinal`.
    pub route: &'static str,
    /// The request.
    pub delivery: Delivery,
    /// 200 for a genuine delivery (new or duplicate), 401 forged, 413 oversized.
    pub expect: u16,
    /// The event's key (`provider:order_id:provider_status`) for a genuine delivery.
    pub key: Option<String>,
}

/// How many of each kind a plan of `total` holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mix {
    /// Distinct genuine events.
    pub unique: usize,
    /// Genuine deliveries of an event delivered already.
    pub duplicates: usize,
    /// Signed with the wrong secret.
    pub forged: usize,
    /// Validly signed, over the body limit.
    pub oversized: usize,
}

impl Mix {
    /// A third duplicates, a tenth forged, one in a hundred oversized, the rest distinct.
    pub fn of(total: usize) -> Self {
        let (duplicates, forged, oversized) = (total / 3, total / 10, (total / 100).max(1));
        Self {
            unique: total.saturating_sub(duplicates + forged + oversized).max(1),
            duplicates,
            forged,
            oversized,
        }
    }
}

fn onramper(id: &str, status: &str, pad: &str) -> Vec<u8> {
    format!(
        r#"{{"transactionId":"{id}","status":"{status}","inAmount":100.5,"sourceCurrency":"eur","outAmount":0.001234567890123456,"targetCurrency":"btc","partnerContext":"p-{id}"{pad}}}"#
    )
    .into_bytes()
}

fn koinal(order_id: usize, pad: &str) -> Vec<u8> {
    format!(
        r#"{{"order_id":{order_id},"status":"COMPLETED","customer_reference":"u-{order_id}","crypto_amount":0.100341160000000001,"cryptocurrency_code":"BTC","address":"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"{pad}}}"#
    )
    .into_bytes()
}

/// The deliveries of a run of `total`, shuffled with `seed`: genuine ones signed with the
/// secrets, forged ones with another.
pub fn plan(
    total: usize,
    seed: u64,
    onramper_secret: &SecretString,
    koinal_secret: &SecretString,
) -> Vec<Planned> {
    let mix = Mix::of(total);
    let wrong = SecretString::from("not-the-secret");
    let statuses = ["pending", "paid", "completed"];
    let sign = |route: &'static str, body: Vec<u8>, secret: &SecretString| match route {
        "onramper" => ramp_onramper_sign::webhook::test_util::signed_webhook(&body, secret),
        _ => ramp_koinal::webhook::test_util::signed_webhook(
            &body,
            secret,
            CallbackScheme::HmacBodyPlusSecret,
        ),
    };
    let mut planned = Vec::with_capacity(total);
    for i in 0..mix.unique {
        // Onramper orders pass through three statuses, each its own event; Koinal's complete.
        let (route, body, key) = if i % 2 == 0 {
            let (id, status) = (format!("ld-{}", i / 6), statuses[(i / 2) % 3]);
            let key = format!("onramper:{id}:{status}");
            ("onramper", onramper(&id, status, ""), key)
        } else {
            ("koinal", koinal(i, ""), format!("koinal:{i}:COMPLETED"))
        };
        let secret = if route == "onramper" {
            onramper_secret
        } else {
            koinal_secret
        };
        planned.push(Planned {
            route,
            delivery: sign(route, body, secret),
            expect: 200,
            key: Some(key),
        });
    }
    let mut rng = fastrand::Rng::with_seed(seed);
    for _ in 0..mix.duplicates {
        let again = planned[rng.usize(..mix.unique)].clone();
        planned.push(again);
    }
    for j in 0..mix.forged {
        let (route, body) = if j % 2 == 0 {
            (
                "onramper",
                onramper(&format!("forged-{j}"), "completed", ""),
            )
        } else {
            ("koinal", koinal(1_000_000 + j, ""))
        };
        planned.push(Planned {
            route,
            delivery: sign(route, body, &wrong),
            expect: 401,
            key: None,
        });
    }
    let pad = format!(r#","pad":"{}""#, "x".repeat(BODY_LIMIT + 1024));
    for j in 0..mix.oversized {
        let body = onramper(&format!("big-{j}"), "completed", &pad);
        let delivery = sign("onramper", body, onramper_secret);
        planned.push(Planned {
            route: "onramper",
            delivery,
            expect: 413,
            key: None,
        });
    }
    rng.shuffle(&mut planned);
    planned
}

/// The baseline: the same routes, body limit and HMAC checks as `ramp listen`, done by hand,
/// answering 200 for a good signature and 401 otherwise; nothing parsed, recorded or printed.
pub fn baseline_router(
    onramper_secret: &SecretString,
    koinal_secret: &SecretString,
) -> axum::Router {
    let onramper_key: Arc<[u8]> = onramper_secret.expose_secret().as_bytes().into();
    let koinal_key: Arc<[u8]> = koinal_secret.expose_secret().as_bytes().into();
    let check = |headers: &HeaderMap, name: &str, key: &[u8], message: &[u8]| {
        let tag = headers
            .get(name)
            .and_then(|v| hex::decode(v.as_bytes()).ok())
            .unwrap_or_default();
        if crate::hmac_verify(key, message, &tag) {
            StatusCode::OK
        } else {
            StatusCode::UNAUTHORIZED
        }
    };
    axum::Router::new()
        .route(
            "/onramper",
            post(move |headers: HeaderMap, body: Bytes| {
                let key = Arc::clone(&onramper_key);
                async move { check(&headers, "x-onramper-webhook-signature", &key, &body) }
            }),
        )
        .route(
            "/koinal",
            post(move |headers: HeaderMap, body: Bytes| {
                let key = Arc::clone(&koinal_key);
                async move {
                    let message = [&body[..], &key[..]].concat();
                    check(&headers, "signature", &key, &message)
                }
            }),
        )
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
}

/// How a run's deliveries ended.
#[derive(Debug, Clone, Default)]
pub struct Sent {
    /// From the first delivery to the last final answer.
    pub elapsed: Duration,
    /// Final answers by status.
    pub answers: HashMap<u16, usize>,
    /// Attempts answered 5xx (or not at all) and sent again.
    pub retries: usize,
    /// Deliveries whose final answer was not the one expected, or that never got one.
    pub wrong: usize,
    /// The first of those.
    pub first_wrong: Option<String>,
    /// The genuine events answered `ended` (their order ended before them: never handled).
    pub ended: std::collections::HashSet<String>,
}

impl Sent {
    /// Deliveries per second.
    pub fn rate(&self) -> f64 {
        self.answers.values().sum::<usize>() as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// Sends every planned delivery to `base` (`http://127.0.0.1:PORT`), `concurrency` at once,
/// as a provider does: again after a 5xx or no answer, with a growing pause, for up to a
/// minute. `done` counts the deliveries that got their final answer.
pub async fn send_all(
    http: &ramp_core::http::reqwest::Client,
    base: &str,
    plan: Arc<Vec<Planned>>,
    concurrency: usize,
    done: Arc<AtomicUsize>,
) -> Sent {
    let permits = Arc::new(Semaphore::new(concurrency.max(1)));
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..plan.len() {
        let Ok(permit) = Arc::clone(&permits).acquire_owned().await else {
            break;
        };
        let (http, plan, done) = (http.clone(), Arc::clone(&plan), Arc::clone(&done));
        let url = format!("{base}/{}", plan[i].route);
        tasks.spawn(async move {
            let planned = &plan[i];
            let mut retries = 0;
            let deadline = Instant::now() + Duration::from_secs(60);
            let answer = loop {
                let sent = http
                    .post(&url)
                    .headers(planned.delivery.headers.clone())
                    .body(planned.delivery.body.clone())
                    .send()
                    .await;
                let answer = match sent {
                    Ok(answer) => {
                        let status = answer.status().as_u16();
                        Ok((status, answer.text().await.unwrap_or_default()))
                    }
                    Err(err) => Err(err),
                };
                match answer {
                    Ok((status, text)) if status < 500 => break Some((status, text)),
                    _ if Instant::now() > deadline => break None,
                    _ => {
                        retries += 1;
                        let pause = 20u64.saturating_mul(1 << retries.min(5));
                        tokio::time::sleep(Duration::from_millis(pause)).await;
                    }
                }
            };
            done.fetch_add(1, Ordering::Relaxed);
            drop(permit);
            (i, answer, retries)
        });
    }
    let mut sent = Sent::default();
    for (i, answer, retries) in tasks.join_all().await {
        sent.retries += retries;
        let answer = answer.map(|(status, text)| {
            if text == "ended"
                && let Some(key) = &plan[i].key
            {
                sent.ended.insert(key.clone());
            }
            status
        });
        *sent.answers.entry(answer.unwrap_or(0)).or_default() += 1;
        if answer != Some(plan[i].expect) {
            sent.wrong += 1;
            sent.first_wrong.get_or_insert_with(|| {
                format!(
                    "{} delivery {i}: expected {}, got {answer:?}",
                    plan[i].route, plan[i].expect
                )
            });
        }
    }
    sent.elapsed = started.elapsed();
    sent
}

/// The key of one line `ramp listen` printed (`provider:order_id:provider_status`).
pub fn printed_key(line: &str) -> Option<String> {
    let event: serde_json::Value = serde_json::from_str(line).ok()?;
    let field = |name: &str| event.get(name)?.as_str().map(str::to_owned);
    Some(format!(
        "{}:{}:{}",
        field("provider")?,
        field("order_id")?,
        field("provider_status")?
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mix_and_the_plan_hold_what_they_say() {
        let mix = Mix::of(6000);
        assert_eq!(
            mix,
            Mix {
                unique: 3340,
                duplicates: 2000,
                forged: 600,
                oversized: 60
            }
        );
        let (o, k) = (SecretString::from("o"), SecretString::from("k"));
        let plan = plan(6000, 7, &o, &k);
        assert_eq!(plan.len(), 6000);
        let keys: std::collections::HashSet<_> =
            plan.iter().filter_map(|p| p.key.clone()).collect();
        assert_eq!(keys.len(), 3340);
        assert_eq!(plan.iter().filter(|p| p.expect == 401).count(), 600);
        assert!(
            plan.iter()
                .filter(|p| p.expect == 413)
                .all(|p| p.delivery.body.len() > BODY_LIMIT)
        );
        assert_eq!(
            printed_key(
                r#"{"provider":"koinal","order_id":"3","status":"completed","provider_status":"COMPLETED"}"#
            ),
            Some("koinal:3:COMPLETED".into())
        );
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn the_baseline_answers_every_planned_delivery_as_the_endpoint_must() {
        let (o, k) = (SecretString::from("o"), SecretString::from("k"));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let router = baseline_router(&o, &k);
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        let plan = Arc::new(plan(300, 1, &o, &k));
        let http = ramp_core::http::reqwest::Client::new();
        let sent = send_all(&http, &base, plan, 8, Arc::default()).await;
        assert_eq!(sent.wrong, 0, "{:?}", sent.first_wrong);
        assert_eq!(sent.answers.get(&401), Some(&30));
        assert_eq!(sent.answers.get(&413), Some(&3));
    }
}
