//! The last value caches and distinct value caches of the self-hosted
//! products' tables: create, delete, and the rows of `system.last_caches` and
//! `system.distinct_caches`. A cache lives in its table's record, so a deleted
//! table (or database) takes its caches with it.

use serde::{Deserialize, Serialize};

use super::self_hosted::active_database;
use super::self_hosted_tables::{StoredV3Table, active_table};
use super::{StateData, Store};
use crate::api::v3_caches::{
    DistinctCacheCreateRequest, DistinctCacheRow, LastCacheCreateRequest, LastCacheRow,
};
use crate::emulator::ApiError;

/// The servers' defaults.
const DEFAULT_COUNT: u64 = 1;
const MAX_COUNT: u64 = 10;
const DEFAULT_TTL_SECS: u64 = 4 * 60 * 60;
const DEFAULT_MAX_CARDINALITY: u64 = 100_000;
const DEFAULT_MAX_AGE_SECS: u64 = 24 * 60 * 60;

/// A last value cache as stored, defaults resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StoredLastCache {
    pub(crate) name: String,
    pub(crate) key_columns: Vec<String>,
    pub(crate) value_columns: Vec<String>,
    pub(crate) count: u64,
    pub(crate) ttl: u64,
}

/// A distinct value cache as stored, defaults resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StoredDistinctCache {
    pub(crate) name: String,
    pub(crate) columns: Vec<String>,
    pub(crate) max_cardinality: u64,
    pub(crate) max_age: u64,
}

/// Which cache kind a request is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CacheKind {
    Last,
    Distinct,
}

impl Store {
    /// Creates a last value cache: 404 without the database or table, 400 for
    /// an unknown column, a bad count or a name taken on the table.
    pub(crate) fn create_last_cache(
        &mut self,
        request: LastCacheCreateRequest,
    ) -> Result<(), ApiError> {
        self.commit(move |data| {
            let table = table_mut(data, &request.db, &request.table, ApiError::not_found)?;
            let key_columns = request.key_columns.unwrap_or_else(|| table.tags.clone());
            check_columns(table, &key_columns, "key_columns")?;
            let value_columns = match request.value_columns {
                Some(columns) => columns,
                None => table
                    .column_names()
                    .filter(|column| !key_columns.iter().any(|key| key == column))
                    .map(str::to_owned)
                    .collect(),
            };
            check_columns(table, &value_columns, "value_columns")?;
            let count = request.count.unwrap_or(DEFAULT_COUNT);
            if !(1..=MAX_COUNT).contains(&count) {
                return Err(ApiError::bad_request("count must be 1 to 10"));
            }
            let ttl = request.ttl.unwrap_or(DEFAULT_TTL_SECS);
            if ttl == 0 {
                return Err(ApiError::bad_request("ttl must be at least 1 second"));
            }
            let name = request
                .name
                .unwrap_or_else(|| format!("{}_{}_last_cache", table.name, key_columns.join("_")));
            if table.last_caches.iter().any(|cache| cache.name == name) {
                return Err(ApiError::bad_request(
                    "a last cache with this name already exists",
                ));
            }
            table.last_caches.push(StoredLastCache {
                name,
                key_columns,
                value_columns,
                count,
                ttl,
            });
            Ok(())
        })
    }

    /// Creates a distinct value cache: 400 without the database or table (the
    /// spec documents no 404 here), for an unknown column or a name taken with
    /// another configuration; 409 for the same configuration again.
    pub(crate) fn create_distinct_cache(
        &mut self,
        request: DistinctCacheCreateRequest,
    ) -> Result<(), ApiError> {
        self.commit(move |data| {
            let table = table_mut(data, &request.db, &request.table, ApiError::bad_request)?;
            if request.columns.is_empty() {
                return Err(ApiError::bad_request(
                    "columns must name at least one column",
                ));
            }
            check_columns(table, &request.columns, "columns")?;
            let cache = StoredDistinctCache {
                name: request.name.unwrap_or_else(|| {
                    format!(
                        "{}_{}_distinct_cache",
                        table.name,
                        request.columns.join("_")
                    )
                }),
                columns: request.columns,
                max_cardinality: request.max_cardinality.unwrap_or(DEFAULT_MAX_CARDINALITY),
                max_age: request.max_age.unwrap_or(DEFAULT_MAX_AGE_SECS),
            };
            if cache.max_cardinality == 0 || cache.max_age == 0 {
                return Err(ApiError::bad_request(
                    "max_cardinality and max_age must be at least 1",
                ));
            }
            match table.distinct_caches.iter().find(|c| c.name == cache.name) {
                Some(existing) if *existing == cache => Err(ApiError::conflict(
                    "a distinct cache with this configuration exists",
                )),
                Some(_) => Err(ApiError::bad_request(
                    "a distinct cache of this name exists with another configuration",
                )),
                None => {
                    table.distinct_caches.push(cache);
                    Ok(())
                }
            }
        })
    }

    /// Deletes the cache `name` of `kind` on a table; 404 when any of the three
    /// does not exist.
    pub(crate) fn delete_cache(
        &mut self,
        kind: CacheKind,
        database: &str,
        table: &str,
        name: &str,
    ) -> Result<(), ApiError> {
        self.commit(|data| {
            let table = table_mut(data, database, table, ApiError::not_found)?;
            let removed = match kind {
                CacheKind::Last => remove_named(&mut table.last_caches, |c| c.name == name),
                CacheKind::Distinct => remove_named(&mut table.distinct_caches, |c| c.name == name),
            };
            if removed {
                Ok(())
            } else {
                Err(ApiError::not_found("cache not found"))
            }
        })
    }

