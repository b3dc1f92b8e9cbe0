//! Asking every configured provider at once, each under the deadline.

use std::future::Future;
use std::time::Duration;

use super::{Comparison, Failure, Offer, QuoteRequest, Quoter, Refusal};

/// How long each provider is given by default: 5 s.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(5);

/// What one provider's call came to: its offers and its failures (Onramper's per ramp).
pub(crate) type Answer = (Vec<Offer>, Vec<Failure>);

/// The providers to ask, and the deadline each is given. Build it once; [`quote`](Self::quote)
/// asks every one at once, and the answer comes when all answered or the deadline passed:
/// one slow or failing provider never holds back or hides the others.
///
/// ```no_run
/// # #[cfg(all(feature = "transak", feature = "onramper"))]
/// # async fn run(transak: ramp::transak::Client, onramper: ramp::onramper::Client)
/// # -> Result<(), Box<dyn std::error::Error>> {
/// use ramp::quote::{PaymentClass, QuoteRequest, Quotes};
/// use ramp::Decimal;
///
/// let quotes = Quotes::new().transak(transak).onramper(onramper);
/// let request = QuoteRequest::new("EUR", Decimal::from(100), "ETH", "ethereum")?
///     .payment(PaymentClass::Card);
/// let comparison = quotes.quote(&request).await;
/// if let Some(best) = comparison.best() {
///     println!("{} gives {} {}", best.quoter, best.crypto_amount, best.crypto_currency);
/// }
/// for failure in &comparison.failures {
///     println!("{}: {}", failure.quoter, failure.refusal);
/// }
/// # Ok(()) }
/// ```
#[derive(Clone, Default)]
pub struct Quotes {
    #[cfg(feature = "kryptonim")]
    kryptonim: Option<ramp_kryptonim::Client>,
    #[cfg(feature = "transak")]
    transak: Option<ramp_transak::Client>,
    #[cfg(feature = "koinal")]
    koinal: Option<(ramp_koinal::Client, String)>,
    #[cfg(feature = "onramper")]
    onramper: Option<ramp_onramper::Client>,
    deadline: Option<Duration>,
}

impl Quotes {
    /// No provider yet; the deadline [`DEFAULT_DEADLINE`].
    pub fn new() -> Self {
        Self::default()
    }

    /// How long each provider is given (default 5 s); past it, its failure is a timeout.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Asks Kryptonim (`POST /v1/quotes`).
    #[cfg(feature = "kryptonim")]
    #[cfg_attr(docsrs, doc(cfg(feature = "kryptonim")))]
    pub fn kryptonim(mut self, client: ramp_kryptonim::Client) -> Self {
        self.kryptonim = Some(client);
        self
    }

    /// Asks Transak (its public price quote).
    #[cfg(feature = "transak")]
    #[cfg_attr(docsrs, doc(cfg(feature = "transak")))]
    pub fn transak(mut self, client: ramp_transak::Client) -> Self {
        self.transak = Some(client);
        self
    }

    /// Asks Koinal, for the customer `customer_reference` (its quotes are signed for one).
    #[cfg(feature = "koinal")]
    #[cfg_attr(docsrs, doc(cfg(feature = "koinal")))]
    pub fn koinal(
        mut self,
        client: ramp_koinal::Client,
        customer_reference: impl Into<String>,
    ) -> Self {
        self.koinal = Some((client, customer_reference.into()));
        self
    }

    /// Asks Onramper: each ramp it quotes for is an offer (or a failure) of its own.
    #[cfg(feature = "onramper")]
    #[cfg_attr(docsrs, doc(cfg(feature = "onramper")))]
    pub fn onramper(mut self, client: ramp_onramper::Client) -> Self {
        self.onramper = Some(client);
        self
    }

    /// Every configured provider asked at once for `request`, each under the deadline; the
    /// offers compared (see [`Comparison`]) with, beside them, who gave none and why.
    pub async fn quote(&self, request: &QuoteRequest) -> Comparison {
        #[allow(unused_variables)] // with no provider feature on, nobody is asked
        let deadline = self.deadline.unwrap_or(DEFAULT_DEADLINE);
        #[allow(unused_mut)]
        let mut asked: Vec<futures_util::future::BoxFuture<'_, Answer>> = Vec::new();
        #[cfg(feature = "kryptonim")]
        if let Some(client) = &self.kryptonim {
            asked.push(Box::pin(within(
                deadline,
                Quoter::Kryptonim,
                super::providers::kryptonim(client, request),
            )));
        }
        #[cfg(feature = "transak")]
        if let Some(client) = &self.transak {
            asked.push(Box::pin(within(
                deadline,
                Quoter::Transak,
                super::providers::transak(client, request),
            )));
        }
        #[cfg(feature = "koinal")]
        if let Some((client, customer)) = &self.koinal {
            asked.push(Box::pin(within(
                deadline,
                Quoter::Koinal,
                super::providers::koinal(client, customer, request),
            )));
        }
        #[cfg(feature = "onramper")]
        if let Some(client) = &self.onramper {
            asked.push(Box::pin(within(
                deadline,
                Quoter::Onramper,
                super::onramper::onramper(client, request),
            )));
        }
        let (mut offers, mut failures) = (Vec::new(), Vec::new());
        for (offered, failed) in futures_util::future::join_all(asked).await {
            offers.extend(offered);
            failures.extend(failed);
        }
        super::compare(request, offers, failures)
    }
}

impl Quotes {
    #[cfg(feature = "transak")]
    pub(crate) fn transak_client(&self) -> Option<&ramp_transak::Client> {
        self.transak.as_ref()
    }

    #[cfg(feature = "koinal")]
    pub(crate) fn koinal_client(&self) -> Option<(&ramp_koinal::Client, &str)> {
        self.koinal
            .as_ref()
            .map(|(client, customer)| (client, customer.as_str()))
    }

    #[cfg(feature = "kryptonim")]
    pub(crate) fn kryptonim_client(&self) -> Option<&ramp_kryptonim::Client> {
        self.kryptonim.as_ref()
    }

    #[cfg(feature = "onramper")]
    pub(crate) fn onramper_client(&self) -> Option<&ramp_onramper::Client> {
        self.onramper.as_ref()
    }
}

impl std::fmt::Debug for Quotes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Quotes")
            .field("deadline", &self.deadline.unwrap_or(DEFAULT_DEADLINE))
            .finish_non_exhaustive()
    }
}

/// `asking`'s answer, or `quoter`'s timeout once `deadline` passed.
#[allow(dead_code)] // with no provider feature on, nobody is asked
async fn within(
    deadline: Duration,
    quoter: Quoter,
    asking: impl Future<Output = Answer>,
) -> Answer {
    match tokio::time::timeout(deadline, asking).await {
        Ok(answer) => answer,
        Err(_) => (
            Vec::new(),
            vec![Failure {
                quoter,
                ramp: None,
                refusal: Refusal::Timeout,
            }],
        ),
    }
}
