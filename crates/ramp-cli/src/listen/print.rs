//! One JSON line per event on standard output, written by a thread of its own: a slow reader
//! holds no worker thread, and a line that could not be written is not acknowledged.

use std::io::Write;
use std::sync::Arc;

use ramp::OrderEvent;
use tokio::sync::{Notify, mpsc, oneshot};

type Line = (String, oneshot::Sender<Result<(), String>>);

/// Hands lines to the writer and waits for each to be written.
#[derive(Clone)]
pub(crate) struct Printer {
    lines: mpsc::Sender<Line>,
    /// Notified once standard output is closed: the listener stops.
    pub(crate) closed: Arc<Notify>,
}

impl Printer {
    /// A printer and its writer thread.
    pub(crate) fn start() -> Self {
        let (lines, mut queue) = mpsc::channel::<Line>(1024);
        let closed = Arc::new(Notify::new());
        let notify = Arc::clone(&closed);
        std::thread::spawn(move || {
            let mut failed: Option<String> = None;
            while let Some((line, done)) = queue.blocking_recv() {
                // Its handler gave up waiting (past its limit): the event was not
                // acknowledged, and is printed when it is delivered again.
                if done.is_closed() {
                    continue;
                }
                let written = match &failed {
                    Some(why) => Err(why.clone()),
                    None => {
                        let mut out = std::io::stdout().lock();
                        writeln!(out, "{line}")
                            .and_then(|()| out.flush())
                            .map_err(|err| format!("standard output: {err}"))
                    }
                };
                if let Err(why) = &written
                    && failed.is_none()
                {
                    failed = Some(why.clone());
                    notify.notify_one();
                }
                let _ = done.send(written);
            }
        });
        Self { lines, closed }
    }

    /// Prints `event` as one line; `Err` (and nothing acknowledged) when it was not written.
    pub(crate) async fn print(&self, event: OrderEvent) -> Result<(), ramp::HandlerError> {
        let line = serde_json::to_string(&event)?;
        let (done, written) = oneshot::channel();
        let stopped = || ramp::HandlerError::retry("the printer stopped");
        self.lines.send((line, done)).await.map_err(|_| stopped())?;
        written
            .await
            .map_err(|_| stopped())?
            .map_err(ramp::HandlerError::retry)
    }
}
