//! Proof reads under way, shared by concurrent deliveries for one transaction.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Proof reads under way, by transaction id: a delivery for a transaction being read waits
/// for that read instead of making its own.
#[derive(Default)]
pub(super) struct ProofReads(Mutex<HashMap<String, Arc<ProofRead>>>);

type ProofRead = tokio::sync::OnceCell<Arc<Result<ramp_proof::Transaction, ramp_proof::Error>>>;

impl ProofReads {
    pub(super) async fn read(
        &self,
        client: &ramp_proof::Client,
        id: &str,
    ) -> Arc<Result<ramp_proof::Transaction, ramp_proof::Error>> {
        let cell = match self.0.lock() {
            Ok(mut reads) => Arc::clone(reads.entry(id.to_owned()).or_default()),
            Err(_) => Arc::default(), // poisoned: read alone
        };
        // The entry goes when this caller is done, or dropped (a provider hanging up): a
        // hint for a new id leaves nothing behind.
        let _forget = Forget {
            reads: self,
            id,
            cell: Arc::clone(&cell),
        };
        cell.get_or_init(|| async { Arc::new(client.transaction(id).await) })
            .await
            .clone()
    }
}

/// Removes a read's entry when the read is done or dropped, unless a newer read took its place.
struct Forget<'a> {
    reads: &'a ProofReads,
    id: &'a str,
    cell: Arc<ProofRead>,
}

impl Drop for Forget<'_> {
    fn drop(&mut self) {
        if let Ok(mut reads) = self.reads.0.lock()
            && reads
                .get(self.id)
                .is_some_and(|held| Arc::ptr_eq(held, &self.cell))
        {
            reads.remove(self.id);
        }
    }
}
