//! Table operations: create, delete, set or clear a table's retention period
//! (Enterprise), and read a table's columns with SQL on
//! `information_schema.columns` (the API has no endpoint that lists tables).

use reqwest::Method;

use super::{DeleteOutcome, V3Client, encode, with_query};
use crate::api::v3_tables::{
    ColumnRow, CreateTableRequest, TABLE_PATH, TABLE_RETENTION_PATH, table_columns_query,
};
use crate::provider::client::ClientError;
use crate::provider::client::management_tokens::is_success;
use crate::provider::client::transport::Request;

const CREATE: &str = "create table";
const DELETE: &str = "delete table";
const RETENTION: &str = "set table retention period";
const READ: &str = "read table";

impl V3Client {
    /// Creates a table in an existing database.
    pub async fn create_table(&self, body: &CreateTableRequest) -> Result<(), ClientError> {
        let response = self
            .send(Request {
                operation: CREATE,
                method: Method::POST,
                path: TABLE_PATH.to_owned(),
                body: Some(encode(body, "create request")?),
                idempotency_key: None,
            })
            .await?;
        if is_success(response.status) {
            Ok(())
        } else {
            Err(self.api_error(CREATE, &response))
        }
    }

    /// Deletes `table` of `db` (the API's soft delete). A table that is not
    /// there (404), or is deleted already (409), is [`DeleteOutcome::NotFound`].
    pub async fn delete_table(&self, db: &str, table: &str) -> Result<DeleteOutcome, ClientError> {
        let response = self
            .send(Request {
                operation: DELETE,
                method: Method::DELETE,
                path: with_query(TABLE_PATH, &[("db", db), ("table", table)]),
                body: None,
                idempotency_key: None,
            })
            .await?;
        match response.status {
            404 | 409 => Ok(DeleteOutcome::NotFound),
            status if is_success(status) => Ok(DeleteOutcome::Deleted),
            _ => Err(self.api_error(DELETE, &response)),
        }
    }

    /// Sets (`Some`) or clears (`None`: the database's period applies) the
    /// retention period of a table. InfluxDB 3 Enterprise only.
    pub async fn set_table_retention(
        &self,
        db: &str,
        table: &str,
        retention_period: Option<&str>,
    ) -> Result<(), ClientError> {
        let (method, path) = match retention_period {
            Some(duration) => (
                Method::POST,
                with_query(
                    TABLE_RETENTION_PATH,
                    &[("db", db), ("table", table), ("duration", duration)],
                ),
            ),
            None => (
                Method::DELETE,
                with_query(TABLE_RETENTION_PATH, &[("db", db), ("table", table)]),
            ),
        };
        let response = self
            .send(Request {
                operation: RETENTION,
                method,
                path,
                body: None,
                idempotency_key: None,
            })
            .await?;
        if is_success(response.status) {
            Ok(())
        } else {
            Err(self.api_error(RETENTION, &response))
        }
    }

    /// The columns of `table` in `db`, from `information_schema.columns`:
    /// `None` when the database does not exist (the query is answered 404), an
    /// empty list when the table does not.
    pub async fn table_columns(
        &self,
        db: &str,
        table: &str,
    ) -> Result<Option<Vec<ColumnRow>>, ClientError> {
        let Some(rows) = self
            .query_rows::<ColumnRow>(READ, db, table_columns_query(table))
            .await?
        else {
            return Ok(None);
        };
        // The query names the table; a server that ignored the filter must not
        // make another table look like this one.
        Ok(Some(
            rows.into_iter()
                .filter(|row| row.table_name == table)
                .collect(),
        ))
    }
}
