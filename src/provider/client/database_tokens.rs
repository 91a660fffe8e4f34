//! Database tokens of a cluster: create, list, get, update, delete.
//!
//! The secret (`accessToken`) exists only in the create response, so a create
//! whose response is lost must not be answered by minting another token. The
//! client sends an `Idempotency-Key` (the same on every attempt and on the recovery
//! attempt after an unknown outcome), which the emulator honours. The published API
//! does not document that header: against a server that ignores it, a retried create
//! may mint a second token while the first stays active with its secret lost. So
//! after any create that took more than one attempt, the client lists the tokens and
//! reports, in [`CreatedDatabaseToken::possible_duplicates`], every other active
//! token with the same description and permissions created since the create began.

use chrono::{SubsecRound as _, Utc};
use reqwest::Method;
use uuid::Uuid;

use super::cluster::{DeleteOutcome, decode, encode, invalid_response, is_success};
use super::databases::{delete_outcome, expect_success};
use super::transport::{Request, Response};
use super::{ClientError, ManagementApiClient, RevokeOutcome};
use crate::api::{CreateDatabaseTokenRequest, DatabaseToken, Secret, UpdateDatabaseTokenRequest};

const CREATE: &str = "create database token";
const LIST: &str = "list database tokens";
const READ: &str = "read database token";
const UPDATE: &str = "update database token";
const DELETE: &str = "delete database token";

/// The longest a create's recovery attempt may take (less when the request timeout
/// is shorter).
const RECOVERY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// The result of [`ManagementApiClient::create_database_token`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedDatabaseToken {
    /// The token, with its secret in `access_token`.
    pub token: DatabaseToken,
    /// Ids of other active tokens with the same description and permissions created
    /// while this create was retried: possibly minted by an attempt whose response
    /// was lost, on a server that ignores `Idempotency-Key`. Empty after a create
    /// that succeeded at the first attempt.
    pub possible_duplicates: Vec<Uuid>,
}

impl ManagementApiClient {
    /// Creates a database token; the result carries the secret.
    pub async fn create_database_token(
        &self,
        request: &CreateDatabaseTokenRequest,
    ) -> Result<CreatedDatabaseToken, ClientError> {
        // Whole seconds: the API's `createdAt` may be truncated.
        let started = Utc::now().trunc_subsecs(0);
        let request_out = Request {
            operation: CREATE,
            method: Method::POST,
            path: format!("{}/tokens", self.cluster_path(CREATE)?),
            body: Some(encode(CREATE, request)?),
            idempotency_key: Some(Uuid::new_v4()),
        };
        let (response, retried) = match self.inner.transport.send(&request_out).await {
            Ok(response) => {
                let retried = response.attempts > 1;
                (response, retried)
            }
            Err(error) if error.outcome_unknown() => {
                (self.recover_token_create(&request_out, error).await?, true)
            }
            Err(error) => return Err(error),
        };
        expect_success(self, CREATE, &response)?;
        let token: DatabaseToken = decode(CREATE, &response, "a database token")?;
        if token.access_token.as_ref().is_none_or(Secret::is_empty) {
            return Err(invalid_response(
                CREATE,
                &response,
                "the create response carries no accessToken".to_owned(),
            ));
        }
        let possible_duplicates = if retried {
            self.possible_duplicates(&token, request, started).await
        } else {
            Vec::new()
        };
        Ok(CreatedDatabaseToken {
            token,
            possible_duplicates,
        })
    }

    /// One more attempt with the same idempotency key after an unknown outcome.
    async fn recover_token_create(
        &self,
        request: &Request,
        error: ClientError,
    ) -> Result<Response, ClientError> {
        let timeout = self.inner.transport.request_timeout().min(RECOVERY_TIMEOUT);
        log::warn!("{CREATE}: outcome unknown ({error}); asking once more with the same key");
        match self
            .inner
            .transport
            .send_recovery_attempt(request, timeout)
            .await
        {
            Ok(response) if is_success(response.status) => Ok(response),
            Ok(response) => {
                log::warn!("{CREATE}: recovery answered HTTP {}", response.status);
                Err(error)
            }
            Err(recovery_error) => {
                log::warn!("{CREATE}: recovery failed too: {recovery_error}");
                Err(error)
            }
        }
    }

