//! The database table: create (with idempotency), list, update, rename, delete and
//! undelete. Deletes are soft: a deleted database keeps its id and can be undeleted
//! while no live one has taken its name. Tables are in `tables.rs`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Store;
use super::management_tokens::whole_seconds;
use super::partition_template::{validate_database_name, validate_partition_template};
use super::state_file::StateData;
use crate::api::{
    CreateDatabaseRequest, DEFAULT_MAX_COLUMNS_PER_TABLE, DEFAULT_MAX_TABLES,
    DEFAULT_RETENTION_PERIOD, Database, PartitionTemplatePart, RenameRequest,
    UpdateDatabaseRequest,
};
use crate::emulator::operation::Operation;
use crate::emulator::{ApiError, Flavor};

/// A database as the state file keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StoredDatabase {
    pub(crate) id: i64,
    pub(crate) name: String,
    pub(crate) max_tables: i32,
    pub(crate) max_columns_per_table: i32,
    pub(crate) retention_period: i64,
    #[serde(default)]
    pub(crate) partition_template: Option<Vec<PartitionTemplatePart>>,
    pub(crate) created_at: DateTime<Utc>,
    #[serde(default)]
    pub(crate) deleted_at: Option<DateTime<Utc>>,
}

/// Where the objects of this emulator live: `accountId` and `clusterId` of the Cloud
/// Dedicated form, nothing in the Clustered form.
#[derive(Debug, Clone, Copy)]
pub(super) struct Scope {
    pub(super) account_id: Option<uuid::Uuid>,
    pub(super) cluster_id: Option<uuid::Uuid>,
}

impl Store {
    pub(super) fn scope(&self) -> Scope {
        match self.flavor {
            Flavor::CloudDedicated => Scope {
                account_id: Some(self.data.account_id),
                cluster_id: Some(self.data.cluster_id),
            },
            Flavor::Clustered | Flavor::Core | Flavor::Enterprise => Scope {
                account_id: None,
                cluster_id: None,
            },
        }
    }

    /// The live databases, oldest first.
    pub(crate) fn list_databases(&self) -> Vec<Database> {
        let scope = self.scope();
        self.data
            .databases
            .iter()
            .filter(|database| database.deleted_at.is_none())
            .map(|database| render_database(scope, database, false))
            .collect()
    }

