//! One quote across providers (feature `quote`): ask every configured provider at once, and
//! compare honestly. "Best" is the most crypto received among offers that buy the same thing
//! (the same fiat amount charged, asset, network and payment class); an offer that cannot be
//! compared on one of these is listed after, marked with why, never ranked among them.
//! Price only: no reliability score is invented. Proof publishes no quote API, so it is not
//! asked. docs/quotes.md has each provider's words for networks and payment classes, and what
//! each of its amounts holds.

mod ask;
mod checkout;
mod compare;
mod offer;
mod onramper;
mod providers;
mod request;

pub use ask::{DEFAULT_DEADLINE, Quotes};
pub use checkout::{CheckoutDetails, CheckoutError, Started};
pub use offer::{Comparable, Comparison, Failure, Fees, Offer, Quoter, Refusal};
pub use request::{Network, PaymentClass, QuoteRequest, QuoteRequestError};

/// Ranks offers and failures gathered elsewhere (what [`Quotes`] does once every provider
/// answered or its deadline passed).
pub fn compare(request: &QuoteRequest, offers: Vec<Offer>, failures: Vec<Failure>) -> Comparison {
    compare::rank(request, offers, failures)
}
