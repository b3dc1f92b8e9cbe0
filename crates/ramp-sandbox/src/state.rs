//! Bounded in-memory state.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;

/// At most this many entries of each kind are kept; the oldest go first.
pub const MAX_ENTRIES: usize = 10_000;

/// A map that forgets its oldest entries beyond [`MAX_ENTRIES`].
pub(crate) struct Bounded<K, V> {
    map: HashMap<K, V>,
    order: VecDeque<K>,
}

impl<K, V> Default for Bounded<K, V> {
    fn default() -> Self {
        Self {
            map: HashMap::new(),
            order: VecDeque::new(),
        }
    }
}

impl<K: Hash + Eq + Clone, V> Bounded<K, V> {
    pub(crate) fn insert(&mut self, key: K, value: V) {
        if self.map.insert(key.clone(), value).is_none() {
            self.order.push_back(key);
        }
        while self.order.len() > MAX_ENTRIES {
            if let Some(old) = self.order.pop_front() {
                self.map.remove(&old);
            }
        }
    }

    pub(crate) fn get(&self, key: &K) -> Option<&V> {
        self.map.get(key)
    }

    pub(crate) fn get_mut(&mut self, key: &K) -> Option<&mut V> {
        self.map.get_mut(key)
    }

    pub(crate) fn len(&self) -> usize {
        self.map.len()
    }

    /// The values, oldest first.
    pub(crate) fn values(&self) -> impl DoubleEndedIterator<Item = &V> {
        self.order.iter().filter_map(|key| self.map.get(key))
    }
}

/// A Proof transaction.
pub(crate) struct ProofTx {
    pub(crate) partner_user_id: String,
    pub(crate) kind: String,
    pub(crate) currency: String,
    pub(crate) network: String,
    pub(crate) amount: String,
    pub(crate) status: &'static str,
}

/// A Koinal quote, binding the order made with its token.
pub(crate) struct KoinalQuote {
    pub(crate) customer_reference: String,
    pub(crate) cryptocurrency: String,
    pub(crate) cryptocurrency_amount: String,
    pub(crate) currency: String,
    pub(crate) currency_amount: String,
    pub(crate) used: bool,
}

/// A Koinal order.
pub(crate) struct KoinalOrder {
    pub(crate) customer_reference: String,
    pub(crate) cryptocurrency: String,
    pub(crate) cryptocurrency_amount: String,
    pub(crate) currency: String,
    pub(crate) currency_amount: String,
    pub(crate) wallet_address: String,
    /// The blockchain transaction once the order completed (its callback was triggered,
    /// delivered or withheld): the status read says so from then on.
    pub(crate) completed_tx: Option<String>,
}

/// A Transak widget session: its parameters, and whether its URL was loaded.
pub(crate) struct TransakSession {
    pub(crate) used: bool,
    pub(crate) params: serde_json::Value,
    /// The `x-user-ip` the URL was made for.
    pub(crate) user_ip: std::net::IpAddr,
}

/// Everything the emulators remember.
#[derive(Default)]
pub(crate) struct State {
    pub(crate) kryptonim_sessions: Bounded<String, ()>,
    pub(crate) proof: Bounded<String, ProofTx>,
    pub(crate) transak_token: Option<String>,
    pub(crate) transak_refreshes: u64,
    pub(crate) transak_sessions: Bounded<String, TransakSession>,
    /// Orders made by loading a widget URL, as `GET /order/{id}` answers them.
    pub(crate) transak_orders: Bounded<String, serde_json::Value>,
    /// The webhooks sent, as Get Webhooks lists them.
    pub(crate) transak_webhooks: Bounded<String, serde_json::Value>,
    pub(crate) koinal_quotes: Bounded<String, KoinalQuote>,
    pub(crate) koinal_orders: Bounded<String, KoinalOrder>,
    pub(crate) koinal_next_order: u64,
    pub(crate) failures: VecDeque<crate::Failure>,
}

impl State {
    pub(crate) fn len(&self) -> usize {
        self.kryptonim_sessions.len()
            + self.proof.len()
            + self.transak_sessions.len()
            + self.transak_orders.len()
            + self.transak_webhooks.len()
            + self.koinal_quotes.len()
            + self.koinal_orders.len()
    }
}

/// A random lower-case hex id of `bytes` bytes.
pub(crate) fn random_hex(bytes: usize) -> String {
    (0..bytes)
        .map(|_| format!("{:02x}", fastrand::u8(..)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oldest_entries_are_evicted_beyond_the_bound() {
        let mut map = Bounded::default();
        for i in 0..MAX_ENTRIES + 5 {
            map.insert(i, ());
        }
        assert_eq!(map.len(), MAX_ENTRIES);
        assert!(map.get(&0).is_none());
        assert!(map.get(&(MAX_ENTRIES + 4)).is_some());
    }
}