    /// Creates a database; 409 when a live one has the name. With an
    /// `idempotency_key` used before for the same request, returns the first result.
    pub(crate) fn create_database(
        &mut self,
        request: CreateDatabaseRequest,
        idempotency_key: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Database, ApiError> {
        let scope = self.scope();
        self.create_once(
            Operation::CreateDatabase,
            idempotency_key,
            &request.clone(),
            now,
            |data| {
                validate_database_name(&request.name)?;
                let max_tables = request.max_tables.unwrap_or(DEFAULT_MAX_TABLES);
                let max_columns = request
                    .max_columns_per_table
                    .unwrap_or(DEFAULT_MAX_COLUMNS_PER_TABLE);
                let retention = request.retention_period.unwrap_or(DEFAULT_RETENTION_PERIOD);
                validate_limits(Some(max_tables), Some(max_columns), Some(retention))?;
                if let Some(parts) = &request.partition_template {
                    validate_partition_template(parts)?;
                }
                if live_database(data, &request.name).is_some() {
                    return Err(ApiError::conflict(format!(
                        "a database named {:?} already exists",
                        request.name
                    )));
                }
                let stored = StoredDatabase {
                    id: next_id(data.databases.iter().map(|database| database.id)),
                    name: request.name,
                    max_tables,
                    max_columns_per_table: max_columns,
                    retention_period: retention,
                    partition_template: request.partition_template,
                    created_at: whole_seconds(now),
                    deleted_at: None,
                };
                let created = render_database(scope, &stored, false);
                data.databases.push(stored);
                Ok(created)
            },
        )
    }

    /// Changes the limits and retention of the live database `name`.
    pub(crate) fn update_database(
        &mut self,
        name: &str,
        request: UpdateDatabaseRequest,
    ) -> Result<Database, ApiError> {
        if request.is_empty() {
            return Err(ApiError::bad_request(
                "the request must set at least one of maxTables, maxColumnsPerTable, \
                 retentionPeriod",
            ));
        }
        validate_limits(
            request.max_tables,
            request.max_columns_per_table,
            request.retention_period,
        )?;
        let scope = self.scope();
        self.commit(|data| {
            let database = live_database_mut(data, name)?;
            if let Some(max_tables) = request.max_tables {
                database.max_tables = max_tables;
            }
            if let Some(max_columns) = request.max_columns_per_table {
                database.max_columns_per_table = max_columns;
            }
            if let Some(retention) = request.retention_period {
                database.retention_period = retention;
            }
            // The published update response has no partitionTemplate.
            Ok(Database {
                partition_template: None,
                ..render_database(scope, database, false)
            })
        })
    }

    /// Deletes (soft) the live database `name`.
    pub(crate) fn delete_database(
        &mut self,
        name: &str,
        now: DateTime<Utc>,
    ) -> Result<(), ApiError> {
        self.commit(|data| {
            live_database_mut(data, name)?.deleted_at = Some(whole_seconds(now));
            Ok(())
        })
    }

    /// Renames the live database `name`; 409 when another live one has the new name.
    pub(crate) fn rename_database(
        &mut self,
        name: &str,
        request: RenameRequest,
    ) -> Result<Database, ApiError> {
        validate_database_name(&request.name)?;
        let scope = self.scope();
        self.commit(|data| {
            if request.name != name && live_database(data, &request.name).is_some() {
                return Err(ApiError::conflict(format!(
                    "a database named {:?} already exists",
                    request.name
                )));
            }
            let database = live_database_mut(data, name)?;
            database.name = request.name;
            Ok(render_database(scope, database, true))
        })
    }

    /// Restores the deleted database with `id`; 404 when there is none, 400 when it
    /// is not deleted or a live database has its name.
    pub(crate) fn undelete_database(&mut self, id: i64) -> Result<Database, ApiError> {
        let scope = self.scope();
        self.commit(|data| {
            let name = data
                .databases
                .iter()
                .find(|database| database.id == id)
                .map(|database| (database.name.clone(), database.deleted_at.is_some()))
                .ok_or_else(database_not_found)?;
            match name {
                (_, false) => Err(ApiError::bad_request("the database is not deleted")),
                (name, true) if live_database(data, &name).is_some() => Err(ApiError::bad_request(
                    format!("a database named {name:?} exists"),
                )),
                _ => {
                    let database = data
                        .databases
                        .iter_mut()
                        .find(|database| database.id == id)
                        .ok_or_else(database_not_found)?;
                    database.deleted_at = None;
                    Ok(render_database(scope, database, true))
                }
            }
        })
    }
}

/// The 404 for a database name (or id) that names no live database.
pub(crate) fn database_not_found() -> ApiError {
    ApiError::not_found("database not found")
}

pub(super) fn live_database<'a>(data: &'a StateData, name: &str) -> Option<&'a StoredDatabase> {
    data.databases
        .iter()
        .find(|database| database.deleted_at.is_none() && database.name == name)
}

fn live_database_mut<'a>(
    data: &'a mut StateData,
    name: &str,
) -> Result<&'a mut StoredDatabase, ApiError> {
    data.databases
        .iter_mut()
        .find(|database| database.deleted_at.is_none() && database.name == name)
        .ok_or_else(database_not_found)
}

/// One more than the largest id so far (ids start at 1 and are never reused).
pub(super) fn next_id(ids: impl Iterator<Item = i64>) -> i64 {
    ids.max().unwrap_or(0) + 1
}

/// Checks `maxTables` ≥ 1, `maxColumnsPerTable` ≥ 1 and `retentionPeriod` ≥ 0.
fn validate_limits(
    max_tables: Option<i32>,
    max_columns_per_table: Option<i32>,
    retention_period: Option<i64>,
) -> Result<(), ApiError> {
    if max_tables.is_some_and(|value| value < 1) {
        return Err(ApiError::bad_request("maxTables must be at least 1"));
    }
    if max_columns_per_table.is_some_and(|value| value < 1) {
        return Err(ApiError::bad_request(
            "maxColumnsPerTable must be at least 1",
        ));
    }
    if retention_period.is_some_and(|value| value < 0) {
        return Err(ApiError::bad_request(
            "retentionPeriod must be 0 (forever) or a positive number of nanoseconds",
        ));
    }
    Ok(())
}

