//! Wire types of the last value caches and distinct value caches of the
//! `/api/v3` API of InfluxDB 3 Core and Enterprise: create and delete, and the
//! rows of the `system.last_caches` and `system.distinct_caches` tables of a
//! database, which is how the servers show them (`influxdb3 show system table
//! last_caches` queries the same tables).

use serde::{Deserialize, Serialize};

/// `POST|DELETE /api/v3/configure/last_cache`.
pub const LAST_CACHE_PATH: &str = "/api/v3/configure/last_cache";
/// `POST|DELETE /api/v3/configure/distinct_cache`.
pub const DISTINCT_CACHE_PATH: &str = "/api/v3/configure/distinct_cache";

/// The query that lists a database's last value caches.
pub const LAST_CACHES_QUERY: &str = "SELECT * FROM system.last_caches";
/// The query that lists a database's distinct value caches.
pub const DISTINCT_CACHES_QUERY: &str = "SELECT * FROM system.distinct_caches";

/// Body of `POST /api/v3/configure/last_cache` (`LastCacheCreateRequest`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastCacheCreateRequest {
    /// The database.
    pub db: String,
    /// The table.
    pub table: String,
    /// The cache's name; the server makes one up without it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The columns that identify a series in the cache (default: the table's tags).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_columns: Option<Vec<String>>,
    /// The columns cached (default: every column that is not a key column).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_columns: Option<Vec<String>>,
    /// How many values are kept per key (1 to 10; default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    /// Seconds an entry lives (default 4 hours).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl: Option<u64>,
}

/// Body of `POST /api/v3/configure/distinct_cache` (`DistinctCacheCreateRequest`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DistinctCacheCreateRequest {
    /// The database.
    pub db: String,
    /// The table.
    pub table: String,
    /// The cache's name; the server makes one up without it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The columns whose distinct values are cached, in hierarchy order.
    pub columns: Vec<String>,
    /// The most distinct value combinations kept (default 100000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_cardinality: Option<u64>,
    /// Seconds a value is kept (default 1 day).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_age: Option<u64>,
}

/// Body of the `DELETE` of either cache kind (`LastCacheDeleteRequest`,
/// `DistinctCacheDeleteRequest`): the same names as its query parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheDeleteRequest {
    /// The database.
    pub db: String,
    /// The table.
    pub table: String,
    /// The cache.
    pub name: String,
}

/// One row of `system.last_caches` (format `json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastCacheRow {
    /// The table the cache belongs to.
    pub table: String,
    /// The cache's name.
    pub name: String,
    /// The server's ids of the key columns.
    #[serde(default)]
    pub key_column_ids: Vec<u32>,
    /// The key columns.
    #[serde(default)]
    pub key_column_names: Vec<String>,
    /// The server's ids of the value columns.
    #[serde(default)]
    pub value_column_ids: Vec<u32>,
    /// The value columns.
    #[serde(default)]
    pub value_column_names: Vec<String>,
    /// Values kept per key.
    pub count: u64,
    /// Seconds an entry lives.
    pub ttl: u64,
}

/// One row of `system.distinct_caches` (format `json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DistinctCacheRow {
    /// The table the cache belongs to.
    pub table: String,
    /// The cache's name.
    pub name: String,
    /// The server's ids of the columns.
    #[serde(default)]
    pub column_ids: Vec<u32>,
    /// The columns.
    #[serde(default)]
    pub column_names: Vec<String>,
    /// The most distinct value combinations kept.
    pub max_cardinality: u64,
    /// Seconds a value is kept.
    pub max_age_seconds: u64,
}
