//! The table table: create (with idempotency), delete, rename and undelete, within
//! a live database. Deletes are soft, as for databases.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Store;
use super::databases::{Scope, database_not_found, live_database, next_id};
use super::management_tokens::whole_seconds;
use super::partition_template::{validate_partition_template, validate_table_name};
use super::state_file::StateData;
use crate::api::{CreateTableRequest, PartitionTemplatePart, RenameRequest, Table};
use crate::emulator::ApiError;
use crate::emulator::operation::Operation;

/// A table as the state file keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StoredTable {
    pub(crate) id: i64,
    pub(crate) database_id: i64,
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) partition_template: Option<Vec<PartitionTemplatePart>>,
    pub(crate) created_at: DateTime<Utc>,
    #[serde(default)]
    pub(crate) deleted_at: Option<DateTime<Utc>>,
}

impl Store {
    /// Creates a table in the live database `database_name`; 409 when a live table
    /// has the name or the database holds `maxTables` tables.
    pub(crate) fn create_table(
        &mut self,
        database_name: &str,
        request: CreateTableRequest,
        idempotency_key: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Table, ApiError> {
        let scope = self.scope();
        // The key is bound to the database as well as to the body.
        let keyed_request = (database_name, &request);
        self.create_once(
            Operation::CreateTable,
            idempotency_key,
            &keyed_request,
            now,
            |data| {
                let database = live_database(data, database_name).ok_or_else(database_not_found)?;
                let (database_id, max_tables) = (database.id, database.max_tables);
                let inherited = database.partition_template.clone();
                validate_table_name(&request.name)?;
                if let Some(parts) = &request.partition_template {
                    validate_partition_template(parts)?;
                }
                let live: Vec<&StoredTable> = live_tables(data, database_id).collect();
                if live.iter().any(|table| table.name == request.name) {
                    return Err(ApiError::conflict(format!(
                        "a table named {:?} already exists",
                        request.name
                    )));
                }
                if live.len() >= usize::try_from(max_tables).unwrap_or(0) {
                    return Err(ApiError::conflict(format!(
                        "the database already has maxTables ({max_tables}) tables"
                    )));
                }
                let stored = StoredTable {
                    id: next_id(data.tables.iter().map(|table| table.id)),
                    database_id,
                    name: request.name.clone(),
                    partition_template: request.partition_template.clone(),
                    created_at: whole_seconds(now),
                    deleted_at: None,
                };
                let created = render_table(scope, database_name, &stored, &inherited, false);
                data.tables.push(stored);
                Ok(created)
            },
        )
    }

    /// Deletes (soft) the live table `table_name` of the live database `database_name`.
    pub(crate) fn delete_table(
        &mut self,
        database_name: &str,
        table_name: &str,
        now: DateTime<Utc>,
    ) -> Result<(), ApiError> {
        self.commit(|data| {
            let database_id = live_database(data, database_name)
                .ok_or_else(database_not_found)?
                .id;
            let table = live_table_mut(data, database_id, table_name)?;
            table.deleted_at = Some(whole_seconds(now));
            Ok(())
        })
    }

    /// Renames a live table; 409 when another live table of the database has the name.
    pub(crate) fn rename_table(
        &mut self,
        database_name: &str,
        table_name: &str,
        request: RenameRequest,
    ) -> Result<Table, ApiError> {
        validate_table_name(&request.name)?;
        let scope = self.scope();
        self.commit(|data| {
            let database = live_database(data, database_name).ok_or_else(database_not_found)?;
            let (database_id, inherited) = (database.id, database.partition_template.clone());
            let taken = live_tables(data, database_id).any(|table| table.name == request.name);
            if taken && request.name != table_name {
                return Err(ApiError::conflict(format!(
                    "a table named {:?} already exists",
                    request.name
                )));
            }
            let table = live_table_mut(data, database_id, table_name)?;
            table.name = request.name;
            Ok(render_table(scope, database_name, table, &inherited, true))
        })
    }

    /// Restores the deleted table `id` of the live database `database_name`; 404 when
    /// there is none, 400 when it is not deleted, a live table has its name or the
    /// database is full.
    pub(crate) fn undelete_table(
        &mut self,
        database_name: &str,
        id: i64,
    ) -> Result<Table, ApiError> {
        let scope = self.scope();
        self.commit(|data| {
            let database = live_database(data, database_name).ok_or_else(database_not_found)?;
            let (database_id, inherited) = (database.id, database.partition_template.clone());
            let max_tables = usize::try_from(database.max_tables).unwrap_or(0);
            let (name, deleted) = data
                .tables
                .iter()
                .find(|table| table.id == id && table.database_id == database_id)
                .map(|table| (table.name.clone(), table.deleted_at.is_some()))
                .ok_or_else(table_not_found)?;
            if !deleted {
                return Err(ApiError::bad_request("the table is not deleted"));
            }
            if live_tables(data, database_id).any(|table| table.name == name) {
                return Err(ApiError::bad_request(format!(
                    "a table named {name:?} exists"
                )));
            }
            if live_tables(data, database_id).count() >= max_tables {
                return Err(ApiError::bad_request(
                    "the database already has maxTables tables",
                ));
            }
            let table = data
                .tables
                .iter_mut()
                .find(|table| table.id == id)
                .ok_or_else(table_not_found)?;
            table.deleted_at = None;
            Ok(render_table(scope, database_name, table, &inherited, true))
        })
    }
}

/// The 404 for a table that does not exist.
pub(crate) fn table_not_found() -> ApiError {
    ApiError::not_found("table not found")
}

/// The live table `name` of the database `database_id`; 404 when there is none.
fn live_table_mut<'a>(
    data: &'a mut StateData,
    database_id: i64,
    name: &str,
) -> Result<&'a mut StoredTable, ApiError> {
    data.tables
        .iter_mut()
        .find(|table| {
            table.database_id == database_id && table.deleted_at.is_none() && table.name == name
        })
        .ok_or_else(table_not_found)
}

