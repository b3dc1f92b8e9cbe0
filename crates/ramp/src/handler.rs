//! What a handler's failure asks for: handle the event again, or give it up.

use std::error::Error as StdError;
use std::fmt;

/// A boxed error, as a handler's failure carries it.
pub type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// Why a handler did not handle an event, and what should happen to it.
///
/// Any error converts into one that asks for a **retry** (`?` works on `std::io::Error`,
/// `sqlx::Error`, ...): the event is not recorded, the delivery is answered 500 and the
/// provider's redelivery (or the tracker's next read) hands it to the handler again.
/// [`give_up`](Self::give_up) says the event can never be handled (an order your shop does
/// not know, say): it is recorded as settled, answered 200 and logged at WARN with the
/// cause, and never handed to the handler again.
///
/// ```
/// use ramp::{HandlerError, OrderEvent};
///
/// async fn handle(event: OrderEvent) -> Result<(), HandlerError> {
///     let Some(reference) = &event.partner_reference else {
///         return Err(HandlerError::give_up("no reference of ours: not our order"));
///     };
///     std::fs::metadata(reference)?; // an I/O error: handled again later
///     Ok(())
/// }
/// ```
pub struct HandlerError {
    give_up: bool,
    cause: BoxError,
}

impl HandlerError {
    /// Handle the event again later: answered 500, redelivered or read again.
    pub fn retry(cause: impl Into<BoxError>) -> Self {
        Self {
            give_up: false,
            cause: cause.into(),
        }
    }

    /// The event can never be handled: recorded as settled (answered 200), logged with
    /// `cause` at WARN, never handed to the handler again.
    pub fn give_up(cause: impl Into<BoxError>) -> Self {
        Self {
            give_up: true,
            cause: cause.into(),
        }
    }

    /// Whether the event is given up rather than handled again.
    pub fn is_give_up(&self) -> bool {
        self.give_up
    }

    /// The cause.
    pub fn cause(&self) -> &(dyn StdError + Send + Sync + 'static) {
        &*self.cause
    }
}

impl<E: StdError + Send + Sync + 'static> From<E> for HandlerError {
    fn from(err: E) -> Self {
        Self::retry(err)
    }
}

impl fmt::Debug for HandlerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HandlerError")
            .field("give_up", &self.give_up)
            .field("cause", &self.cause)
            .finish()
    }
}

impl fmt::Display for HandlerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.cause, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_error_asks_for_a_retry_and_give_up_says_so() {
        let io: HandlerError = std::io::Error::other("disk full").into();
        assert!(!io.is_give_up());
        assert_eq!(io.to_string(), "disk full");
        let given = HandlerError::give_up("not our order");
        assert!(given.is_give_up());
        assert_eq!(given.to_string(), "not our order");
        assert!(!HandlerError::retry(String::from("later")).is_give_up());
    }
}
