//! `RedisStore` against a real `redis-server` that each test starts on a Unix socket of its
//! own (no mock of Redis): claims are atomic across replicas, a failed handler's release lets
//! the redelivery through, and handled keys outlive the process that recorded them.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use ramp::endpoint::Endpoint;
use ramp::{Claim, ClaimToken, DedupStore, OrderEvent, RedisStore};
use ramp_core::SecretString;
use ramp_testkit::RedisServer;

const TIMEOUT: Duration = Duration::from_secs(5);

mod support;

fn token(claim: Result<Claim, ramp::StoreError>) -> ClaimToken {
    match claim {
        Ok(Claim::New(token)) => token,
        other => panic!("not new: {other:?}"),
    }
}

#[tokio::test]
async fn claim_commit_and_release_keep_their_promises() {
    let redis = RedisServer::start();
    let store = RedisStore::connect(&redis.url(), TIMEOUT).await.unwrap();
    let first = token(store.claim("k1").await);
    assert_eq!(store.claim("k1").await, Ok(Claim::InFlight));
    store.release("k1", &first).await.unwrap();
    let second = token(store.claim("k1").await);
    assert_ne!(first, second, "released: handled again, under a new claim");
    // Only the holder renews or releases.
    assert_eq!(store.renew("k1", &first).await, Ok(false));
    store.release("k1", &first).await.unwrap();
    assert_eq!(store.claim("k1").await, Ok(Claim::InFlight));
    assert_eq!(store.renew("k1", &second).await, Ok(true));
    store.commit("k1", &second).await.unwrap();
    assert_eq!(store.claim("k1").await, Ok(Claim::Duplicate));
    // A release never forgets a handled key.
    store.release("k1", &second).await.unwrap();
    assert_eq!(store.claim("k1").await, Ok(Claim::Duplicate));
    assert_eq!(store.renew("k1", &second).await, Ok(false));
    // An unfinished claim lapses after its lease, unless renewed; the lapsed holder can no
    // longer release the claim made since.
    let short = store.clone().lease(Duration::from_millis(300));
    let renewed = token(short.claim("k2").await);
    for _ in 0..4 {
        tokio::time::sleep(Duration::from_millis(150)).await;
        assert_eq!(short.renew("k2", &renewed).await, Ok(true));
    }
    assert_eq!(
        short.claim("k2").await,
        Ok(Claim::InFlight),
        "renewed past its lease"
    );
    tokio::time::sleep(Duration::from_millis(450)).await;
    let taken = token(short.claim("k2").await);
    short.release("k2", &renewed).await.unwrap();
    assert_eq!(
        short.claim("k2").await,
        Ok(Claim::InFlight),
        "{taken:?} still holds"
    );
    // Handled keys outlive the store that recorded them (a restarted process).
    drop((store, short));
    let again = RedisStore::connect(&redis.url(), TIMEOUT).await.unwrap();
    assert_eq!(again.claim("k1").await, Ok(Claim::Duplicate));
}

#[tokio::test]
async fn of_forty_claims_from_two_replicas_at_once_one_wins() {
    let redis = RedisServer::start();
    let a = RedisStore::connect(&redis.url(), TIMEOUT).await.unwrap();
    let b = RedisStore::connect(&redis.url(), TIMEOUT).await.unwrap();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..40 {
        let store = if i % 2 == 0 { a.clone() } else { b.clone() };
        tasks.spawn(async move { store.claim("same").await.unwrap() });
    }
    let claims = tasks.join_all().await;
    let new = claims.iter().filter(|c| matches!(c, Claim::New(_)));
    assert_eq!(new.count(), 1);
}

#[tokio::test]
async fn two_replicas_behind_one_redis_handle_a_delivery_once() {
    let redis = RedisServer::start();
    let handled = Arc::new(AtomicUsize::new(0));
    let secret = "whsec_replicas";
    let mut urls = Vec::new();
    for _ in 0..2 {
        let store = RedisStore::connect(&redis.url(), TIMEOUT).await.unwrap();
        let count = Arc::clone(&handled);
        let router = Endpoint::new(Arc::new(store), move |_event: OrderEvent| {
            let count = Arc::clone(&count);
            async move {
                tokio::time::sleep(Duration::from_millis(20)).await;
                count.fetch_add(1, Ordering::SeqCst);
                Ok::<(), String>(())
            }
        })
        .onramper(ramp::onramper_sign::WebhookVerifier::new(SecretString::from(secret)).unwrap())
        .router();
        urls.push(format!("{}/onramper", support::serve(router).await));
    }
    let delivery = ramp::onramper_sign::webhook::test_util::signed_webhook(
        br#"{"transactionId":"tx-9","status":"completed"}"#,
        &SecretString::from(secret),
    );
    let http = ramp_core::http::reqwest::Client::new();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..20 {
        let (http, url, delivery) = (http.clone(), urls[i % 2].clone(), delivery.clone());
        tasks.spawn(async move {
            http.post(url)
                .headers(delivery.headers)
                .body(delivery.body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        });
    }
    let answers = tasks.join_all().await;
    assert!(
        answers.iter().all(|a| *a == 200 || *a == 503),
        "{answers:?}"
    );
    // Whatever answered 503 is delivered again by the provider: a duplicate by then.
    let again = http
        .post(&urls[1])
        .headers(delivery.headers.clone())
        .body(delivery.body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(again.status().as_u16(), 200);
    assert_eq!(handled.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_claim_whose_answer_was_lost_is_given_up_once_redis_answers_again() {
    let redis = RedisServer::start();
    let store = RedisStore::connect(&redis.url(), Duration::from_millis(150))
        .await
        .unwrap()
        .lease(Duration::from_secs(600));
    // The claim script is known to Redis (else the late claim would not be made at all).
    assert!(matches!(store.claim("warm").await, Ok(Claim::New(_))));
    // Redis busy for 700 ms (a script that spins): the claim queued behind it is made, but
    // its answer comes after the store stopped waiting.
    let busy = redis::Client::open(redis.url()).unwrap();
    let config = redis::AsyncConnectionConfig::new().set_response_timeout(None);
    let mut busy = busy
        .get_multiplexed_async_connection_with_config(&config)
        .await
        .unwrap();
    let spin = tokio::spawn(async move {
        let spun: redis::RedisResult<i64> = redis::Script::new(
            "local t = redis.call('TIME') local start = t[1] * 1000000 + t[2] \
             repeat t = redis.call('TIME') until t[1] * 1000000 + t[2] - start > 700000 return 1",
        )
        .invoke_async(&mut busy)
        .await;
        spun
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(store.claim("lost").await.is_err());
    spin.await.unwrap().unwrap();
    // Long before the ten-minute lease, the claim nobody acts on is given up.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(matches!(store.claim("lost").await, Ok(Claim::New(_))));
}
