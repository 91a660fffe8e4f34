//! The tables of the self-hosted products' databases, as the `/api/v3` routes
//! see them: create, soft delete, the Enterprise table retention period, and
//! the rows `information_schema.columns` shows for a table.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Store;
use super::self_hosted::{active_database, check_retention_period, database_not_found};
use super::self_hosted_caches::{StoredDistinctCache, StoredLastCache};
use crate::api::v3_tables::{
    ColumnRow, CreateTableRequest, TAG_DATA_TYPE, TIME_DATA_TYPE, TableField, field_data_type,
};
use crate::emulator::ApiError;

/// A table as stored. A deleted one keeps its row under a new name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StoredV3Table {
    /// The name of the database (its new name once the database is deleted).
    pub(crate) database: String,
    pub(crate) name: String,
    pub(crate) tags: Vec<String>,
    pub(crate) fields: Vec<TableField>,
    #[serde(default)]
    pub(crate) retention_period: Option<String>,
    #[serde(default)]
    pub(crate) deleted_at: Option<DateTime<Utc>>,
    /// Its last value caches (`self_hosted_caches.rs`).
    #[serde(default)]
    pub(crate) last_caches: Vec<StoredLastCache>,
    /// Its distinct value caches.
    #[serde(default)]
    pub(crate) distinct_caches: Vec<StoredDistinctCache>,
}

impl StoredV3Table {
    /// The columns in id order: tags, then fields.
    pub(crate) fn column_names(&self) -> impl Iterator<Item = &str> {
        self.tags
            .iter()
            .map(String::as_str)
            .chain(self.fields.iter().map(|field| field.name.as_str()))
    }
}

impl Store {
    /// Creates a table in an active database: 404 without the database, 400 for
    /// a bad request or a name that an active table has.
    pub(crate) fn create_v3_table(&mut self, request: CreateTableRequest) -> Result<(), ApiError> {
        check_table(&request)?;
        if let Some(period) = &request.retention_period {
            check_retention_period(period)?;
        }
        self.commit(move |data| {
            active_database(data, &request.db).ok_or_else(database_not_found)?;
            if active_table(data, &request.db, &request.table).is_some() {
                return Err(ApiError::bad_request("table already exists"));
            }
            data.v3_tables.push(StoredV3Table {
                database: request.db,
                name: request.table,
                tags: request.tags,
                fields: request.fields,
                retention_period: request.retention_period,
                deleted_at: None,
                last_caches: Vec::new(),
                distinct_caches: Vec::new(),
            });
            Ok(())
        })
    }

    /// Soft-deletes a table: it is renamed `NAME-YYYYMMDDTHHMMSS` and its name is
    /// free again. 404 when the database or the table does not exist.
    pub(crate) fn delete_v3_table(
        &mut self,
        database: String,
        table: String,
        now: DateTime<Utc>,
    ) -> Result<(), ApiError> {
        self.commit(move |data| {
            active_database(data, &database).ok_or_else(database_not_found)?;
            let index = active_table(data, &database, &table).ok_or_else(table_not_found)?;
            let stored = &mut data.v3_tables[index];
            stored.name = format!("{table}-{}", now.format("%Y%m%dT%H%M%S"));
            stored.deleted_at = Some(now);
            Ok(())
        })
    }

    /// Sets (`Some`) or clears the retention period of an active table.
    pub(crate) fn set_v3_table_retention(
        &mut self,
        database: String,
        table: String,
        retention_period: Option<String>,
    ) -> Result<(), ApiError> {
        if let Some(period) = &retention_period {
            check_retention_period(period)?;
        }
        self.commit(move |data| {
            active_database(data, &database).ok_or_else(database_not_found)?;
            let index = active_table(data, &database, &table).ok_or_else(table_not_found)?;
            data.v3_tables[index].retention_period = retention_period;
            Ok(())
        })
    }

    /// The rows of `information_schema.columns` for `table` of `database`:
    /// `None` when the database does not exist, no rows when the table does not.
    /// Tags first, then the fields, then `time`.
    pub(crate) fn v3_table_columns(&self, database: &str, table: &str) -> Option<Vec<ColumnRow>> {
        active_database(&self.data, database)?;
        let Some(index) = active_table(&self.data, database, table) else {
            return Some(Vec::new());
        };
        let stored = &self.data.v3_tables[index];
        let row = |column: &str, data_type: &str| ColumnRow {
            table_name: stored.name.clone(),
            column_name: column.to_owned(),
            data_type: data_type.to_owned(),
        };
        let tags = stored.tags.iter().map(|tag| row(tag, TAG_DATA_TYPE));
        let fields = stored.fields.iter().map(|field| {
            row(
                &field.name,
                field_data_type(&field.field_type).unwrap_or_default(),
            )
        });
        Some(
            tags.chain(fields)
                .chain(std::iter::once(row("time", TIME_DATA_TYPE)))
                .collect(),
        )
    }
}

/// Renames the tables of a database that is being soft-deleted, so they follow
/// it and a new database of the old name starts empty.
pub(super) fn follow_deleted_database(data: &mut super::StateData, old: &str, new: &str) {
    for table in data.v3_tables.iter_mut().filter(|t| t.database == old) {
        table.database = new.to_owned();
    }
}

pub(super) fn active_table(data: &super::StateData, database: &str, table: &str) -> Option<usize> {
    data.v3_tables
        .iter()
        .position(|t| t.deleted_at.is_none() && t.database == database && t.name == table)
}

fn table_not_found() -> ApiError {
    ApiError::not_found("table not found")
}

/// At least one tag; tag and field names non-empty and unique; known field types.
fn check_table(request: &CreateTableRequest) -> Result<(), ApiError> {
    if request.table.trim().is_empty() {
        return Err(ApiError::bad_request("table must not be empty"));
    }
    if request.tags.is_empty() {
        return Err(ApiError::bad_request("a table needs at least one tag"));
    }
    let mut names: Vec<&str> = request.tags.iter().map(String::as_str).collect();
    names.extend(request.fields.iter().map(|field| field.name.as_str()));
    if names.iter().any(|name| name.is_empty() || *name == "time") {
        return Err(ApiError::bad_request(
            "tag and field names must be non-empty and not time",
        ));
    }
    let count = names.len();
    names.sort_unstable();
    names.dedup();
    if names.len() != count {
        return Err(ApiError::bad_request("tag and field names must be unique"));
    }
    if let Some(field) = request
        .fields
        .iter()
        .find(|field| field_data_type(&field.field_type).is_none())
    {
        return Err(ApiError::bad_request(format!(
            "unknown field type {:?}: use utf8, int64, uint64, float64 or bool",
            field.field_type
        )));
    }
    Ok(())
}
