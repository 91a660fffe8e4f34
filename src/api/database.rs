//! Databases and tables of a cluster, as the published Management API names them.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The `maxTables` a database gets when the create request does not say.
pub const DEFAULT_MAX_TABLES: i32 = 500;

/// The `maxColumnsPerTable` a database gets when the create request does not say.
pub const DEFAULT_MAX_COLUMNS_PER_TABLE: i32 = 200;

/// The `retentionPeriod` a database gets when the create request does not say:
/// 0, infinite retention.
pub const DEFAULT_RETENTION_PERIOD: i64 = 0;

/// A database of a cluster.
///
/// The create, list and update responses carry no `id`; the rename and undelete
/// responses do. `accountId` and `clusterId` are absent in the Clustered form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Database {
    /// The account; Cloud Dedicated only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<Uuid>,
    /// The cluster; Cloud Dedicated only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_id: Option<Uuid>,
    /// The numeric id (≥ 1); only in rename and undelete responses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// The name, unique among the cluster's databases.
    pub name: String,
    /// The most tables the database may hold.
    pub max_tables: i32,
    /// The most columns a table of the database may have.
    pub max_columns_per_table: i32,
    /// How long data is kept, in nanoseconds; 0 is forever.
    #[serde(default)]
    pub retention_period: i64,
    /// How data is partitioned; absent for the default (by day). Fixed at creation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_template: Option<Vec<PartitionTemplatePart>>,
}

/// Body of `POST .../databases`. Absent limits take the API's defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateDatabaseRequest {
    /// The database name: 1..=64 characters of `A-Za-z0-9_-/`, starting with a
    /// letter or digit.
    pub name: String,
    /// Default [`DEFAULT_MAX_TABLES`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_tables: Option<i32>,
    /// Default [`DEFAULT_MAX_COLUMNS_PER_TABLE`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_columns_per_table: Option<i32>,
    /// Nanoseconds; default 0 (forever).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_period: Option<i64>,
    /// 1..=8 parts: at most one `time` part and at most 7 `tag` and `bucket` parts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_template: Option<Vec<PartitionTemplatePart>>,
}

/// Body of `PATCH .../databases/{databaseName}`: at least one field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateDatabaseRequest {
    /// The new table limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_tables: Option<i32>,
    /// The new column limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_columns_per_table: Option<i32>,
    /// The new retention period, in nanoseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_period: Option<i64>,
}

impl UpdateDatabaseRequest {
    /// Whether the request changes nothing (the API rejects it).
    pub fn is_empty(&self) -> bool {
        self.max_tables.is_none()
            && self.max_columns_per_table.is_none()
            && self.retention_period.is_none()
    }
}

/// Body of `PUT .../rename` for a database or a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenameRequest {
    /// The new name.
    pub name: String,
}

/// One part of a partition template, encoded as the API does:
/// `{"type": "tag", "value": "region"}`, `{"type": "time", "value": "%Y-%m"}`,
/// `{"type": "bucket", "value": {"tagName": "host", "numberOfBuckets": 10}}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "lowercase")]
pub enum PartitionTemplatePart {
    /// Partition by the value of this tag.
    Tag(String),
    /// Partition by the time, formatted with this strftime-like format.
    Time(String),
    /// Partition by a hash of a tag's value into buckets.
    Bucket(PartitionBucket),
}

/// The value of a `bucket` partition template part.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PartitionBucket {
    /// The tag whose values are hashed.
    pub tag_name: String,
    /// How many buckets, 1..=100000.
    pub number_of_buckets: i32,
}

/// A table of a database.
///
/// The create response carries no `id`; the rename and undelete responses do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Table {
    /// The account; Cloud Dedicated only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<Uuid>,
    /// The cluster; Cloud Dedicated only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_id: Option<Uuid>,
    /// The database the table belongs to.
    pub database_name: String,
    /// The numeric id; only in rename and undelete responses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// The table (measurement) name.
    pub name: String,
    /// The table's partition template, or the database's one it inherits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_template: Option<Vec<PartitionTemplatePart>>,
}

/// Body of `POST .../databases/{databaseName}/tables`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateTableRequest {
    /// The table name.
    pub name: String,
    /// Overrides the database's partition template for this table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_template: Option<Vec<PartitionTemplatePart>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn partition_template_parts_use_the_api_encoding() {
        let parts = vec![
            PartitionTemplatePart::Time("%Y".to_owned()),
            PartitionTemplatePart::Tag("region".to_owned()),
            PartitionTemplatePart::Bucket(PartitionBucket {
                tag_name: "host".to_owned(),
                number_of_buckets: 10,
            }),
        ];
        let encoded = serde_json::to_value(&parts).unwrap_or_default();
        assert_eq!(
            encoded,
            json!([
                {"type": "time", "value": "%Y"},
                {"type": "tag", "value": "region"},
                {"type": "bucket", "value": {"tagName": "host", "numberOfBuckets": 10}},
            ])
        );
        let decoded: Vec<PartitionTemplatePart> =
            serde_json::from_value(encoded).unwrap_or_default();
        assert_eq!(decoded, parts);
    }

    #[test]
    fn a_database_without_optional_fields_omits_them() {
        let database = Database {
            account_id: None,
            cluster_id: None,
            id: None,
            name: "metrics".to_owned(),
            max_tables: DEFAULT_MAX_TABLES,
            max_columns_per_table: DEFAULT_MAX_COLUMNS_PER_TABLE,
            retention_period: 3_600_000_000_000,
            partition_template: None,
        };
        assert_eq!(
            serde_json::to_value(&database).unwrap_or_default(),
            json!({"name": "metrics", "maxTables": 500, "maxColumnsPerTable": 200,
                   "retentionPeriod": 3_600_000_000_000_i64})
        );
    }
}
