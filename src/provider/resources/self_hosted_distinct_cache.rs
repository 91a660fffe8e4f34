//! `influxdb3_self_hosted_distinct_cache`: a distinct value cache of a table
//! of a self-hosted InfluxDB 3 Core or Enterprise server
//! (`POST|DELETE /api/v3/configure/distinct_cache`, read from
//! `system.distinct_caches`). The generic resource is in `self_hosted_cache.rs`.

use async_trait::async_trait;

use super::self_hosted_cache::{
    CacheSpec, check_columns, configured_or, identity_attributes, server_default_number,
    string_list, target, whole_number,
};
use crate::api::v3_caches::{DistinctCacheCreateRequest, DistinctCacheRow};
use crate::framework::diag::Diagnostics;
use crate::framework::path::Path;
use crate::framework::schema::{Attribute, Schema};
use crate::framework::value::{Type, Value};
use crate::provider::client::ClientError;
use crate::provider::v3_client::{CacheKind, V3Client};

/// The distinct value cache kind.
pub(crate) struct DistinctCache;

#[async_trait]
impl CacheSpec for DistinctCache {
    type Row = DistinctCacheRow;
    const TYPE_NAME: &'static str = "influxdb3_self_hosted_distinct_cache";
    const KIND: CacheKind = CacheKind::Distinct;
    const NOUN: &'static str = "Distinct Value Cache";

    fn schema() -> Schema {
        let mut attributes = identity_attributes("distinct value cache");
        attributes.extend([
            Attribute::required("columns", Type::list(Type::String))
                .requires_replace()
                .description(
                    "The columns whose distinct values are cached, at least one, in hierarchy \
                     order (for example `[\"region\", \"host\"]`): tags or string fields.",
                ),
            server_default_number(
                "max_cardinality",
                1,
                i64::MAX,
                "The most distinct value combinations kept. Unset: the server's default, \
                 100000.",
            ),
            server_default_number(
                "max_age_seconds",
                1,
                i64::MAX,
                "How long a value is kept, in seconds (the API's `max_age`). Unset: the \
                 server's default, 1 day.",
            ),
        ]);
        Schema::new(
            0,
            "A distinct value cache of a table of a self-hosted InfluxDB 3 Core or \
             Enterprise server: it keeps the distinct values of some columns in memory, for \
             `distinct_cache()` queries. A cache cannot be changed, so every argument forces \
             a replacement; arguments left unset take the server's values. Terraform reads \
             the cache from the database's `system.distinct_caches` table: a cache, table or \
             database deleted outside Terraform shows up as gone and is created again. \
             Import with `DATABASE/TABLE/NAME`.",
            attributes,
        )
    }

    fn validate(config: &Value, diagnostics: &mut Diagnostics) {
        if string_list(config, "columns").is_some_and(|columns| columns.is_empty()) {
            diagnostics.attribute_error(
                Path::root("columns"),
                "Invalid Column",
                "A distinct value cache needs at least one column.",
            );
        }
        check_columns(config, "columns", diagnostics);
    }

    async fn create(client: &V3Client, config: &Value) -> Result<(), ClientError> {
        let (db, table, name) = target(config);
        let body = DistinctCacheCreateRequest {
            db,
            table,
            name: Some(name),
            columns: string_list(config, "columns").unwrap_or_default(),
            max_cardinality: whole_number(config, "max_cardinality"),
            max_age: whole_number(config, "max_age_seconds"),
        };
        client.create_distinct_cache(&body).await
    }

    async fn rows(
        client: &V3Client,
        db: &str,
    ) -> Result<Option<Vec<DistinctCacheRow>>, ClientError> {
        client.distinct_caches(db).await
    }

    fn row_identity(row: &DistinctCacheRow) -> (&str, &str) {
        (&row.table, &row.name)
    }

    fn own_attributes(
        config: Option<&Value>,
        row: &DistinctCacheRow,
    ) -> Vec<(&'static str, Value)> {
        vec![
            (
                "columns",
                configured_or(
                    config,
                    "columns",
                    Value::list(row.column_names.iter().map(Value::string)),
                ),
            ),
            (
                "max_cardinality",
                configured_or(
                    config,
                    "max_cardinality",
                    Value::number(row.max_cardinality),
                ),
            ),
            (
                "max_age_seconds",
                configured_or(
                    config,
                    "max_age_seconds",
                    Value::number(row.max_age_seconds),
                ),
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_is_valid() {
        DistinctCache::schema()
            .validate()
            .unwrap_or_else(|error| panic!("{error:?}"));
    }

    #[test]
    fn at_least_one_column() {
        let mut diagnostics = Diagnostics::new();
        DistinctCache::validate(
            &Value::object([("columns", Value::list([]))]),
            &mut diagnostics,
        );
        assert!(format!("{diagnostics:?}").contains("at least one column"));
    }
}
