//! Databases of a cluster: list, create, update, delete, rename, undelete.
//!
//! A database is unique by name, which makes a create safe to retry without an
//! idempotency key: when a retried create is answered 409, or its outcome is
//! unknown, the client lists the databases and takes the one with that name if it
//! has the requested settings (the earlier attempt created it); one with other
//! settings is someone else's, and the 409 is returned.

use reqwest::Method;
use serde::de::DeserializeOwned;

use super::cluster::{DeleteOutcome, decode, encode, is_success, path_segment};
use super::transport::{Request, Response};
use super::{ClientError, ClientErrorKind, ManagementApiClient};
use crate::api::{
    CreateDatabaseRequest, DEFAULT_MAX_COLUMNS_PER_TABLE, DEFAULT_MAX_TABLES,
    DEFAULT_RETENTION_PERIOD, Database, RenameRequest, UpdateDatabaseRequest,
};

const LIST: &str = "list databases";
const CREATE: &str = "create database";
const UPDATE: &str = "update database";
const DELETE: &str = "delete database";
const RENAME: &str = "rename database";
const UNDELETE: &str = "undelete database";

impl ManagementApiClient {
    /// The cluster's databases (deleted ones are not listed).
    pub async fn list_databases(&self) -> Result<Vec<Database>, ClientError> {
        let path = format!("{}/databases", self.cluster_path(LIST)?);
        self.send_for(LIST, Method::GET, path, None, "a list of databases")
            .await
    }

    /// The database named `name`, found by listing; `None` when there is none.
    pub async fn find_database(&self, name: &str) -> Result<Option<Database>, ClientError> {
        let databases = self.list_databases().await?;
        Ok(databases.into_iter().find(|database| database.name == name))
    }

    /// Creates a database. Safe to retry: see the module documentation.
    pub async fn create_database(
        &self,
        request: &CreateDatabaseRequest,
    ) -> Result<Database, ClientError> {
        let path = format!("{}/databases", self.cluster_path(CREATE)?);
        let body = encode(CREATE, request)?;
        let sent = self
            .send_cluster(CREATE, Method::POST, path, Some(body))
            .await;
        let response = match sent {
            Ok(response) => response,
            Err(error) if error.outcome_unknown() => {
                return self.recover_database(request, error).await;
            }
            Err(error) => return Err(error),
        };
        if response.status == 409 && response.attempts > 1 {
            let conflict = self.inner.transport.api_error(CREATE, &response);
            return self.recover_database(request, conflict).await;
        }
        expect_success(self, CREATE, &response)?;
        decode(CREATE, &response, "a database")
    }

    /// After a create whose earlier attempt may have succeeded unseen: the database
    /// with the requested name and settings, or `error` when there is none.
    async fn recover_database(
        &self,
        request: &CreateDatabaseRequest,
        error: ClientError,
    ) -> Result<Database, ClientError> {
        log::warn!(
            "{CREATE}: an earlier attempt may have created {:?} ({error}); looking it up",
            request.name
        );
        match self.find_database(&request.name).await {
            Ok(Some(database)) if matches_request(&database, request) => {
                log::info!("{CREATE}: {:?} exists as requested", request.name);
                Ok(database)
            }
            Ok(Some(_)) => Err(ClientError::new(
                ClientErrorKind::Api {
                    operation: CREATE,
                    status: 409,
                    message: format!(
                        "a database named {:?} already exists with other settings",
                        request.name
                    ),
                },
                error.attempts(),
            )),
            Ok(None) => Err(error),
            Err(lookup) => {
                log::warn!("{CREATE}: the lookup failed too: {lookup}");
                Err(error)
            }
        }
    }

    /// Changes a database's limits or retention; at least one field must be set.
    pub async fn update_database(
        &self,
        name: &str,
        request: &UpdateDatabaseRequest,
    ) -> Result<Database, ClientError> {
        let path = self.database_path(UPDATE, name, "")?;
        let body = encode(UPDATE, request)?;
        self.send_for(UPDATE, Method::PATCH, path, Some(body), "a database")
            .await
    }

    /// Deletes a database (the API keeps it for a while, for an undelete).
    pub async fn delete_database(&self, name: &str) -> Result<DeleteOutcome, ClientError> {
        let path = self.database_path(DELETE, name, "")?;
        self.send_delete(DELETE, path).await
    }

    /// Renames a database; the response carries its `id`.
    pub async fn rename_database(
        &self,
        name: &str,
        new_name: &str,
    ) -> Result<Database, ClientError> {
        let path = self.database_path(RENAME, name, "/rename")?;
        let body = rename_body(RENAME, new_name)?;
        self.send_for(RENAME, Method::PUT, path, Some(body), "a database")
            .await
    }

