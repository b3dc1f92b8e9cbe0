//! `PgStore` against a real PostgreSQL server that each test starts in a temporary directory
//! on a free loopback port (no mock of Postgres): every promise of a store; a handler that
//! writes in the store's transaction writes once or not at all, across replicas, a failing
//! handler and the server killed mid-handler; the book of followed orders; the schema made
//! once.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use ramp::OrderEvent;
use ramp::endpoint::Endpoint;
use ramp::postgres::{PgBook, PgStore};
use ramp::store::DedupStore;
use ramp_core::SecretString;
use ramp_testkit::PostgresServer;

mod support;

const SECRET: &str = "whsec_pg";

async fn store(server: &PostgresServer) -> PgStore {
    let store = PgStore::connect(&server.url()).await.unwrap();
    store.migrate().await.unwrap();
    store
}

#[tokio::test]
async fn postgres_keeps_every_promise_of_a_store() {
    let server = PostgresServer::start();
    let url = server.url();
    ramp::store::conformance::dedup_store(|keep| {
        let url = url.clone();
        async move {
            let store = PgStore::connect(&url).await.unwrap();
            store.migrate().await.unwrap();
            Arc::new(store.keep(keep).lease(Duration::ZERO)) as Arc<dyn DedupStore>
        }
    })
    .await;
}

#[tokio::test]
async fn the_schema_is_made_once_by_replicas_migrating_at_once() {
    let server = PostgresServer::start();
    let stores = [
        PgStore::connect(&server.url()).await.unwrap(),
        PgStore::connect(&server.url()).await.unwrap(),
    ];
    let (a, b) = tokio::join!(stores[0].migrate(), stores[1].migrate());
    a.unwrap();
    b.unwrap();
    stores[0].migrate().await.unwrap();
    let versions: Vec<i32> = sqlx::query_scalar("SELECT version FROM ramp_schema")
        .fetch_all(stores[0].pool())
        .await
        .unwrap();
    assert_eq!(versions, [1]);
}

#[tokio::test]
async fn the_book_in_postgres_is_taken_in_turns_by_its_clock() {
    let server = PostgresServer::start();
    let store = store(&server).await;
    ramp::store::conformance::order_book(&PgBook::new(&store)).await;
}

/// An endpoint whose handler writes a ledger row in the store's transaction, then fails
/// while `fail` is set, or sleeps `sleep` first.
async fn replica(store: PgStore, fail: Arc<AtomicBool>, sleep: Duration) -> String {
    let router = Endpoint::transactional(store, move |event: OrderEvent, tx| {
        let fail = Arc::clone(&fail);
        Box::pin(async move {
            sqlx::query("INSERT INTO ledger (event_key) VALUES ($1)")
                .bind(event.dedup_key())
                .execute(&mut *tx)
                .await?;
            tokio::time::sleep(sleep).await;
            if fail.load(Ordering::SeqCst) {
                return Err(sqlx::Error::Protocol("the handler failed".into()));
            }
            Ok(())
        })
    })
    .onramper(ramp::onramper_sign::WebhookVerifier::new(SecretString::from(SECRET)).unwrap())
    .router();
    format!("{}/onramper", support::serve(router).await)
}

async fn ledger(store: &PgStore) -> Vec<String> {
    sqlx::query_scalar("SELECT event_key FROM ledger ORDER BY id")
        .fetch_all(store.pool())
        .await
        .unwrap()
}

async fn post(url: &str, body: &[u8]) -> u16 {
    let delivery =
        ramp::onramper_sign::webhook::test_util::signed_webhook(body, &SecretString::from(SECRET));
    match ramp_core::http::reqwest::Client::new()
        .post(url)
        .headers(delivery.headers)
        .body(delivery.body)
        .send()
        .await
    {
        Ok(answer) => answer.status().as_u16(),
        Err(_) => 0,
    }
}

async fn with_ledger(server: &PostgresServer) -> PgStore {
    let store = store(server).await;
    sqlx::raw_sql("CREATE TABLE ledger (id bigserial PRIMARY KEY, event_key text NOT NULL)")
        .execute(store.pool())
        .await
        .unwrap();
    store
}

#[tokio::test]
async fn a_handler_in_the_store_transaction_writes_once_across_replicas_and_failures() {
    let server = PostgresServer::start();
    let store = with_ledger(&server).await;
    let fail = Arc::new(AtomicBool::new(true));
    let urls = [
        replica(store.clone(), Arc::clone(&fail), Duration::from_millis(20)).await,
        replica(
            PgStore::connect(&server.url()).await.unwrap(),
            Arc::clone(&fail),
            Duration::from_millis(20),
        )
        .await,
    ];
    let body = br#"{"transactionId":"tx-1","status":"paid"}"#;
    // The handler wrote its row, then failed: the row went with the transaction.
    assert_eq!(post(&urls[0], body).await, 500);
    assert!(ledger(&store).await.is_empty());
    fail.store(false, Ordering::SeqCst);
    let mut posts = tokio::task::JoinSet::new();
    for i in 0..20 {
        let url = urls[i % 2].clone();
        posts.spawn(async move { post(&url, body).await });
    }
    let answers = posts.join_all().await;
    assert!(
        answers.iter().all(|a| *a == 200 || *a == 503),
        "{answers:?}"
    );
    assert_eq!(post(&urls[1], body).await, 200);
    assert_eq!(ledger(&store).await, ["onramper:tx-1:paid"]);
    // The end, then a stale push: written never.
    let completed = br#"{"transactionId":"tx-1","status":"completed"}"#;
    assert_eq!(post(&urls[1], completed).await, 200);
    assert_eq!(post(&urls[0], body).await, 200);
    assert_eq!(
        ledger(&store).await,
        ["onramper:tx-1:paid", "onramper:tx-1:completed"]
    );
}

