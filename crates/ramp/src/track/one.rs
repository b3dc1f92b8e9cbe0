//! One order followed as a stream: a [`Tracker`] of its own, on a memory book and store,
//! whose handler hands each change to the stream.

use std::sync::Arc;
use std::time::Duration;

use futures_util::Stream;
use tokio::sync::mpsc;

use super::{OrderRef, ReadError, Schedule, StatusRead, Tracker};
use crate::{HandlerError, MemoryStore, OrderEvent};

/// Reads the followed order at once: call [`now`](Self::now) when a push says it changed.
#[derive(Debug, Clone)]
pub struct Poke {
    tracker: Arc<Tracker>,
    order: OrderRef,
}

impl Poke {
    /// The order is read now instead of at its next time.
    pub fn now(&self) {
        let (tracker, order) = (Arc::clone(&self.tracker), self.order.clone());
        tokio::spawn(async move { tracker.poke(&order).await });
    }
}

/// What the stream is told.
enum Told {
    Event(Box<OrderEvent>),
    Refused(ReadError),
}

/// Follows `order` through `source` until a final status, with a [`Tracker`] of its own:
/// a stream of the events whose status changed (the first read always counts), ending after
/// a final one, or after a read the provider refuses (yielded as the error). Transient
/// failures are read again on the schedule. Call it within a tokio runtime; dropping the
/// stream stops the following.
pub fn track(
    order: OrderRef,
    source: Arc<dyn StatusRead>,
    schedule: Schedule,
) -> (
    impl Stream<Item = Result<OrderEvent, ReadError>> + Send,
    Poke,
) {
    let (tell, told) = mpsc::unbounded_channel();
    let events = tell.clone();
    let handler = move |event: OrderEvent| {
        let sent = events.send(Told::Event(Box::new(event)));
        async move { sent.map_err(|_| HandlerError::retry("the stream was dropped")) }
    };
    let tracker = Tracker::new(
        Arc::new(super::MemoryBook::new()),
        Arc::new(MemoryStore::default()),
        handler,
    )
    .source(order.provider, source)
    .schedule(schedule)
    .poll(
        schedule
            .first
            .clamp(Duration::from_millis(1), Duration::from_secs(1)),
    )
    .give_up_when_refused(move |err| {
        let _ = tell.send(Told::Refused(err.clone()));
    });
    let tracker = Arc::new(tracker);
    let running = tokio::spawn({
        let (tracker, order) = (Arc::clone(&tracker), order.clone());
        async move {
            if tracker.follow(order).await.is_ok() {
                tracker.run().await;
            }
        }
    });
    let poke = Poke { tracker, order };
    let state = (told, Stopper(running), false);
    let stream = futures_util::stream::unfold(state, |(mut told, stopper, done)| async move {
        if done {
            return None;
        }
        match told.recv().await? {
            Told::Event(event) => {
                let done = event.is_terminal();
                Some((Ok(*event), (told, stopper, done)))
            }
            Told::Refused(err) => Some((Err(err), (told, stopper, true))),
        }
    });
    (stream, poke)
}

/// Stops the tracker's task when the stream is dropped.
struct Stopper(tokio::task::JoinHandle<()>);

impl Drop for Stopper {
    fn drop(&mut self) {
        self.0.abort();
    }
}