    /// The rows of `system.last_caches` of `database`; `None` without it.
    pub(crate) fn last_cache_rows(&self, database: &str) -> Option<Vec<LastCacheRow>> {
        let rows = active_tables(&self.data, database)?.flat_map(|table| {
            table.last_caches.iter().map(|cache| LastCacheRow {
                table: table.name.clone(),
                name: cache.name.clone(),
                key_column_ids: column_ids(table, &cache.key_columns),
                key_column_names: cache.key_columns.clone(),
                value_column_ids: column_ids(table, &cache.value_columns),
                value_column_names: cache.value_columns.clone(),
                count: cache.count,
                ttl: cache.ttl,
            })
        });
        Some(rows.collect())
    }

    /// The rows of `system.distinct_caches` of `database`; `None` without it.
    pub(crate) fn distinct_cache_rows(&self, database: &str) -> Option<Vec<DistinctCacheRow>> {
        let rows = active_tables(&self.data, database)?.flat_map(|table| {
            table.distinct_caches.iter().map(|cache| DistinctCacheRow {
                table: table.name.clone(),
                name: cache.name.clone(),
                column_ids: column_ids(table, &cache.columns),
                column_names: cache.columns.clone(),
                max_cardinality: cache.max_cardinality,
                max_age_seconds: cache.max_age,
            })
        });
        Some(rows.collect())
    }
}

/// The active table, or `missing(message)` when it or its database is not there.
fn table_mut<'a>(
    data: &'a mut StateData,
    database: &str,
    table: &str,
    missing: fn(&'static str) -> ApiError,
) -> Result<&'a mut StoredV3Table, ApiError> {
    if active_database(data, database).is_none() {
        return Err(missing("database not found"));
    }
    let index = active_table(data, database, table).ok_or_else(|| missing("table not found"))?;
    Ok(&mut data.v3_tables[index])
}

fn active_tables<'a>(
    data: &'a StateData,
    database: &str,
) -> Option<impl Iterator<Item = &'a StoredV3Table>> {
    active_database(data, database)?;
    Some(
        data.v3_tables
            .iter()
            .filter(move |table| table.deleted_at.is_none() && table.database == database),
    )
}

fn check_columns(table: &StoredV3Table, columns: &[String], what: &str) -> Result<(), ApiError> {
    match columns
        .iter()
        .find(|column| !table.column_names().any(|known| known == column.as_str()))
    {
        Some(column) => Err(ApiError::bad_request(format!(
            "{what}: the table has no column {column:?}"
        ))),
        None => Ok(()),
    }
}

fn column_ids(table: &StoredV3Table, columns: &[String]) -> Vec<u32> {
    columns
        .iter()
        .filter_map(|column| table.column_names().position(|known| known == column))
        .filter_map(|index| u32::try_from(index).ok())
        .collect()
}

fn remove_named<T>(items: &mut Vec<T>, matches: impl Fn(&T) -> bool) -> bool {
    let before = items.len();
    items.retain(|item| !matches(item));
    items.len() != before
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::api::v3::CreateDatabaseRequest;
    use crate::api::v3_tables::{CreateTableRequest, TableField};
    use crate::emulator::{Config, Flavor};

    fn open(path: std::path::PathBuf) -> Store {
        let config = Config {
            flavor: Flavor::Core,
            state_file: Some(path),
            ..Config::default()
        };
        Store::open(&config).unwrap_or_else(|error| panic!("{error}"))
    }

    #[test]
    fn tables_and_caches_survive_a_restart_and_go_with_their_database() {
        let directory = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
        let path = directory.path().join("state.json");
        let mut store = open(path.clone());
        let ok = |result: Result<(), ApiError>| result.unwrap_or_else(|error| panic!("{error}"));
        ok(store.create_v3_database(
            CreateDatabaseRequest {
                db: "sensors".to_owned(),
                retention_period: None,
            },
            Utc::now(),
        ));
        ok(store.create_v3_table(CreateTableRequest {
            db: "sensors".to_owned(),
            table: "cpu".to_owned(),
            tags: vec!["host".to_owned()],
            fields: vec![TableField {
                name: "usage".to_owned(),
                field_type: "float64".to_owned(),
            }],
            retention_period: None,
        }));
        ok(store.create_last_cache(LastCacheCreateRequest {
            db: "sensors".to_owned(),
            table: "cpu".to_owned(),
            name: None,
            key_columns: None,
            value_columns: None,
            count: None,
            ttl: None,
        }));
        drop(store);

        let mut store = open(path);
        assert_eq!(
            store
                .v3_table_columns("sensors", "cpu")
                .map(|rows| rows.len()),
            Some(3)
        );
        let rows = store.last_cache_rows("sensors").unwrap_or_default();
        assert_eq!(rows.len(), 1, "{rows:?}");
        assert_eq!(rows[0].name, "cpu_host_last_cache");
        assert_eq!(rows[0].value_column_names, vec!["usage"]);
        assert_eq!(
            (rows[0].count, rows[0].ttl),
            (DEFAULT_COUNT, DEFAULT_TTL_SECS)
        );

        // A database deleted and made again starts without the old tables.
        ok(store.delete_v3_database("sensors".to_owned(), Utc::now()));
        ok(store.create_v3_database(
            CreateDatabaseRequest {
                db: "sensors".to_owned(),
                retention_period: None,
            },
            Utc::now(),
        ));
        assert_eq!(store.v3_table_columns("sensors", "cpu"), Some(Vec::new()));
        assert_eq!(store.last_cache_rows("sensors"), Some(Vec::new()));
    }
}
