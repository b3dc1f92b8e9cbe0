//! Hands out tokens: cached, refreshed once at a time in this process (single flight) and,
//! through the store's lease, once at a time across every instance sharing the store.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use ramp_core::ExposeSecret as _;
use ramp_core::SecretString;
use tokio::sync::Mutex;

use crate::token::{AccessToken, BoxFuture, Clock, TokenStore, unix_time};
use crate::{Error, ErrorKind};

/// Fetches a new token from Transak.
pub(crate) type Fetch =
    Arc<dyn Fn() -> BoxFuture<'static, Result<AccessToken, Error>> + Send + Sync>;

/// How many times an instance that finds the lease taken waits for another's token before it
/// gives up: each wait lasts at most the lease's lifetime, and a lease whose holder died
/// expires within one, so three rounds cover a holder that died and one that is slow.
const LEASE_ROUNDS: usize = 3;

/// The result of the last refresh, shared with every task that waited for it.
struct LastRefresh {
    generation: u64,
    failure: Option<Arc<Error>>,
}

pub(crate) struct TokenManager {
    store: Arc<dyn TokenStore>,
    fetch: Option<Fetch>,
    clock: Clock,
    margin: Duration,
    started: AtomicU64,
    finished: AtomicU64,
    refresh: Mutex<LastRefresh>,
    previous: std::sync::Mutex<Option<AccessToken>>,
}

/// A token, and whether it was fetched for this very call (a 401 on a fresh token is not
/// worth another refresh).
pub(crate) struct Lease {
    pub(crate) token: AccessToken,
    pub(crate) fresh: bool,
}

fn store_error(err: crate::token::StoreError) -> Error {
    Error::from(ErrorKind::TokenStore(err.to_string()))
}

impl TokenManager {
    pub(crate) fn new(
        store: Arc<dyn TokenStore>,
        fetch: Option<Fetch>,
        clock: Clock,
        margin: Duration,
    ) -> Self {
        Self {
            store,
            fetch,
            clock,
            margin,
            started: AtomicU64::new(0),
            finished: AtomicU64::new(0),
            refresh: Mutex::new(LastRefresh {
                generation: 0,
                failure: None,
            }),
            previous: std::sync::Mutex::new(None),
        }
    }

    /// Whether this manager can fetch a new token (not with a fixed token).
    pub(crate) fn can_refresh(&self) -> bool {
        self.fetch.is_some()
    }

    fn now(&self) -> SystemTime {
        unix_time(&self.clock)
    }

    fn usable(&self, token: &AccessToken) -> bool {
        self.now() < token.refresh_at(self.margin)
    }

    async fn load(&self) -> Result<Option<AccessToken>, Error> {
        self.store.load().await.map_err(store_error)
    }

    /// A usable token from the store that is not `rejected`.
    async fn usable_stored(
        &self,
        rejected: Option<&SecretString>,
    ) -> Result<Option<AccessToken>, Error> {
        Ok(self
            .load()
            .await?
            .filter(|token| rejected.is_none_or(|r| !token.same_as(r)) && self.usable(token)))
    }

    /// A usable token: the stored one, or one refresh shared by every waiting task.
    pub(crate) async fn token(&self) -> Result<Lease, Error> {
        if let Some(token) = self.usable_stored(None).await? {
            return Ok(Lease {
                token,
                fresh: false,
            });
        }
        self.refresh_unless(None).await
    }

    /// After Transak rejected `rejected` with 401: a newer stored token if another task or
    /// instance fetched one, otherwise one refresh.
    pub(crate) async fn replace(&self, rejected: &SecretString) -> Result<Lease, Error> {
        self.refresh_unless(Some(rejected)).await
    }

