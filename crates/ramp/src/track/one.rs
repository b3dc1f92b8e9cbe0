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
    /// The runtime `track` was called in: `now` works from any thread.
    runtime: tokio::runtime::Handle,
}

impl Poke {
    /// The order is read now instead of at its next time.
    pub fn now(&self) {
        let (tracker, order) = (Arc::clone(&self.tracker), self.order.clone());
        self.runtime
            .spawn(async move { tracker.poke(&order).await });
    }
}

/// Ends the stream when the following task ends, normally or not.
struct Ended(mpsc::UnboundedSender<Told>);

impl Ended {
    fn say(&self, why: &str) {
        let _ = self.0.send(Told::Refused(ReadError {
            message: why.to_owned(),
            retryable: false,
        }));
    }
}

impl Drop for Ended {
    fn drop(&mut self) {
        // After a final event or the stream's own end this is never read.
        self.say("the following stopped");
    }
}

/// What the stream is told.
enum Told {
    Event(Box<OrderEvent>),
    Refused(ReadError),
}

/// Follows `order` through `source` until a final status, with a [`Tracker`] of its own:
/// a stream of the events whose status changed (the first read always counts), ending after
/// a final one, or after a read the provider refuses, the order cannot be followed, or it
/// reached the tracker's maximum age (yielded as the error). Transient failures are read
/// again on the schedule. Call it within a tokio runtime; dropping the stream stops the
/// following.
pub fn track(
    order: OrderRef,
    source: Arc<dyn StatusRead>,
    schedule: Schedule,
) -> (
    impl Stream<Item = Result<OrderEvent, ReadError>> + Send,
    Poke,
) {
    let (tell, told) = mpsc::unbounded_channel();
    let (events, tell_end) = (tell.clone(), tell.clone());
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
        // However the following ends (it cannot start, a read panics), the stream ends too.
        let ended = Ended(tell_end);
        async move {
            match tracker.follow(order).await {
                Ok(_) => tracker.run().await,
                Err(err) => ended.say(&err.to_string()),
            }
        }
    });
    let poke = Poke {
        tracker,
        order,
        runtime: tokio::runtime::Handle::current(),
    };
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
