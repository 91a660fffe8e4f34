//! Wire types of the InfluxDB 3 management API (`/api/v0`).
//!
//! Shared by the provider's HTTP client and the emulator, and nothing else: the
//! emulator must not depend on provider code, and the client must not depend on
//! the emulator. Field names follow the API (camelCase JSON); see
//! `docs/management-api.md` for the contract.

mod database;
mod database_token;
mod management_token;
mod secret;
pub mod v3;
pub mod v3_caches;
pub mod v3_tables;

pub use database::{
    CreateDatabaseRequest, CreateTableRequest, DEFAULT_MAX_COLUMNS_PER_TABLE, DEFAULT_MAX_TABLES,
    DEFAULT_RETENTION_PERIOD, Database, PartitionBucket, PartitionTemplatePart, RenameRequest,
    Table, UpdateDatabaseRequest,
};
pub use database_token::{
    ACTION_READ, ACTION_WRITE, ALL_DATABASES, CreateDatabaseTokenRequest, DatabaseToken,
    DatabaseTokenPermission, UpdateDatabaseTokenRequest,
};
pub use management_token::{CreateManagementTokenRequest, ManagementToken};
pub use secret::{REDACTED, Secret};

use serde::{Deserialize, Serialize};

/// The error body the API returns with every non-2xx status.
///
/// ```json
/// {"code": 409, "message": "token already revoked"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// The HTTP status code, repeated.
    pub code: u16,
    /// A human-readable message. Never contains a secret.
    pub message: String,
}

/// Path of the API root below the configured URL.
pub const API_BASE_PATH: &str = "/api/v0";

/// The header that makes a create idempotent.
pub const IDEMPOTENCY_KEY_HEADER: &str = "Idempotency-Key";
