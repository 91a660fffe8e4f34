//! Database operations: create, list, set or remove the retention period,
//! delete.

use reqwest::Method;
use serde::Deserialize;

use super::{V3Client, encode, with_query};
use crate::api::v3::{
    CreateDatabaseRequest, DATABASE_PATH, DATABASE_RETENTION_PATH, UpdateDatabaseRequest,
};
use crate::provider::client::ClientError;
use crate::provider::client::management_tokens::{is_success, parse};
use crate::provider::client::transport::Request;

use super::DeleteOutcome;

const CREATE: &str = "create database";
const LIST: &str = "list databases";
const UPDATE: &str = "update database";
const DELETE: &str = "delete database";

/// `GET /api/v3/configure/database?format=json`: the published schema
/// (`{"databases": [...]}`) or the row form a server may send
/// (`[{"iox::database": "..."}]`).
#[derive(Deserialize)]
#[serde(untagged)]
enum DatabaseList {
    Object { databases: Vec<String> },
    Rows(Vec<DatabaseRow>),
}

#[derive(Deserialize)]
struct DatabaseRow {
    #[serde(rename = "iox::database")]
    name: String,
}

impl V3Client {
    /// Creates a database. A retried create answered 409 counts as done: the
    /// first attempt made it.
    pub async fn create_database(&self, body: &CreateDatabaseRequest) -> Result<(), ClientError> {
        let response = self
            .send(Request {
                operation: CREATE,
                method: Method::POST,
                path: DATABASE_PATH.to_owned(),
                body: Some(encode(body, "create request")?),
                idempotency_key: None,
            })
            .await?;
        match response.status {
            409 if response.attempts > 1 => Ok(()),
            status if is_success(status) => Ok(()),
            _ => Err(self.api_error(CREATE, &response)),
        }
    }

    /// The names of the active databases (soft-deleted ones are not listed).
    pub async fn list_databases(&self) -> Result<Vec<String>, ClientError> {
        let response = self
            .send(Request {
                operation: LIST,
                method: Method::GET,
                path: with_query(DATABASE_PATH, &[("format", "json")]),
                body: None,
                idempotency_key: None,
            })
            .await?;
        if !is_success(response.status) {
            return Err(self.api_error(LIST, &response));
        }
        if response.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Vec::new());
        }
        let list: DatabaseList = parse(LIST, &response, "a list of databases")?;
        Ok(match list {
            DatabaseList::Object { databases } => databases,
            DatabaseList::Rows(rows) => rows.into_iter().map(|row| row.name).collect(),
        })
    }

    /// Sets the retention period of `db` (`Some`), or removes it (`None`:
    /// data is kept forever).
    pub async fn set_database_retention(
        &self,
        db: &str,
        retention_period: Option<&str>,
    ) -> Result<(), ClientError> {
        let request = match retention_period {
            Some(period) => Request {
                operation: UPDATE,
                method: Method::PUT,
                path: DATABASE_PATH.to_owned(),
                body: Some(encode(
                    &UpdateDatabaseRequest {
                        db: db.to_owned(),
                        retention_period: period.to_owned(),
                    },
                    "update request",
                )?),
                idempotency_key: None,
            },
            None => Request {
                operation: UPDATE,
                method: Method::DELETE,
                path: with_query(DATABASE_RETENTION_PATH, &[("db", db)]),
                body: None,
                idempotency_key: None,
            },
        };
        let response = self.send(request).await?;
        if is_success(response.status) {
            Ok(())
        } else {
            Err(self.api_error(UPDATE, &response))
        }
    }

    /// Deletes `db` (the API's soft delete).
    pub async fn delete_database(&self, db: &str) -> Result<DeleteOutcome, ClientError> {
        self.delete(DELETE, with_query(DATABASE_PATH, &[("db", db)]))
            .await
    }
}
