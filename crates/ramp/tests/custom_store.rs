//! The example store of one's own (`examples/custom_store.rs`) keeps every promise of a store:
//! the public suite a custom store runs passes on it, and its break is caught.

use std::sync::Arc;
use std::time::Duration;

use ramp::store::DedupStore;

#[path = "../examples/custom_store.rs"]
mod custom_store;

#[tokio::test]
async fn the_example_store_of_your_own_keeps_every_promise() {
    ramp::store::conformance::dedup_store(|keep| async move {
        Arc::new(custom_store::MapStore::new(Duration::ZERO, keep)) as Arc<dyn DedupStore>
    })
    .await;
}

/// A store that forgets ended orders once their events' keep has passed: the suite says so.
#[tokio::test]
#[should_panic(expected = "right: Ok(Ended)")]
async fn a_store_that_forgets_an_ended_order_fails_the_suite() {
    struct Forgetful(custom_store::MapStore);
    #[ramp::store::async_trait]
    impl DedupStore for Forgetful {
        async fn claim(
            &self,
            key: &ramp::store::EventKey,
        ) -> Result<ramp::store::Claim, ramp::store::StoreError> {
            self.0.claim(key).await
        }
        async fn renew(
            &self,
            key: &ramp::store::EventKey,
            token: &ramp::store::ClaimToken,
        ) -> Result<bool, ramp::store::StoreError> {
            self.0.renew(key, token).await
        }
        /// Records every event as if it were not final: the order never ends.
        async fn commit(
            &self,
            key: &ramp::store::EventKey,
            token: &ramp::store::ClaimToken,
        ) -> Result<(), ramp::store::StoreError> {
            let plain = ramp::store::EventKey::new(key.event(), key.order(), 0);
            self.0.commit(&plain, token).await
        }
        async fn release(
            &self,
            key: &ramp::store::EventKey,
            token: &ramp::store::ClaimToken,
        ) -> Result<(), ramp::store::StoreError> {
            self.0.release(key, token).await
        }
        fn claim_lease(&self) -> Duration {
            self.0.claim_lease()
        }
        async fn keep_unreadable(
            &self,
            delivery: &ramp::Unreadable,
        ) -> Result<(), ramp::store::StoreError> {
            self.0.keep_unreadable(delivery).await
        }
        async fn unreadable(&self) -> Result<Vec<ramp::Unreadable>, ramp::store::StoreError> {
            self.0.unreadable().await
        }
        async fn forget_unreadable(&self, id: &str) -> Result<(), ramp::store::StoreError> {
            self.0.forget_unreadable(id).await
        }
    }
    ramp::store::conformance::dedup_store(|keep| async move {
        Arc::new(Forgetful(custom_store::MapStore::new(Duration::ZERO, keep)))
            as Arc<dyn DedupStore>
    })
    .await;
}