    async fn refresh_unless(&self, rejected: Option<&SecretString>) -> Result<Lease, Error> {
        // The refresh whose result this call will take: the one in flight, if any, or else
        // the next one. Read before waiting, so a refresh that finishes while this task waits
        // serves it instead of being repeated.
        let started = self.started.load(Ordering::SeqCst);
        let finished = self.finished.load(Ordering::SeqCst);
        let wanted = if started > finished {
            started
        } else {
            finished + 1
        };
        let mut last = self.refresh.lock().await;
        if last.generation >= wanted {
            if let Some(failure) = &last.failure {
                return Err(Error::from(ErrorKind::TokenRefresh(Arc::clone(failure))));
            }
            if let Some(token) = self.load().await? {
                return Ok(Lease { token, fresh: true });
            }
        }
        let Some(fetch) = &self.fetch else {
            if let Some(token) = self.usable_stored(rejected).await? {
                return Ok(Lease {
                    token,
                    fresh: false,
                });
            }
            // A fixed token that expired or was rejected: nothing can replace it.
            return Err(Error::from(ErrorKind::TokenRefresh(Arc::new(
                Error::validation(
                    "access-token",
                    "the fixed access token was rejected or has expired; supply a new one",
                ),
            ))));
        };
        let generation = self.started.fetch_add(1, Ordering::SeqCst) + 1;
        let result = self.refresh_across_instances(fetch, rejected).await;
        last.generation = generation;
        self.finished.store(generation, Ordering::SeqCst);
        match result {
            Ok(lease) => {
                last.failure = None;
                Ok(lease)
            }
            Err(err) => {
                let err = match err.into_kind() {
                    ErrorKind::TokenRefresh(inner) => inner,
                    other => Arc::new(other.into()),
                };
                last.failure = Some(Arc::clone(&err));
                Err(Error::from(ErrorKind::TokenRefresh(err)))
            }
        }
    }

    /// One refresh for every instance sharing the store: a newer stored token if there is
    /// one; else the lease, a second look, the fetch, the save; else a wait for the holder's
    /// token, and a new claim if the holder died.
    async fn refresh_across_instances(
        &self,
        fetch: &Fetch,
        rejected: Option<&SecretString>,
    ) -> Result<Lease, Error> {
        for _ in 0..LEASE_ROUNDS {
            if let Some(token) = self.usable_stored(rejected).await? {
                return Ok(Lease {
                    token,
                    fresh: false,
                });
            }
            match self.store.try_lease().await.map_err(store_error)? {
                Some(lease) => {
                    // Another instance may have saved a token between the look and the claim.
                    let result = match self.usable_stored(rejected).await {
                        Ok(Some(token)) => Ok(Lease {
                            token,
                            fresh: false,
                        }),
                        Ok(None) => self.fetch_and_save(fetch).await,
                        Err(err) => Err(err),
                    };
                    let released = self.store.release(lease).await.map_err(store_error);
                    let lease = result?;
                    released?;
                    return Ok(lease);
                }
                None => {
                    let current = self.load().await?;
                    let other_than = rejected.or(current.as_ref().map(AccessToken::secret));
                    let waited = self
                        .store
                        .wait_for_token(other_than)
                        .await
                        .map_err(store_error)?;
                    if let Some(token) = waited.filter(|token| self.usable(token)) {
                        return Ok(Lease { token, fresh: true });
                    }
                }
            }
        }
        Err(Error::from(ErrorKind::TokenStore(
            "another instance holds the refresh lease, and no new token arrived while waiting"
                .into(),
        )))
    }

    async fn fetch_and_save(&self, fetch: &Fetch) -> Result<Lease, Error> {
        let issued = self.now();
        let token = fetch().await.map(|token| match token.issued_at_system() {
            Some(_) => token,
            None => token.issued(issued),
        })?;
        let old = self.load().await.ok().flatten();
        self.store.save(token.clone()).await.map_err(store_error)?;
        if let (Some(old), Ok(mut previous)) = (old, self.previous.lock()) {
            *previous = Some(old);
        }
        Ok(Lease { token, fresh: true })
    }

    /// The current token and the one it replaced in this process, for webhook verification.
    pub(crate) async fn webhook_tokens(&self) -> Result<Vec<SecretString>, Error> {
        let mut tokens = Vec::new();
        if let Some(current) = self.load().await? {
            tokens.push(current.secret().clone());
        }
        if let Ok(previous) = self.previous.lock()
            && let Some(previous) = previous.as_ref()
        {
            tokens.push(previous.secret().clone());
        }
        // A store shared with other processes knows what a refresh there replaced; a store
        // that fails to say is no reason to refuse what the current token verifies.
        if let Ok(Some(previous)) = self.store.load_previous().await
            && !tokens
                .iter()
                .any(|known| known.expose_secret() == previous.secret().expose_secret())
        {
            tokens.push(previous.secret().clone());
        }
        Ok(tokens)
    }
}