    /// Other active tokens like `created`, made since `started`.
    async fn possible_duplicates(
        &self,
        created: &DatabaseToken,
        request: &CreateDatabaseTokenRequest,
        started: chrono::DateTime<Utc>,
    ) -> Vec<Uuid> {
        let tokens = match self.list_database_tokens().await {
            Ok(tokens) => tokens,
            Err(error) => {
                log::warn!("{CREATE}: cannot check for duplicates: {error}");
                return Vec::new();
            }
        };
        let now = Utc::now();
        let duplicates: Vec<Uuid> = tokens
            .iter()
            .filter(|token| {
                token.id != created.id
                    && token.is_active_at(now)
                    && token.created_at >= started
                    && token.description == request.description
                    && token.permissions == request.permissions
            })
            .map(|token| token.id)
            .collect();
        if !duplicates.is_empty() {
            log::warn!(
                "{CREATE}: {} other token(s) with the same description and permissions were \
                 created meanwhile: {duplicates:?}",
                duplicates.len()
            );
        }
        duplicates
    }

    /// Every database token of the cluster, deleted (revoked) ones included.
    pub async fn list_database_tokens(&self) -> Result<Vec<DatabaseToken>, ClientError> {
        let path = format!("{}/tokens", self.cluster_path(LIST)?);
        let response = self.send_cluster(LIST, Method::GET, path, None).await?;
        expect_success(self, LIST, &response)?;
        decode(LIST, &response, "a list of database tokens")
    }

    /// One database token; `Ok(None)` when the API does not know the id (404).
    pub async fn get_database_token(&self, id: Uuid) -> Result<Option<DatabaseToken>, ClientError> {
        let path = self.database_token_path(READ, id)?;
        let response = self.send_cluster(READ, Method::GET, path, None).await?;
        match response.status {
            404 => Ok(None),
            _ => {
                expect_success(self, READ, &response)?;
                decode(READ, &response, "a database token").map(Some)
            }
        }
    }

    /// Changes a token's description and/or permissions.
    pub async fn update_database_token(
        &self,
        id: Uuid,
        request: &UpdateDatabaseTokenRequest,
    ) -> Result<DatabaseToken, ClientError> {
        let path = self.database_token_path(UPDATE, id)?;
        let body = encode(UPDATE, request)?;
        let response = self
            .send_cluster(UPDATE, Method::PATCH, path, Some(body))
            .await?;
        expect_success(self, UPDATE, &response)?;
        decode(UPDATE, &response, "a database token")
    }

    /// Deletes (revokes) a token; it stays listed with `revoked_at`.
    pub async fn delete_database_token(&self, id: Uuid) -> Result<DeleteOutcome, ClientError> {
        let path = self.database_token_path(DELETE, id)?;
        let response = self
            .send_cluster(DELETE, Method::DELETE, path, None)
            .await?;
        delete_outcome(self, DELETE, &response)
    }

    /// Revokes (deletes) a database token, as a destroy wants it: a 204 is
    /// [`RevokeOutcome::Revoked`]; a 404 or 409 counts as done only when it is
    /// the API's own error response and the token list confirms the token absent
    /// ([`RevokeOutcome::NotFound`]) or no longer active
    /// ([`RevokeOutcome::AlreadyRevoked`]), as for management tokens. Otherwise
    /// it fails with [`super::ClientErrorKind::Unconfirmed`].
    pub async fn revoke_database_token(&self, id: Uuid) -> Result<RevokeOutcome, ClientError> {
        let path = self.database_token_path(DELETE, id)?;
        let response = self
            .send_cluster(DELETE, Method::DELETE, path, None)
            .await?;
        match response.status {
            404 | 409 => {
                let listed_active = async {
                    let listed = self.list_database_tokens().await?;
                    Ok(listed
                        .iter()
                        .find(|token| token.id == id)
                        .map(|token| token.is_active_at(Utc::now())))
                };
                self.confirm_revoked(DELETE, &response, listed_active).await
            }
            _ => {
                expect_success(self, DELETE, &response)?;
                Ok(RevokeOutcome::Revoked)
            }
        }
    }

    fn database_token_path(
        &self,
        operation: &'static str,
        id: Uuid,
    ) -> Result<String, ClientError> {
        Ok(format!("{}/tokens/{id}", self.cluster_path(operation)?))
    }
}
