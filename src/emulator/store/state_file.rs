//! The state file: what the store persists, and how it reaches the disk durably.
//!
//! The format is the emulator's own JSON document ([`StateData`]), versioned by
//! `format_version`. It holds secrets in three places, all on purpose: the bootstrap
//! token (it must be printed again on the ready line after a restart), the digest of
//! every minted token (enough to authenticate it, not to recover it), and, for 24 hours,
//! the create responses kept for `Idempotency-Key` replays (a replay must return the
//! same `accessToken`). The file is therefore created with mode 0600.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub(crate) use super::database_tokens::StoredDatabaseToken;
pub(crate) use super::databases::StoredDatabase;
pub(crate) use super::tables::StoredTable;
use crate::emulator::StartError;

use super::self_hosted::{StoredV3Database, StoredV3Token};
use super::self_hosted_tables::StoredV3Table;

/// The only format version this emulator reads and writes.
pub(crate) const FORMAT_VERSION: u32 = 1;

/// Everything the emulator persists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StateData {
    /// Always [`FORMAT_VERSION`].
    pub(crate) format_version: u32,
    pub(crate) account_id: Uuid,
    pub(crate) cluster_id: Uuid,
    /// The bootstrap token in clear: the ready line prints it again after a restart.
    pub(crate) bootstrap_token: String,
    /// Management tokens in creation order.
    #[serde(default)]
    pub(crate) management_tokens: Vec<StoredManagementToken>,
    /// Remembered results of creates that carried an `Idempotency-Key`.
    #[serde(default)]
    pub(crate) idempotency: Vec<IdempotencyRecord>,
    /// Added after format 1 was first written: absent in older files, which load as
    /// having none.
    #[serde(default)]
    pub(crate) databases: Vec<StoredDatabase>,
    #[serde(default)]
    pub(crate) tables: Vec<StoredTable>,
    #[serde(default)]
    pub(crate) database_tokens: Vec<StoredDatabaseToken>,
    /// Tokens of the self-hosted products (Core, Enterprise), in creation order.
    #[serde(default)]
    pub(crate) v3_tokens: Vec<StoredV3Token>,
    /// Databases of the self-hosted products, deleted ones included.
    #[serde(default)]
    pub(crate) v3_databases: Vec<StoredV3Database>,
    /// The id the next v3 token gets (the operator token is 0).
    #[serde(default)]
    pub(crate) v3_next_token_id: u64,
    /// Tables of the self-hosted products' databases, deleted ones included.
    #[serde(default)]
    pub(crate) v3_tables: Vec<StoredV3Table>,
}

/// A management token as stored: the API fields minus the secret, plus its digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StoredManagementToken {
    pub(crate) id: Uuid,
    pub(crate) description: String,
    pub(crate) token_prefix: String,
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) created_by: Uuid,
    #[serde(default)]
    pub(crate) expires_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub(crate) revoked_at: Option<DateTime<Utc>>,
    /// Hex SHA-256 of the secret; see `secret::digest_of`.
    pub(crate) secret_sha256: String,
}

/// The first result of an idempotent request, replayed for a retry with the same key.
///
/// Request and response are kept as JSON values so that every resource's creates can
/// share one table.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct IdempotencyRecord {
    pub(crate) key: String,
    /// The operation the key was used for (e.g. `create_management_token`).
    pub(crate) operation: String,
    /// The parsed request body, to tell a retry from a different request.
    pub(crate) request: serde_json::Value,
    /// The response body sent the first time (it includes the secret).
    pub(crate) response: serde_json::Value,
    pub(crate) created_at: DateTime<Utc>,
}

impl std::fmt::Debug for IdempotencyRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The response carries a secret; the key and operation are enough to debug.
        f.debug_struct("IdempotencyRecord")
            .field("key", &self.key)
            .field("operation", &self.operation)
            .field("created_at", &self.created_at)
            .finish_non_exhaustive()
    }
}

/// Where the state lives on disk.
#[derive(Debug, Clone)]
pub(crate) struct StateFile {
    path: PathBuf,
}

impl StateFile {
    pub(crate) fn new(path: PathBuf) -> Self {
        Self { path }
    }