fn live_tables(data: &StateData, database_id: i64) -> impl Iterator<Item = &StoredTable> {
    data.tables
        .iter()
        .filter(move |table| table.database_id == database_id && table.deleted_at.is_none())
}

/// The API view of a table: its own partition template, else the database's.
fn render_table(
    scope: Scope,
    database_name: &str,
    table: &StoredTable,
    inherited: &Option<Vec<PartitionTemplatePart>>,
    with_id: bool,
) -> Table {
    Table {
        account_id: scope.account_id,
        cluster_id: scope.cluster_id,
        database_name: database_name.to_owned(),
        id: with_id.then_some(table.id),
        name: table.name.clone(),
        partition_template: table
            .partition_template
            .clone()
            .or_else(|| inherited.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::CreateDatabaseRequest;
    use crate::emulator::Config;
    use axum::http::StatusCode;

    fn store() -> Store {
        Store::open(&Config::default()).unwrap_or_else(|error| panic!("{error}"))
    }

    fn status<T>(result: Result<T, ApiError>) -> Option<StatusCode> {
        result.err().map(|error| error.status())
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

    #[test]
    fn tables_respect_the_limit_and_inherit_the_template() {
        let mut store = store();
        let now = Utc::now();
        let template = vec![PartitionTemplatePart::Time("%Y".to_owned())];
        let request = CreateDatabaseRequest {
            max_tables: Some(1),
            partition_template: Some(template.clone()),
            ..create("db")
        };
        assert!(store.create_database(request, None, now).is_ok());
        let table = |name: &str| CreateTableRequest {
            name: name.to_owned(),
            partition_template: None,
        };
        let created = store.create_table("db", table("cpu"), None, now);
        assert_eq!(created.map(|t| t.partition_template), Ok(Some(template)));
        assert_eq!(
            status(store.create_table("db", table("mem"), None, now)),
            Some(StatusCode::CONFLICT)
        );
        assert_eq!(
            status(store.create_table("nope", table("mem"), None, now)),
            Some(StatusCode::NOT_FOUND)
        );
        let renamed = store.rename_table(
            "db",
            "cpu",
            RenameRequest {
                name: "cpu2".into(),
            },
        );
        assert_eq!(renamed.ok().and_then(|t| t.id), Some(1));
        assert_eq!(store.delete_table("db", "cpu2", now), Ok(()));
        assert_eq!(
            status(store.delete_table("db", "cpu2", now)),
            Some(StatusCode::NOT_FOUND)
        );
        assert!(store.create_table("db", table("mem"), None, now).is_ok());
        assert_eq!(
            status(store.undelete_table("db", 1)),
            Some(StatusCode::BAD_REQUEST)
        );
        assert_eq!(store.delete_table("db", "mem", now), Ok(()));
        assert_eq!(
            store.undelete_table("db", 1).map(|t| t.name),
            Ok("cpu2".to_owned())
        );
    }
}