#[tokio::test]
async fn the_server_killed_while_a_handler_runs_leaves_nothing_and_the_redelivery_writes_once() {
    let mut server = PostgresServer::start();
    let store = with_ledger(&server).await;
    let url = replica(
        store.clone(),
        Arc::new(AtomicBool::new(false)),
        Duration::from_millis(1500),
    )
    .await;
    let body = br#"{"transactionId":"tx-k","status":"completed"}"#;
    let first = tokio::spawn({
        let url = url.clone();
        async move { post(&url, body).await }
    });
    // The row is written, the handler sleeps: the server dies as in a crash.
    tokio::time::sleep(Duration::from_millis(700)).await;
    server.kill();
    let answer = first.await.unwrap();
    assert!(answer == 500 || answer == 503, "{answer}");
    server.start_again();
    let store = PgStore::connect(&server.url()).await.unwrap();
    assert!(ledger(&store).await.is_empty(), "nothing of it was kept");
    let mut answer = 0;
    for _ in 0..50 {
        answer = post(&url, body).await;
        if answer == 200 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(answer, 200);
    assert_eq!(post(&url, body).await, 200);
    assert_eq!(ledger(&store).await, ["onramper:tx-k:completed"]);
}

#[tokio::test]
async fn a_handler_statement_past_the_limit_ends_on_the_server_and_frees_the_order() {
    let server = PostgresServer::start();
    let store = with_ledger(&server).await;
    let first = Arc::new(AtomicBool::new(true));
    let router = Endpoint::transactional(store.clone(), move |event: OrderEvent, tx| {
        let first = Arc::clone(&first);
        Box::pin(async move {
            if first.swap(false, Ordering::SeqCst) {
                // Stuck on the server: the handler's limit must end it there too.
                sqlx::query("SELECT pg_sleep(30)").execute(&mut *tx).await?;
            }
            sqlx::query("INSERT INTO ledger (event_key) VALUES ($1)")
                .bind(event.dedup_key())
                .execute(&mut *tx)
                .await?;
            Ok::<(), sqlx::Error>(())
        })
    })
    .handler_limit(Duration::from_millis(500))
    .onramper(ramp::onramper_sign::WebhookVerifier::new(SecretString::from(SECRET)).unwrap())
    .router();
    let url = format!("{}/onramper", support::serve(router).await);
    let body = br#"{"transactionId":"tx-s","status":"paid"}"#;
    assert_eq!(post(&url, body).await, 500);
    // Before, the statement ran on for 30 s holding the order: every redelivery was 503.
    let started = std::time::Instant::now();
    let mut answer = 0;
    while started.elapsed() < Duration::from_secs(5) {
        answer = post(&url, body).await;
        if answer == 200 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(answer, 200);
    assert_eq!(ledger(&store).await, ["onramper:tx-s:paid"]);
}

#[tokio::test]
async fn a_pool_that_is_not_read_committed_is_refused_as_a_plain_store_and_set_right_in_transactions()
 {
    use sqlx::Executor;
    let server = PostgresServer::start();
    with_ledger(&server).await;
    let pool = sqlx::postgres::PgPoolOptions::new()
        .after_connect(|connection, _| {
            Box::pin(async move {
                connection
                    .execute(
                        "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL REPEATABLE READ",
                    )
                    .await
                    .map(|_| ())
            })
        })
        .connect(&server.url())
        .await
        .unwrap();
    let store = PgStore::new(pool);
    let refused = store
        .claim(&ramp::store::conformance::key("o", "PENDING", 0))
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("READ COMMITTED"), "{refused}");
    let url = replica(
        store.clone(),
        Arc::new(AtomicBool::new(false)),
        Duration::ZERO,
    )
    .await;
    assert_eq!(
        post(&url, br#"{"transactionId":"tx-r","status":"paid"}"#).await,
        200
    );
    assert_eq!(ledger(&store).await, ["onramper:tx-r:paid"]);
}

/// How often [`give_up`] was called.
static GIVE_UP_CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Writes, then finds the order none of the shop's: gives it up, the write undone.
fn give_up(
    event: OrderEvent,
    tx: &mut sqlx::PgConnection,
) -> ramp::BoxFuture<'_, Result<(), ramp::HandlerError>> {
    GIVE_UP_CALLS.fetch_add(1, Ordering::SeqCst);
    Box::pin(async move {
        sqlx::query("INSERT INTO ledger (event_key) VALUES ($1)")
            .bind(event.dedup_key())
            .execute(&mut *tx)
            .await?;
        Err(ramp::HandlerError::give_up("not an order of this shop"))
    })
}

#[tokio::test]
async fn a_handler_that_gives_up_in_the_transaction_leaves_no_write_and_the_event_recorded() {
    let server = PostgresServer::start();
    let store = with_ledger(&server).await;
    let router = Endpoint::transactional(store.clone(), give_up)
        .onramper(ramp::onramper_sign::WebhookVerifier::new(SecretString::from(SECRET)).unwrap())
        .router();
    let url = format!("{}/onramper", support::serve(router).await);
    let body = br#"{"transactionId":"tx-gu","status":"paid"}"#;
    assert_eq!(post(&url, body).await, 200);
    assert_eq!(post(&url, body).await, 200, "recorded: a duplicate");
    assert_eq!(
        GIVE_UP_CALLS.load(Ordering::SeqCst),
        1,
        "never handed over again"
    );
    assert!(
        ledger(&store).await.is_empty(),
        "the handler's write was rolled back"
    );
}