    /// Restores the deleted database with numeric `id`.
    pub async fn undelete_database(&self, id: i64) -> Result<Database, ClientError> {
        let path = format!("{}/databases/{id}/undelete", self.cluster_path(UNDELETE)?);
        self.send_for(UNDELETE, Method::PUT, path, None, "a database")
            .await
    }

    /// `/…/databases/{name}{suffix}`, the name percent-encoded.
    pub(super) fn database_path(
        &self,
        operation: &'static str,
        name: &str,
        suffix: &str,
    ) -> Result<String, ClientError> {
        Ok(format!(
            "{}/databases/{}{suffix}",
            self.cluster_path(operation)?,
            path_segment(name)
        ))
    }

    /// Sends one cluster-scoped request without an idempotency key.
    pub(super) async fn send_cluster(
        &self,
        operation: &'static str,
        method: Method,
        path: String,
        body: Option<Vec<u8>>,
    ) -> Result<Response, ClientError> {
        let request = Request {
            operation,
            method,
            path,
            body,
            idempotency_key: None,
        };
        self.inner.transport.send(&request).await
    }

    /// Sends one cluster-scoped request and decodes the `what` (`"a table"`)
    /// its success carries; any other status is the API's error.
    pub(super) async fn send_for<T: DeserializeOwned>(
        &self,
        operation: &'static str,
        method: Method,
        path: String,
        body: Option<Vec<u8>>,
        what: &str,
    ) -> Result<T, ClientError> {
        let response = self.send_cluster(operation, method, path, body).await?;
        expect_success(self, operation, &response)?;
        decode(operation, &response, what)
    }

    /// Sends one cluster-scoped DELETE: see [`delete_outcome`].
    pub(super) async fn send_delete(
        &self,
        operation: &'static str,
        path: String,
    ) -> Result<DeleteOutcome, ClientError> {
        let response = self
            .send_cluster(operation, Method::DELETE, path, None)
            .await?;
        delete_outcome(self, operation, &response)
    }
}

/// The body of a rename (of a database or a table) to `new_name`.
pub(super) fn rename_body(operation: &'static str, new_name: &str) -> Result<Vec<u8>, ClientError> {
    encode(
        operation,
        &RenameRequest {
            name: new_name.to_owned(),
        },
    )
}

/// Whether `database` has what `request` asked for, defaults applied.
fn matches_request(database: &Database, request: &CreateDatabaseRequest) -> bool {
    database.max_tables == request.max_tables.unwrap_or(DEFAULT_MAX_TABLES)
        && database.max_columns_per_table
            == request
                .max_columns_per_table
                .unwrap_or(DEFAULT_MAX_COLUMNS_PER_TABLE)
        && database.retention_period == request.retention_period.unwrap_or(DEFAULT_RETENTION_PERIOD)
        && database.partition_template == request.partition_template
}

/// The API error for any status but 2xx.
pub(super) fn expect_success(
    client: &ManagementApiClient,
    operation: &'static str,
    response: &Response,
) -> Result<(), ClientError> {
    if is_success(response.status) {
        Ok(())
    } else {
        Err(client.inner.transport.api_error(operation, response))
    }
}

/// 204 (or any 2xx) is deleted, 404 is not found, anything else an error.
pub(super) fn delete_outcome(
    client: &ManagementApiClient,
    operation: &'static str,
    response: &Response,
) -> Result<DeleteOutcome, ClientError> {
    match response.status {
        404 => Ok(DeleteOutcome::NotFound),
        status if is_success(status) => Ok(DeleteOutcome::Deleted),
        _ => Err(client.inner.transport.api_error(operation, response)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::PartitionTemplatePart;

    #[test]
    fn a_database_matches_a_request_with_defaults_applied() {
        let database = Database {
            account_id: None,
            cluster_id: None,
            id: None,
            name: "db".to_owned(),
            max_tables: 500,
            max_columns_per_table: 200,
            retention_period: 0,
            partition_template: None,
        };
        let request = CreateDatabaseRequest {
            name: "db".to_owned(),
            max_tables: None,
            max_columns_per_table: None,
            retention_period: None,
            partition_template: None,
        };
        assert!(matches_request(&database, &request));
        let other = CreateDatabaseRequest {
            retention_period: Some(1),
            ..request.clone()
        };
        assert!(!matches_request(&database, &other));
        let templated = CreateDatabaseRequest {
            partition_template: Some(vec![PartitionTemplatePart::Time("%Y".to_owned())]),
            ..request
        };
        assert!(!matches_request(&database, &templated));
    }
}
