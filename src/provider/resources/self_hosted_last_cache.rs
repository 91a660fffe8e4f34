//! `influxdb3_self_hosted_last_cache`: a last value cache of a table of a
//! self-hosted InfluxDB 3 Core or Enterprise server
//! (`POST|DELETE /api/v3/configure/last_cache`, read from
//! `system.last_caches`). The generic resource is in `self_hosted_cache.rs`.

use async_trait::async_trait;

use super::self_hosted_cache::{
    CacheSpec, check_columns, configured_or, identity_attributes, server_default_columns,
    server_default_number, string_list, strings_value, target, whole_number,
};
use crate::api::v3_caches::{LastCacheCreateRequest, LastCacheRow};
use crate::framework::diag::Diagnostics;
use crate::framework::schema::Schema;
use crate::framework::value::Value;
use crate::provider::client::ClientError;
use crate::provider::v3_client::{CacheKind, V3Client};

/// The last value cache kind.
pub(crate) struct LastCache;

#[async_trait]
impl CacheSpec for LastCache {
    type Row = LastCacheRow;
    const TYPE_NAME: &'static str = "influxdb3_self_hosted_last_cache";
    const KIND: CacheKind = CacheKind::Last;
    const NOUN: &'static str = "Last Value Cache";

    fn schema() -> Schema {
        let mut attributes = identity_attributes("last value cache");
        attributes.extend([
            server_default_columns(
                "key_columns",
                "The columns that identify a series in the cache (tags, or string, integer or \
                 boolean fields). Unset: the server's choice, the table's tags.",
            ),
            server_default_columns(
                "value_columns",
                "The columns whose last values are cached. Unset: the server's choice, every \
                 column that is not a key column.",
            ),
            server_default_number(
                "count_per_key",
                1,
                10,
                "How many values are kept per key, 1 to 10 (the API's `count`). Unset: the \
                 server's default, 1.",
            ),
            server_default_number(
                "ttl_seconds",
                1,
                i64::MAX,
                "How long a cached value lives, in seconds (the API's `ttl`). Unset: the \
                 server's default, 4 hours.",
            ),
        ]);
        Schema::new(
            0,
            "A last value cache of a table of a self-hosted InfluxDB 3 Core or Enterprise \
             server: it keeps the most recent values of some columns per series in memory, \
             for `last_cache()` queries. A cache cannot be changed, so every argument forces \
             a replacement; arguments left unset take the server's values. Terraform reads \
             the cache from the database's `system.last_caches` table: a cache, table or \
             database deleted outside Terraform shows up as gone and is created again. \
             Import with `DATABASE/TABLE/NAME`.",
            attributes,
        )
    }

    fn validate(config: &Value, diagnostics: &mut Diagnostics) {
        check_columns(config, "key_columns", diagnostics);
        check_columns(config, "value_columns", diagnostics);
    }

    async fn create(client: &V3Client, config: &Value) -> Result<(), ClientError> {
        let (db, table, name) = target(config);
        let body = LastCacheCreateRequest {
            db,
            table,
            name: Some(name),
            key_columns: string_list(config, "key_columns"),
            value_columns: string_list(config, "value_columns"),
            count: whole_number(config, "count_per_key"),
            ttl: whole_number(config, "ttl_seconds"),
        };
        client.create_last_cache(&body).await
    }

    async fn rows(client: &V3Client, db: &str) -> Result<Option<Vec<LastCacheRow>>, ClientError> {
        client.last_caches(db).await
    }

    fn row_identity(row: &LastCacheRow) -> (&str, &str) {
        (&row.table, &row.name)
    }

    fn own_attributes(config: Option<&Value>, row: &LastCacheRow) -> Vec<(&'static str, Value)> {
        vec![
            (
                "key_columns",
                configured_or(config, "key_columns", strings_value(&row.key_column_names)),
            ),
            (
                "value_columns",
                configured_or(
                    config,
                    "value_columns",
                    strings_value(&row.value_column_names),
                ),
            ),
            (
                "count_per_key",
                configured_or(config, "count_per_key", Value::number(row.count)),
            ),
            (
                "ttl_seconds",
                configured_or(config, "ttl_seconds", Value::number(row.ttl)),
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_is_valid() {
        LastCache::schema()
            .validate()
            .unwrap_or_else(|error| panic!("{error:?}"));
    }

    #[test]
    fn unset_arguments_take_the_rows_values() {
        let row = LastCacheRow {
            table: "cpu".to_owned(),
            name: "latest".to_owned(),
            key_column_ids: vec![0],
            key_column_names: vec!["host".to_owned()],
            value_column_ids: vec![1],
            value_column_names: vec!["usage".to_owned()],
            count: 1,
            ttl: 14400,
        };
        let config = Value::object([
            ("count_per_key", Value::number(3u64)),
            ("ttl_seconds", Value::Null),
        ]);
        let attributes: std::collections::BTreeMap<_, _> =
            LastCache::own_attributes(Some(&config), &row)
                .into_iter()
                .collect();
        assert_eq!(attributes["count_per_key"], Value::number(3u64));
        assert_eq!(attributes["ttl_seconds"], Value::number(14400u64));
        assert_eq!(
            attributes["key_columns"],
            Value::list([Value::string("host")])
        );
    }
}
