//! The live-update sockets a tracker holds (feature `proof-live`), one per order, each ended
//! with its order's following.

use super::Tracker;
use crate::track::OrderRef;

impl Tracker {
    /// How many orders have live updates running (feature `proof-live`): each holds one
    /// WebSocket.
    pub fn live_updates(&self) -> usize {
        self.live.lock().map_or(0, |live| {
            live.values()
                .filter(|(_, task)| task.as_ref().is_none_or(|task| !task.is_finished()))
                .count()
        })
    }

    /// Reserves `order`'s live updates under `id`; `false` when they run already.
    #[allow(dead_code)] // used with `proof-live` only
    pub(crate) fn reserve_live(&self, order: &OrderRef, id: u64) -> bool {
        let Ok(mut live) = self.live.lock() else {
            return false;
        };
        let running = live
            .get(&order.key())
            .is_some_and(|(_, task)| task.as_ref().is_none_or(|task| !task.is_finished()));
        if !running {
            live.insert(order.key(), (id, None));
        }
        !running
    }

    /// Hands the reserved live updates `id` of `order` their task (aborted when the order's
    /// following ended meanwhile).
    #[allow(dead_code)] // used with `proof-live` only
    pub(crate) fn set_live(&self, order: &OrderRef, id: u64, task: tokio::task::AbortHandle) {
        match self.live.lock() {
            Ok(mut live) => match live.get_mut(&order.key()) {
                Some((held, slot)) if *held == id => *slot = Some(task),
                _ => task.abort(),
            },
            Err(_) => task.abort(),
        }
    }

    /// Forgets the live-update task `id` of `order` (it ended by itself).
    #[allow(dead_code)] // used with `proof-live` only
    pub(crate) fn live_ended(&self, order: &OrderRef, id: u64) {
        if let Ok(mut live) = self.live.lock()
            && live.get(&order.key()).is_some_and(|(held, _)| *held == id)
        {
            live.remove(&order.key());
        }
    }

    /// Ends the live updates of `order`, if any.
    pub(super) fn end_live(&self, order: &OrderRef) {
        let ended = self
            .live
            .lock()
            .ok()
            .and_then(|mut live| live.remove(&order.key()));
        if let Some((_, Some(task))) = ended {
            task.abort();
        }
    }
}