    /// Reads the state; `Ok(None)` when the file does not exist (a fresh start).
    ///
    /// Anything else that goes wrong is an error: a corrupt file is never silently
    /// replaced, since that would throw away every token it holds.
    pub(crate) fn load(&self) -> Result<Option<StateData>, StartError> {
        let bytes = match fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(StartError::UnreadableStateFile {
                    path: self.path.clone(),
                    source,
                });
            }
        };
        let corrupt = |reason: String| StartError::CorruptStateFile {
            path: self.path.clone(),
            reason,
        };
        // Check the version first, so that a future format gets a clear message rather
        // than a complaint about some field.
        let document: serde_json::Value =
            serde_json::from_slice(&bytes).map_err(|error| corrupt(error.to_string()))?;
        let version = document.get("format_version").and_then(|v| v.as_u64());
        if version != Some(u64::from(FORMAT_VERSION)) {
            return Err(corrupt(format!(
                "format_version is {}, this emulator reads {FORMAT_VERSION}",
                version.map_or_else(|| "missing".to_owned(), |v| v.to_string())
            )));
        }
        let data: StateData =
            serde_json::from_value(document).map_err(|error| corrupt(error.to_string()))?;
        if data.bootstrap_token.is_empty() {
            return Err(corrupt("bootstrap_token is empty".to_owned()));
        }
        Ok(Some(data))
    }

    /// Writes `data` durably: a temporary file in the same directory, fsync, rename over
    /// the old file, fsync the directory. A crash at any point leaves either the old or
    /// the new state, never a mix.
    pub(crate) fn save(&self, data: &StateData) -> io::Result<()> {
        let bytes = serde_json::to_vec_pretty(data).map_err(io::Error::other)?;
        let temporary = self.temporary_path();
        let written = write_synced(&temporary, &bytes).and_then(|()| {
            fs::rename(&temporary, &self.path)?;
            sync_directory(self.directory())
        });
        if written.is_err() {
            // Best effort: a stale temporary file is harmless, it is overwritten next time.
            let _ = fs::remove_file(&temporary);
        }
        written
    }

    fn directory(&self) -> &Path {
        match self.path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        }
    }

    fn temporary_path(&self) -> PathBuf {
        let mut name = self
            .path
            .file_name()
            .map(|name| name.to_os_string())
            .unwrap_or_default();
        name.push(".tmp");
        self.directory().join(name)
    }
}

fn write_synced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

fn sync_directory(directory: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(directory)?.sync_all()
    }
    // Other platforms cannot open a directory for syncing; rename is the best they get.
    #[cfg(not(unix))]
    {
        let _ = directory;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> StateData {
        StateData {
            format_version: FORMAT_VERSION,
            account_id: Uuid::new_v4(),
            cluster_id: Uuid::new_v4(),
            bootstrap_token: "bootstrap".to_owned(),
            management_tokens: Vec::new(),
            idempotency: Vec::new(),
            databases: Vec::new(),
            tables: Vec::new(),
            database_tokens: Vec::new(),
            v3_tokens: Vec::new(),
            v3_databases: Vec::new(),
            v3_next_token_id: 1,
            v3_tables: Vec::new(),
        }
    }

    #[test]
    fn a_file_written_before_databases_existed_still_loads() {
        let directory = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
        let path = directory.path().join("state.json");
        let old = serde_json::json!({
            "format_version": FORMAT_VERSION,
            "account_id": Uuid::new_v4(),
            "cluster_id": Uuid::new_v4(),
            "bootstrap_token": "bootstrap",
            "management_tokens": [],
            "idempotency": [],
        });
        assert!(fs::write(&path, old.to_string()).is_ok());
        let loaded = StateFile::new(path).load().ok().flatten();
        let loaded = loaded.unwrap_or_else(|| panic!("the old file does not load"));
        assert!(loaded.databases.is_empty());
        assert!(loaded.tables.is_empty());
        assert!(loaded.database_tokens.is_empty());
    }

    #[test]
    fn missing_file_is_a_fresh_start() {
        let directory = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
        let file = StateFile::new(directory.path().join("state.json"));
        assert!(matches!(file.load(), Ok(None)));
    }

    #[test]
    fn saved_state_loads_back_and_leaves_no_temporary_file() {
        let directory = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
        let file = StateFile::new(directory.path().join("state.json"));
        let data = sample();
        assert!(file.save(&data).is_ok());
        assert_eq!(file.load().ok().flatten(), Some(data));
        let names: Vec<_> = fs::read_dir(directory.path())
            .into_iter()
            .flatten()
            .flatten()
            .map(|entry| entry.file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("state.json")]);
    }

    #[test]
    fn corrupt_or_foreign_files_are_errors() {
        let directory = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
        let path = directory.path().join("state.json");
        let file = StateFile::new(path.clone());
        for (name, content) in [
            ("not json", "{not json".to_owned()),
            ("wrong version", r#"{"format_version": 99}"#.to_owned()),
            ("no version", "{}".to_owned()),
            (
                "missing field",
                format!(r#"{{"format_version": {FORMAT_VERSION}}}"#),
            ),
        ] {
            assert!(fs::write(&path, content).is_ok());
            assert!(
                matches!(file.load(), Err(StartError::CorruptStateFile { .. })),
                "{name}"
            );
        }
    }
}
