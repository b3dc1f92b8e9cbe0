//! A store of handled events of your own: every promise a store keeps, over a map in one
//! process (put your database where the map is), checked by the suite every store of this
//! crate passes. `cargo run -p ramp --example custom_store --features test-util` runs it.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use ramp::Unreadable;
use ramp::store::{Claim, ClaimToken, DedupStore, EventKey, StoreError, async_trait};

/// Handled events, ended orders and claims; in a database, one table each (or keys).
#[derive(Default)]
pub struct MapStore {
    lease: Duration,
    keep: Duration,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// Handled events that are not final, until when they are remembered.
    handled: HashMap<String, Instant>,
    /// Orders whose final status was handled, and how final (kept for good).
    ended: HashMap<String, u8>,
    /// Orders being handled: the token that holds each, and until when.
    claims: HashMap<String, (String, Instant)>,
    next_token: u64,
    unreadable: Vec<Unreadable>,
}

impl MapStore {
    /// Claims held `lease` unless renewed; handled events that are not final kept `keep`.
    pub fn new(lease: Duration, keep: Duration) -> Self {
        Self {
            lease: lease.max(ramp::store::SHORTEST_LEASE),
            keep,
            state: Mutex::default(),
        }
    }

    fn state(&self) -> Result<std::sync::MutexGuard<'_, State>, StoreError> {
        self.state
            .lock()
            .map_err(|_| StoreError("the map was poisoned".into()))
    }
}

#[async_trait]
impl DedupStore for MapStore {
    /// One atomic step (a transaction, a script): ended, then done, then held, else new.
    async fn claim(&self, key: &EventKey) -> Result<Claim, StoreError> {
        let mut state = self.state()?;
        let now = Instant::now();
        if key.is_ended_by(state.ended.get(key.order()).copied().unwrap_or(0)) {
            return Ok(Claim::Ended);
        }
        if state
            .handled
            .get(key.event())
            .is_some_and(|until| *until > now)
        {
            return Ok(Claim::Duplicate);
        }
        if state
            .claims
            .get(key.order())
            .is_some_and(|(_, until)| *until > now)
        {
            return Ok(Claim::InFlight);
        }
        state.next_token += 1;
        let token = state.next_token.to_string();
        let until = now + self.lease;
        state
            .claims
            .insert(key.order().to_owned(), (token.clone(), until));
        Ok(Claim::New(ClaimToken::new(token)))
    }

    async fn renew(&self, key: &EventKey, token: &ClaimToken) -> Result<bool, StoreError> {
        let mut state = self.state()?;
        let now = Instant::now();
        match state.claims.get_mut(key.order()) {
            Some((held, until)) if held == token.as_str() && *until > now => {
                *until = now + self.lease;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    /// Recorded whoever holds the claim now; a final status ends the order for good.
    async fn commit(&self, key: &EventKey, token: &ClaimToken) -> Result<(), StoreError> {
        let mut state = self.state()?;
        if key.finality() > 0 {
            let ended = state.ended.entry(key.order().to_owned()).or_insert(0);
            *ended = (*ended).max(key.finality());
        } else {
            let until = Instant::now() + self.keep;
            state.handled.insert(key.event().to_owned(), until);
        }
        if state
            .claims
            .get(key.order())
            .is_some_and(|(held, _)| held == token.as_str())
        {
            state.claims.remove(key.order());
        }
        Ok(())
    }

    async fn release(&self, key: &EventKey, token: &ClaimToken) -> Result<(), StoreError> {
        let mut state = self.state()?;
        if state
            .claims
            .get(key.order())
            .is_some_and(|(held, _)| held == token.as_str())
        {
            state.claims.remove(key.order());
        }
        Ok(())
    }

    fn claim_lease(&self) -> Duration {
        self.lease
    }

    async fn keep_unreadable(&self, delivery: &Unreadable) -> Result<(), StoreError> {
        let mut state = self.state()?;
        if !state.unreadable.iter().any(|kept| kept.id == delivery.id) {
            state.unreadable.push(delivery.clone());
        }
        Ok(())
    }

    async fn unreadable(&self) -> Result<Vec<Unreadable>, StoreError> {
        Ok(self.state()?.unreadable.clone())
    }

    async fn forget_unreadable(&self, id: &str) -> Result<(), StoreError> {
        self.state()?.unreadable.retain(|kept| kept.id != id);
        Ok(())
    }
}

#[allow(dead_code)] // the tests include this file for `MapStore`
#[tokio::main(flavor = "current_thread")]
async fn main() {
    ramp::store::conformance::dedup_store(|keep| async move {
        std::sync::Arc::new(MapStore::new(Duration::ZERO, keep)) as std::sync::Arc<dyn DedupStore>
    })
    .await;
    println!("MapStore keeps every promise of a store");
}