fn render_database(scope: Scope, database: &StoredDatabase, with_id: bool) -> Database {
    Database {
        account_id: scope.account_id,
        cluster_id: scope.cluster_id,
        id: with_id.then_some(database.id),
        name: database.name.clone(),
        max_tables: database.max_tables,
        max_columns_per_table: database.max_columns_per_table,
        retention_period: database.retention_period,
        partition_template: database.partition_template.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::Config;
    use axum::http::StatusCode;

    fn store() -> Store {
        Store::open(&Config::default()).unwrap_or_else(|error| panic!("{error}"))
    }

    fn create(name: &str) -> CreateDatabaseRequest {
        CreateDatabaseRequest {
            name: name.to_owned(),
            max_tables: None,
            max_columns_per_table: None,
            retention_period: None,
            partition_template: None,
        }
    }

    fn status<T>(result: Result<T, ApiError>) -> Option<StatusCode> {
        result.err().map(|error| error.status())
    }

    #[test]
    fn a_database_lives_through_create_update_rename_delete_undelete() {
        let mut store = store();
        let now = Utc::now();
        let created = store.create_database(create("metrics"), None, now);
        let created = created.unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(
            (created.max_tables, created.max_columns_per_table),
            (500, 200)
        );
        assert_eq!(created.id, None, "the create response carries no id");
        assert_eq!(
            status(store.create_database(create("metrics"), None, now)),
            Some(StatusCode::CONFLICT)
        );
        let update = UpdateDatabaseRequest {
            retention_period: Some(60_000_000_000),
            ..UpdateDatabaseRequest::default()
        };
        let updated = store.update_database("metrics", update);
        assert_eq!(updated.map(|db| db.retention_period), Ok(60_000_000_000));
        let renamed = store.rename_database("metrics", RenameRequest { name: "m2".into() });
        let id = renamed.ok().and_then(|db| db.id);
        assert_eq!(id, Some(1));
        assert_eq!(store.delete_database("m2", now), Ok(()));
        assert!(store.list_databases().is_empty());
        assert_eq!(
            status(store.delete_database("m2", now)),
            Some(StatusCode::NOT_FOUND)
        );
        let restored = store.undelete_database(1);
        assert_eq!(restored.map(|db| db.name), Ok("m2".to_owned()));
        assert_eq!(
            status(store.undelete_database(1)),
            Some(StatusCode::BAD_REQUEST)
        );
        assert_eq!(
            status(store.undelete_database(7)),
            Some(StatusCode::NOT_FOUND)
        );
        assert_eq!(store.list_databases().len(), 1);
    }

    #[test]
    fn invalid_databases_are_rejected() {
        let mut store = store();
        let now = Utc::now();
        let cases = [
            CreateDatabaseRequest {
                max_tables: Some(0),
                ..create("a")
            },
            CreateDatabaseRequest {
                max_columns_per_table: Some(-1),
                ..create("a")
            },
            CreateDatabaseRequest {
                retention_period: Some(-1),
                ..create("a")
            },
            CreateDatabaseRequest {
                partition_template: Some(vec![]),
                ..create("a")
            },
            create("_a"),
        ];
        for request in cases {
            let outcome = store.create_database(request.clone(), None, now);
            assert_eq!(
                status(outcome),
                Some(StatusCode::BAD_REQUEST),
                "{request:?}"
            );
        }
        assert_eq!(
            status(store.update_database("a", UpdateDatabaseRequest::default())),
            Some(StatusCode::BAD_REQUEST)
        );
    }

    #[test]
    fn a_keyed_create_is_replayed() {
        let mut store = store();
        let now = Utc::now();
        let first = store.create_database(create("db"), Some("k"), now);
        let again = store.create_database(create("db"), Some("k"), now);
        assert!(first.is_ok());
        assert_eq!(first, again);
        assert_eq!(store.list_databases().len(), 1);
        let other = store.create_database(create("db2"), Some("k"), now);
        assert_eq!(status(other), Some(StatusCode::UNPROCESSABLE_ENTITY));
    }
}
