//! Tables of a database: create, delete, rename, undelete. The API has no way to
//! list or read tables.
//!
//! A table is unique by name within its database, so a create is retried without an
//! idempotency key. When a retried create is answered 409 (or its outcome is
//! unknown and a recovery attempt gets 409), the table exists; with no way to read
//! it, the client takes it as the one its earlier attempt created and returns what
//! was requested (see `docs/reliability.md`).

use reqwest::Method;

use super::cluster::{DeleteOutcome, decode, encode, path_segment};
use super::databases::{expect_success, rename_body};
use super::{ClientError, ManagementApiClient};
use crate::api::{CreateTableRequest, Table};

const CREATE: &str = "create table";
const DELETE: &str = "delete table";
const RENAME: &str = "rename table";
const UNDELETE: &str = "undelete table";

impl ManagementApiClient {
    /// Creates a table in `database`.
    pub async fn create_table(
        &self,
        database: &str,
        request: &CreateTableRequest,
    ) -> Result<Table, ClientError> {
        let path = self.database_path(CREATE, database, "/tables")?;
        let body = encode(CREATE, request)?;
        let response = match self
            .send_cluster(CREATE, Method::POST, path.clone(), Some(body.clone()))
            .await
        {
            Ok(response) => response,
            Err(error) if error.outcome_unknown() => {
                log::warn!("{CREATE}: outcome unknown ({error}); asking once more");
                let again = self
                    .send_cluster(CREATE, Method::POST, path, Some(body))
                    .await;
                match again {
                    Ok(response) if response.status == 409 => {
                        return Ok(assumed_created(database, request));
                    }
                    Ok(response) => response,
                    Err(_) => return Err(error),
                }
            }
            Err(error) => return Err(error),
        };
        if response.status == 409 && response.attempts > 1 {
            return Ok(assumed_created(database, request));
        }
        expect_success(self, CREATE, &response)?;
        decode(CREATE, &response, "a table")
    }

    /// Deletes a table of `database`.
    pub async fn delete_table(
        &self,
        database: &str,
        table: &str,
    ) -> Result<DeleteOutcome, ClientError> {
        let path = self.table_path(DELETE, database, table, "")?;
        self.send_delete(DELETE, path).await
    }

    /// Renames a table of `database`; the response carries its `id`.
    pub async fn rename_table(
        &self,
        database: &str,
        table: &str,
        new_name: &str,
    ) -> Result<Table, ClientError> {
        let path = self.table_path(RENAME, database, table, "/rename")?;
        let body = rename_body(RENAME, new_name)?;
        self.send_for(RENAME, Method::PUT, path, Some(body), "a table")
            .await
    }

    /// Restores the deleted table with numeric `id` of `database`.
    pub async fn undelete_table(&self, database: &str, id: i64) -> Result<Table, ClientError> {
        let path = self.table_path(UNDELETE, database, &id.to_string(), "/undelete")?;
        self.send_for(UNDELETE, Method::PUT, path, None, "a table")
            .await
    }

    fn table_path(
        &self,
        operation: &'static str,
        database: &str,
        table: &str,
        suffix: &str,
    ) -> Result<String, ClientError> {
        let tables = self.database_path(operation, database, "/tables")?;
        Ok(format!("{tables}/{}{suffix}", path_segment(table)))
    }
}

/// The table a retried create found existing, as requested.
fn assumed_created(database: &str, request: &CreateTableRequest) -> Table {
    log::warn!(
        "{CREATE}: {:?} exists after a retry; taking it as created by the earlier attempt",
        request.name
    );
    Table {
        account_id: None,
        cluster_id: None,
        database_name: database.to_owned(),
        id: None,
        name: request.name.clone(),
        partition_template: request.partition_template.clone(),
    }
}
