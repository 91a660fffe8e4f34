//! The emulator's data: one table per resource, one lock around all of them, and the
//! state file behind them.
//!
//! Every change goes through [`Store::commit`], which applies it to a copy, writes the
//! copy to the state file (when there is one) and only then makes it current. So a
//! response is never sent for a change that is not on disk, and a failed write leaves
//! memory and disk agreeing. Each resource has its own table in [`StateData`] and its
//! own `impl Store` file: `management_tokens.rs`, `databases.rs` (databases and their
//! tables), `database_tokens.rs`.

mod database_tokens;
mod databases;
mod idempotency;
mod management_tokens;
mod partition_template;
mod self_hosted;
mod self_hosted_caches;
mod self_hosted_tables;
mod state_file;
mod tables;

use chrono::{DateTime, Utc};
use uuid::Uuid;

pub(crate) use self::database_tokens::database_token_not_found;
pub(crate) use self::databases::database_not_found;
pub(crate) use self::management_tokens::token_not_found;
pub(crate) use self::self_hosted::is_admin;
pub(crate) use self::self_hosted_caches::CacheKind;
use self::state_file::{FORMAT_VERSION, StateFile};
pub(crate) use self::state_file::{StateData, StoredDatabase, StoredDatabaseToken, StoredTable};
pub(crate) use self::tables::table_not_found;
use super::secret::{digest_of, generate_secret};
use super::{ApiError, BOOTSTRAP_IDENTITY_ID, Config, Flavor, StartError};

/// Who a request authenticated as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Identity {
    /// The bootstrap token given on the command line (or generated at first start).
    Bootstrap,
    /// A management token minted by this emulator, by id.
    ManagementToken(Uuid),
    /// A named admin token of the self-hosted products, by id.
    V3AdminToken(u64),
    /// A resource token of InfluxDB 3 Enterprise, by id.
    V3ResourceToken(u64),
}

impl Identity {
    /// The id recorded as `createdBy` for what this identity creates.
    pub(crate) fn id(self) -> Uuid {
        match self {
            Identity::Bootstrap => BOOTSTRAP_IDENTITY_ID,
            Identity::ManagementToken(id) => id,
            Identity::V3AdminToken(id) | Identity::V3ResourceToken(id) => {
                Uuid::from_u64_pair(0, id)
            }
        }
    }
}

/// All tables, plus where they are persisted.
#[derive(Debug)]
pub(crate) struct Store {
    flavor: Flavor,
    data: StateData,
    bootstrap_digest: String,
    state_file: Option<StateFile>,
}

impl Store {
    /// Loads the state file named in `config` (if any and if it exists), applies the
    /// overrides of `config`, fills in random ids and a random bootstrap token where
    /// neither gives one, and writes the result back so that the next start sees it.
    pub(crate) fn open(config: &Config) -> Result<Self, StartError> {
        let state_file = config.state_file.clone().map(StateFile::new);
        let loaded = match &state_file {
            Some(file) => file.load()?,
            None => None,
        };
        let bootstrap_token = match (&config.bootstrap_token, &loaded) {
            (Some(token), _) => token.clone(),
            (None, Some(loaded)) => loaded.bootstrap_token.clone(),
            (None, None) => generate_secret()?,
        };
        let data = match loaded {
            Some(loaded) => StateData {
                account_id: config.account_id.unwrap_or(loaded.account_id),
                cluster_id: config.cluster_id.unwrap_or(loaded.cluster_id),
                bootstrap_token,
                ..loaded
            },
            None => StateData {
                format_version: FORMAT_VERSION,
                account_id: config.account_id.unwrap_or_else(Uuid::new_v4),
                cluster_id: config.cluster_id.unwrap_or_else(Uuid::new_v4),
                bootstrap_token,
                management_tokens: Vec::new(),
                idempotency: Vec::new(),
                databases: Vec::new(),
                tables: Vec::new(),
                database_tokens: Vec::new(),
                v3_tokens: Vec::new(),
                v3_databases: Vec::new(),
                v3_next_token_id: 1,
                v3_tables: Vec::new(),
            },
        };
        if let (Some(file), Some(path)) = (&state_file, &config.state_file) {
            file.save(&data)
                .map_err(|source| StartError::UnwritableStateFile {
                    path: path.clone(),
                    source,
                })?;
        }
        Ok(Self {
            flavor: config.flavor,
            bootstrap_digest: digest_of(&data.bootstrap_token),
            data,
            state_file,
        })
    }

    /// The current data, read-only.
    pub(crate) fn data(&self) -> &StateData {
        &self.data
    }

    /// Who `secret` authenticates as at `now`: the bootstrap token, or a management
    /// token that is neither revoked nor expired.
    pub(crate) fn authenticate(&self, secret: &str, now: DateTime<Utc>) -> Option<Identity> {
        let digest = digest_of(secret);
        if digest == self.bootstrap_digest {
            return Some(Identity::Bootstrap);
        }
        if self.flavor.is_self_hosted() {
            return self.authenticate_v3(&digest, now);
        }
        self.data
            .management_tokens
            .iter()
            .find(|token| token.secret_sha256 == digest)
            .filter(|token| {
                token.revoked_at.is_none() && token.expires_at.is_none_or(|expiry| expiry > now)
            })
            .map(|token| Identity::ManagementToken(token.id))
    }

    /// Applies `change` to a copy of the data, persists the copy, then makes it current.
    ///
    /// When `change` or the write fails nothing changes, in memory or on disk.
    fn commit<R>(
        &mut self,
        change: impl FnOnce(&mut StateData) -> Result<R, ApiError>,
    ) -> Result<R, ApiError> {
        let mut next = self.data.clone();
        let result = change(&mut next)?;
        if let Some(file) = &self.state_file {
            file.save(&next)
                .map_err(|error| ApiError::internal(format!("writing the state file: {error}")))?;
        }
        self.data = next;
        Ok(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config_with_file(path: std::path::PathBuf) -> Config {
        Config {
            state_file: Some(path),
            ..Config::default()
        }
    }

    #[test]
    fn a_fresh_start_writes_the_state_file() {
        let directory = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
        let path = directory.path().join("state.json");
        let first = Store::open(&config_with_file(path.clone()));
        assert!(first.is_ok());
        assert!(path.exists());
        let second = Store::open(&config_with_file(path));
        assert_eq!(
            first.ok().map(|store| store.data),
            second.ok().map(|store| store.data),
            "a restart sees the same ids and bootstrap token"
        );
    }

    #[test]
    fn flags_override_the_state_file() {
        let directory = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
        let path = directory.path().join("state.json");
        assert!(Store::open(&config_with_file(path.clone())).is_ok());
        let account_id = Uuid::new_v4();
        let config = Config {
            account_id: Some(account_id),
            bootstrap_token: Some("other".to_owned()),
            ..config_with_file(path)
        };
        let store = Store::open(&config).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(store.data.account_id, account_id);
        assert_eq!(store.data.bootstrap_token, "other");
        assert_eq!(
            store.authenticate("other", Utc::now()),
            Some(Identity::Bootstrap)
        );
    }

    #[test]
    fn a_missing_directory_is_a_start_error() {
        let directory = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
        let path = directory.path().join("missing").join("state.json");
        let opened = Store::open(&config_with_file(path));
        assert!(matches!(
            opened,
            Err(StartError::UnwritableStateFile { .. })
        ));
    }
}
