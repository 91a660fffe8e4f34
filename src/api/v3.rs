//! Wire types of the `/api/v3` HTTP API of the self-hosted products, InfluxDB 3
//! Core and InfluxDB 3 Enterprise (`core-v3-openapi.yaml`,
//! `enterprise-v3-openapi.yaml`): tokens, databases and the SQL query that
//! lists tokens. Field names follow the API (snake_case JSON).

use serde::{Deserialize, Serialize};

/// `POST /api/v3/configure/token/named_admin`: a named admin token.
pub const NAMED_ADMIN_TOKEN_PATH: &str = "/api/v3/configure/token/named_admin";
/// `POST /api/v3/enterprise/configure/token`: a resource token (Enterprise only).
pub const RESOURCE_TOKEN_PATH: &str = "/api/v3/enterprise/configure/token";
/// `DELETE /api/v3/configure/token?token_name=...`: deletes a token by name.
pub const TOKEN_PATH: &str = "/api/v3/configure/token";
/// `GET|POST|PUT|DELETE /api/v3/configure/database`.
pub const DATABASE_PATH: &str = "/api/v3/configure/database";
/// `DELETE /api/v3/configure/database/retention_period?db=...`.
pub const DATABASE_RETENTION_PATH: &str = "/api/v3/configure/database/retention_period";
/// `POST /api/v3/query_sql`.
pub const QUERY_SQL_PATH: &str = "/api/v3/query_sql";

/// The database that holds the system tables.
pub const INTERNAL_DATABASE: &str = "_internal";
/// The query that lists tokens, as `influxdb3 show tokens` sends it.
pub const LIST_TOKENS_QUERY: &str = "SELECT * FROM system.tokens";

/// The `permissions` of an admin token in `system.tokens`.
pub const ADMIN_PERMISSIONS: &str = "*:*:*";

/// Body of `POST /api/v3/configure/token/named_admin`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateNamedAdminTokenRequest {
    /// The token's name, unique on the server.
    pub token_name: String,
    /// Seconds until the token expires; `None` never expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry_secs: Option<i64>,
}

/// One permission of a resource token (`PermissionDetailsApi`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenPermission {
    /// `db` or `system`.
    pub resource_type: String,
    /// Database names (or system endpoints); `*` for all.
    pub resource_names: Vec<String>,
    /// `read` and/or `write`.
    pub actions: Vec<String>,
}

/// Body of `POST /api/v3/enterprise/configure/token`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateResourceTokenRequest {
    /// The token's name, unique on the server.
    pub token_name: String,
    /// What the token may do.
    pub permissions: Vec<TokenPermission>,
    /// Seconds until the token expires; `None` never expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry_secs: Option<i64>,
}

/// The response to a token create (`AdminTokenObject`, and the resource-token
/// response, which adds `token_name`, `permissions` and `expiry_secs`).
///
/// Its `Debug` redacts the secret.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedToken {
    /// The server's numeric id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<u64>,
    /// The token's name (admin token form).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The token's name (resource token form).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_name: Option<String>,
    /// The secret, returned once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// A short hash that identifies the token without revealing it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
    /// RFC 3339 creation time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// RFC 3339 expiry; `None` never expires.
    #[serde(default)]
    pub expiry: Option<String>,
    /// The permissions (resource tokens).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Vec<TokenPermission>>,
    /// The requested lifetime (resource tokens).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry_secs: Option<i64>,
}

impl std::fmt::Debug for CreatedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreatedToken")
            .field("id", &self.id)
            .field("name", &self.name.as_ref().or(self.token_name.as_ref()))
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("created_at", &self.created_at)
            .field("expiry", &self.expiry)
            .finish_non_exhaustive()
    }
}

/// Body of `POST /api/v3/query_sql` (`QueryRequestObject`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueryRequest {
    /// The database to query.
    pub db: String,
    /// The SQL text.
    pub q: String,
    /// The response format; the provider asks for `json` (an array of row objects).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
}

/// One row of `system.tokens` (format `json`: null columns are left out).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRow {
    /// The server's numeric id.
    pub token_id: u64,
    /// The token's name.
    pub name: String,
    /// A short hash of the secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
    /// Creation time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// Expiry time; absent when the token never expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry: Option<String>,
    /// `*:*:*` for admin tokens, else `TYPE:NAMES:ACTIONS` entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions: Option<String>,
}

impl TokenRow {
    /// Whether this is an admin token (operator or named admin).
    pub fn is_admin(&self) -> bool {
        self.permissions.as_deref() == Some(ADMIN_PERMISSIONS)
    }
}

/// Body of `POST /api/v3/configure/database` (`CreateDatabaseRequest`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateDatabaseRequest {
    /// The database name.
    pub db: String,
    /// How long data is kept, e.g. `7d`; `None` keeps it forever.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_period: Option<String>,
}

/// Body of `PUT /api/v3/configure/database` (`UpdateDatabaseRequest`, which
/// names the database in `db` as the server expects).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateDatabaseRequest {
    /// The database name.
    pub db: String,
    /// The new retention period.
    pub retention_period: String,
}

/// The response of `GET /api/v3/configure/database?format=json`
/// (`ShowDatabasesResponse`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShowDatabasesResponse {
    /// Names of the active databases.
    pub databases: Vec<String>,
}

/// The error body of the v3 API (`ErrorMessage`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct V3ErrorBody {
    /// What went wrong. Never contains a secret.
    pub error: String,
}

/// The name the servers give the operator token (the first admin token, made
/// by `influxdb3 create token --admin`), which the server does not delete; the
/// provider neither lists it for import nor asks to delete it.
pub const OPERATOR_TOKEN_NAME: &str = "_admin";
