//! `MemoryStore` keeps every promise of a store, the same suite Redis and Postgres pass.

use std::sync::Arc;

use ramp::MemoryStore;
use ramp::store::DedupStore;

mod support;

#[tokio::test]
async fn the_memory_store_keeps_every_promise_of_a_store() {
    ramp::store::conformance::dedup_store(|keep| async move {
        Arc::new(MemoryStore::new(1000, keep).lease(std::time::Duration::ZERO))
            as Arc<dyn DedupStore>
    })
    .await;
}
