//! The emulator's shared state: its configuration, the store, the fault queue and the
//! request counters, behind one cheap-to-clone handle.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use uuid::Uuid;

use super::ApiError;
use super::faults::FaultQueue;
use super::operation::Operation;
use super::secret::RandomError;
use super::stats::Stats;
use super::store::Store;

/// Which product's API form the emulator serves.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Flavor {
    /// InfluxDB 3 Cloud Dedicated: management tokens under `/accounts/{accountId}`,
    /// token objects carry `accountId`.
    #[default]
    CloudDedicated,
    /// InfluxDB 3 Clustered: no account prefix, no `accountId` in token objects.
    Clustered,
    /// InfluxDB 3 Core: the `/api/v3` API (named admin tokens, databases, the
    /// `system.tokens` query) instead of the management API.
    Core,
    /// InfluxDB 3 Enterprise: Core's API plus resource tokens with permissions.
    Enterprise,
}

impl Flavor {
    /// Whether this is a self-hosted product, served by `/api/v3`.
    pub fn is_self_hosted(self) -> bool {
        matches!(self, Flavor::Core | Flavor::Enterprise)
    }
}

/// How to start the emulator; every field is optional.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// The API form to serve.
    pub flavor: Flavor,
    /// The account id; from the state file, else random.
    pub account_id: Option<Uuid>,
    /// The cluster id; from the state file, else random.
    pub cluster_id: Option<Uuid>,
    /// The bootstrap (admin) management token; from the state file, else random.
    /// It must be printable ASCII without spaces, as it travels in a header.
    pub bootstrap_token: Option<String>,
    /// Where to persist state; `None` keeps everything in memory.
    pub state_file: Option<PathBuf>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("flavor", &self.flavor)
            .field("account_id", &self.account_id)
            .field("cluster_id", &self.cluster_id)
            .field(
                "bootstrap_token",
                &self.bootstrap_token.as_ref().map(|_| "<redacted>"),
            )
            .field("state_file", &self.state_file)
            .finish()
    }
}

/// Why the emulator could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// The bootstrap token is empty or has characters a bearer token cannot carry.
    #[error("the bootstrap token must be non-empty printable ASCII without spaces")]
    InvalidBootstrapToken,
    /// The state file exists but cannot be read.
    #[error("cannot read state file {}: {source}", path.display())]
    UnreadableStateFile {
        /// The state file.
        path: PathBuf,
        /// What reading it failed with.
        source: std::io::Error,
    },
    /// The state file is not a state file this emulator wrote.
    #[error(
        "state file {} is corrupt ({reason}); fix or remove it, it is never replaced silently",
        path.display()
    )]
    CorruptStateFile {
        /// The state file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The state file cannot be written.
    #[error("cannot write state file {}: {source}", path.display())]
    UnwritableStateFile {
        /// The state file.
        path: PathBuf,
        /// What writing it failed with.
        source: std::io::Error,
    },
    /// The operating system's random number generator failed.
    #[error("cannot generate the bootstrap token")]
    Random(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl From<RandomError> for StartError {
    fn from(error: RandomError) -> Self {
        StartError::Random(Box::new(error))
    }
}

/// The state every handler shares. Cloning is cheap: all clones share one store.
#[derive(Clone)]
pub struct EmulatorState {
    inner: Arc<Inner>,
}

struct Inner {
    flavor: Flavor,
    account_id: Uuid,
    cluster_id: Uuid,
    bootstrap_token: String,
    // One lock for all tables keeps every change atomic, persistence included.
    store: Mutex<Store>,
    faults: Mutex<FaultQueue>,
    stats: Mutex<Stats>,
}

impl EmulatorState {
    /// Opens the state file of `config` (if any), applies the overrides of `config`
    /// and returns the state to serve.
    ///
    /// A missing state file is a fresh start; an unreadable or corrupt one is an error,
    /// never silently replaced.
    pub fn new(config: Config) -> Result<Self, StartError> {
        if let Some(token) = &config.bootstrap_token
            && (token.is_empty() || !token.bytes().all(|byte| byte.is_ascii_graphic()))
        {
            return Err(StartError::InvalidBootstrapToken);
        }
        let store = Store::open(&config)?;
        let data = store.data();
        let inner = Inner {
            flavor: config.flavor,
            account_id: data.account_id,
            cluster_id: data.cluster_id,
            bootstrap_token: data.bootstrap_token.clone(),
            store: Mutex::new(store),
            faults: Mutex::default(),
            stats: Mutex::new(Stats::listing(if config.flavor.is_self_hosted() {
                &Operation::SELF_HOSTED
            } else {
                &Operation::ALL
            })),
        };
        Ok(Self {
            inner: Arc::new(inner),
        })
    }

    /// The API form served.
    pub fn flavor(&self) -> Flavor {
        self.inner.flavor
    }

    /// The account id (in paths and token objects of the Cloud Dedicated form).
    pub fn account_id(&self) -> Uuid {
        self.inner.account_id
    }

    /// The cluster id (in the paths and objects of databases and database tokens of
    /// the Cloud Dedicated form).
    pub fn cluster_id(&self) -> Uuid {
        self.inner.cluster_id
    }

    /// The bootstrap token. A secret: print it on the ready line only, never log it.
    pub fn bootstrap_token(&self) -> &str {
        &self.inner.bootstrap_token
    }

    /// Runs `read` on the store under the lock. `read` must not block.
    pub(crate) fn read<R>(&self, read: impl FnOnce(&Store) -> R) -> R {
        read(&lock(&self.inner.store))
    }

    /// Runs `change` on the store under the lock, on a blocking thread: a change may
    /// write and fsync the state file.
    ///
    /// The change runs to the end even if the client goes away meanwhile, so memory
    /// and disk never disagree.
    pub(crate) async fn write<R: Send + 'static>(
        &self,
        change: impl FnOnce(&mut Store) -> Result<R, ApiError> + Send + 'static,
    ) -> Result<R, ApiError> {
        let state = self.clone();
        tokio::task::spawn_blocking(move || change(&mut lock(&state.inner.store)))
            .await
            .map_err(ApiError::internal)?
    }

    /// The fault queue, locked.
    pub(crate) fn faults(&self) -> MutexGuard<'_, FaultQueue> {
        lock(&self.inner.faults)
    }

    /// The request counters, locked.
    pub(crate) fn stats(&self) -> MutexGuard<'_, Stats> {
        lock(&self.inner.stats)
    }
}

impl std::fmt::Debug for EmulatorState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmulatorState")
            .field("flavor", &self.inner.flavor)
            .field("account_id", &self.inner.account_id)
            .field("cluster_id", &self.inner.cluster_id)
            .finish_non_exhaustive()
    }
}

/// Locks `mutex`, recovering from poisoning: every change is applied to a copy and
/// swapped in whole (see `Store::commit`), so a panic cannot leave a half-made change.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
