//! `RedisStore` against a real `redis-server` that each test starts on a Unix socket of its
//! own (no mock of Redis): every promise of a store (claims atomic across replicas, a failed
//! handler's release lets the redelivery through, an ended order ended for good), handled
//! events outlive the process that recorded them, and a Redis that may evict is refused.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use ramp::endpoint::Endpoint;
use ramp::store::{Claim, DedupStore};
use ramp::{OrderEvent, RedisStore};
use ramp_core::SecretString;
use ramp_testkit::RedisServer;

const TIMEOUT: Duration = Duration::from_secs(5);

mod support;

use ramp::store::conformance::key;

#[tokio::test]
async fn redis_keeps_every_promise_of_a_store() {
    let redis = RedisServer::start();
    let url = redis.url();
    ramp::store::conformance::dedup_store(|keep| {
        let url = url.clone();
        async move {
            let store = RedisStore::connect(&url, TIMEOUT)
                .await
                .unwrap()
                .keep(keep)
                .lease(Duration::ZERO);
            Arc::new(store) as Arc<dyn DedupStore>
        }
    })
    .await;
    // Handled events and ended orders outlive the store that recorded them (a restarted
    // process), and an ended order is kept without an expiry.
    let again = RedisStore::connect(&redis.url(), TIMEOUT).await.unwrap();
    assert_eq!(
        again.claim(&key("o1", "PROCESSING", 0)).await,
        Ok(Claim::Duplicate)
    );
    assert_eq!(
        again.claim(&key("o5", "PENDING", 0)).await,
        Ok(Claim::Ended)
    );
    let client = redis::Client::open(redis.url()).unwrap();
    let mut connection = client.get_multiplexed_async_connection().await.unwrap();
    let ttl: i64 = redis::cmd("PTTL")
        .arg("ramp:handled:ended:transak:o5")
        .query_async(&mut connection)
        .await
        .unwrap();
    assert_eq!(ttl, -1, "no expiry");
}

#[tokio::test]
async fn a_redis_that_may_evict_keys_is_refused_naming_the_setting() {
    let redis = RedisServer::start_with(&["--maxmemory-policy", "volatile-lru"]);
    let refused = RedisStore::connect(&redis.url(), TIMEOUT)
        .await
        .unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("maxmemory-policy is volatile-lru")
            && refused
                .to_string()
                .contains("set maxmemory-policy noeviction"),
        "{refused}"
    );
    let fine = RedisServer::start_with(&["--maxmemory-policy", "noeviction"]);
    assert!(RedisStore::connect(&fine.url(), TIMEOUT).await.is_ok());
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
                Ok::<(), ramp::HandlerError>(())
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
    assert!(matches!(
        store.claim(&key("warm", "PENDING", 0)).await,
        Ok(Claim::New(_))
    ));
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
    assert!(store.claim(&key("lost", "PENDING", 0)).await.is_err());
    spin.await.unwrap().unwrap();
    // Long before the ten-minute lease, the claim nobody acts on is given up.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(matches!(
        store.claim(&key("lost", "PENDING", 0)).await,
        Ok(Claim::New(_))
    ));
}
