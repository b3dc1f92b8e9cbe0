//! `ramp track PROVIDER ORDER_ID`: follows an order to a final status by reading the
//! provider's status, printing one JSON line per status change; exits 0 after a final one.

use std::sync::Arc;
use std::time::Duration;

use clap::{Args, Subcommand};
use futures_util::StreamExt;
use ramp::Provider;
use ramp::track::{OrderRef, Schedule, StatusRead, track};

use super::proof::client as proof_client;
use super::transak::{Credentials, TransakHosts};
use super::{KoinalSecret, Output, ProofToken, Result, url};

/// The provider to read, with the flags its other commands take.
#[derive(Subcommand)]
pub(crate) enum Track {
    /// A Transak order (Get Order By ID).
    Transak {
        /// Transak's order id.
        order_id: String,
        #[command(flatten)]
        hosts: TransakHosts,
        #[command(flatten)]
        credentials: Credentials,
        #[command(flatten)]
        every: Every,
    },
    /// A Koinal order (`GET /orders/{id}/status`, with the Hash header of its customer).
    Koinal {
        /// Koinal's order id.
        order_id: String,
        /// The API's base URL.
        #[arg(long)]
        base_url: String,
        /// Your merchant code.
        #[arg(long)]
        merchant_code: u64,
        /// The customer reference the order was made for.
        #[arg(long)]
        customer_reference: String,
        #[command(flatten)]
        secret: KoinalSecret,
        #[command(flatten)]
        every: Every,
    },
    /// A Proof transaction (its status read).
    Proof {
        /// The transaction (merchant_transaction_id).
        merchant_transaction_id: String,
        /// The API's base URL.
        #[arg(long)]
        base_url: String,
        /// The Origin header to send.
        #[arg(long)]
        origin: Option<String>,
        #[command(flatten)]
        token: ProofToken,
        #[command(flatten)]
        every: Every,
    },
}

/// How often to read.
#[derive(Args)]
pub(crate) struct Every {
    /// The first wait between reads, in milliseconds; doubled while nothing changes, up to
    /// 60 times as much.
    #[arg(long, value_name = "N", default_value_t = 5000)]
    interval_ms: u64,
}

impl Every {
    fn schedule(&self) -> Schedule {
        let first = Duration::from_millis(self.interval_ms.max(1));
        Schedule {
            first,
            max: first.saturating_mul(60),
        }
    }
}

impl Track {
    /// Prints each change as it comes; the output is printed by then.
    pub(crate) async fn run(self) -> Result<Output> {
        match self {
            Self::Transak {
                order_id,
                hosts,
                credentials,
                every,
            } => {
                let client = credentials.client(&hosts, None)?;
                follow(
                    Provider::Transak,
                    Arc::new(client),
                    order_id,
                    every.schedule(),
                )
                .await
            }
            Self::Koinal {
                order_id,
                base_url,
                merchant_code,
                customer_reference,
                secret,
                every,
            } => {
                let client =
                    ramp::koinal::Client::builder(url(&base_url)?, merchant_code, secret.value()?)
                        .build()
                        .map_err(|err| err.to_string())?;
                let orders = ramp::track::KoinalOrders {
                    client,
                    customer_reference,
                };
                follow(
                    Provider::Koinal,
                    Arc::new(orders),
                    order_id,
                    every.schedule(),
                )
                .await
            }
            Self::Proof {
                merchant_transaction_id,
                base_url,
                origin,
                token,
                every,
            } => {
                let client = proof_client(&base_url, origin, &token)?;
                follow(
                    Provider::Proof,
                    Arc::new(client),
                    merchant_transaction_id,
                    every.schedule(),
                )
                .await
            }
        }
    }
}

async fn follow(
    provider: Provider,
    source: Arc<dyn StatusRead>,
    order_id: String,
    schedule: Schedule,
) -> Result<Output> {
    let (stream, _poke) = track(OrderRef::new(provider, order_id), source, schedule);
    let mut stream = Box::pin(stream);
    while let Some(item) = stream.next().await {
        let event = item.map_err(|err| err.to_string())?;
        println!(
            "{}",
            serde_json::to_string(&event).map_err(|err| err.to_string())?
        );
    }
    Ok(Output::printed())
}
