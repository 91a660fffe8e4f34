//! The database-token table: create (with idempotency), list, get, update, delete.
//!
//! A delete revokes: the token stays listed, with `revokedAt`, and can no longer be
//! updated. Deleting it again changes nothing and succeeds.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Store;
use super::databases::Scope;
use super::management_tokens::whole_seconds;
use super::partition_template::validate_database_name;
use super::state_file::StateData;
use crate::api::{
    ACTION_READ, ACTION_WRITE, ALL_DATABASES, CreateDatabaseTokenRequest, DatabaseToken,
    DatabaseTokenPermission, UpdateDatabaseTokenRequest,
};
use crate::emulator::ApiError;
use crate::emulator::operation::Operation;
use crate::emulator::secret::{digest_of, generate_database_token_secret, prefix_of};

/// A database token as the state file keeps it: the digest of its secret, never the
/// secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StoredDatabaseToken {
    pub(crate) id: Uuid,
    pub(crate) description: String,
    pub(crate) permissions: Vec<DatabaseTokenPermission>,
    pub(crate) created_at: DateTime<Utc>,
    #[serde(default)]
    pub(crate) expires_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub(crate) revoked_at: Option<DateTime<Utc>>,
    /// The first characters of the secret, for the console (as a management token's
    /// prefix); empty for tokens of state files written before it was kept.
    #[serde(default)]
    pub(crate) token_prefix: String,
    pub(crate) secret_sha256: String,
}

impl Store {
    /// Mints a database token and returns it with its secret. With an
    /// `idempotency_key` used before for the same request, returns the first result
    /// (same id, same secret) and mints nothing.
    pub(crate) fn create_database_token(
        &mut self,
        request: CreateDatabaseTokenRequest,
        idempotency_key: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<DatabaseToken, ApiError> {
        let scope = self.scope();
        self.create_once(
            Operation::CreateDatabaseToken,
            idempotency_key,
            &request.clone(),
            now,
            |data| {
                validate_permissions(&request.permissions)?;
                if request.expires_at.is_some_and(|expiry| expiry <= now) {
                    return Err(ApiError::bad_request("expiresAt must be in the future"));
                }
                let secret = generate_database_token_secret().map_err(ApiError::internal)?;
                let stored = StoredDatabaseToken {
                    id: Uuid::new_v4(),
                    description: request.description,
                    permissions: request.permissions,
                    created_at: whole_seconds(now),
                    expires_at: request.expires_at,
                    revoked_at: None,
                    token_prefix: prefix_of(&secret),
                    secret_sha256: digest_of(&secret),
                };
                let created = DatabaseToken {
                    access_token: Some(secret.into()),
                    ..render(scope, &stored)
                };
                data.database_tokens.push(stored);
                Ok(created)
            },
        )
    }

    /// Every database token ever minted, deleted ones included, oldest first.
    pub(crate) fn list_database_tokens(&self) -> Vec<DatabaseToken> {
        let scope = self.scope();
        self.data
            .database_tokens
            .iter()
            .map(|token| render(scope, token))
            .collect()
    }

    /// The database token `id`, deleted or not; 404 when it was never minted.
    pub(crate) fn get_database_token(&self, id: Uuid) -> Result<DatabaseToken, ApiError> {
        self.data
            .database_tokens
            .iter()
            .find(|token| token.id == id)
            .map(|token| render(self.scope(), token))
            .ok_or_else(database_token_not_found)
    }

    /// Changes the description and/or permissions; 409 for a deleted token.
    pub(crate) fn update_database_token(
        &mut self,
        id: Uuid,
        request: UpdateDatabaseTokenRequest,
    ) -> Result<DatabaseToken, ApiError> {
        if request.is_empty() {
            return Err(ApiError::bad_request(
                "the request must set description or permissions",
            ));
        }
        if let Some(permissions) = &request.permissions {
            validate_permissions(permissions)?;
        }
        let scope = self.scope();
        self.commit(|data| {
            let token = token_mut(data, id)?;
            if token.revoked_at.is_some() {
                return Err(ApiError::conflict("database token was deleted"));
            }
            if let Some(description) = request.description {
                token.description = description;
            }
            if let Some(permissions) = request.permissions {
                token.permissions = permissions;
            }
            Ok(render(scope, token))
        })
    }

    /// Deletes (revokes) the token `id` at `now`; 404 when unknown. A token deleted
    /// before keeps its first `revokedAt`.
    pub(crate) fn delete_database_token(
        &mut self,
        id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<(), ApiError> {
        self.commit(|data| {
            let token = token_mut(data, id)?;
            token.revoked_at.get_or_insert(whole_seconds(now));
            Ok(())
        })
    }
}

/// The 404 for a database token id that was never minted.
pub(crate) fn database_token_not_found() -> ApiError {
    ApiError::not_found("database token not found")
}

/// The stored token `id`; 404 when it was never minted.
fn token_mut(data: &mut StateData, id: Uuid) -> Result<&mut StoredDatabaseToken, ApiError> {
    data.database_tokens
        .iter_mut()
        .find(|token| token.id == id)
        .ok_or_else(database_token_not_found)
}

/// Checks every permission: action `read` or `write`, resource `*` or a valid
/// database name (which need not exist yet).
fn validate_permissions(permissions: &[DatabaseTokenPermission]) -> Result<(), ApiError> {
    for permission in permissions {
        if permission.action != ACTION_READ && permission.action != ACTION_WRITE {
            return Err(ApiError::bad_request(format!(
                "permission action must be {ACTION_READ:?} or {ACTION_WRITE:?}, not {:?}",
                permission.action
            )));
        }
        if permission.resource != ALL_DATABASES {
            validate_database_name(&permission.resource).map_err(|_| {
                ApiError::bad_request(format!(
                    "permission resource must be {ALL_DATABASES:?} or a database name, not {:?}",
                    permission.resource
                ))
            })?;
        }
    }
    Ok(())
}

fn render(scope: Scope, token: &StoredDatabaseToken) -> DatabaseToken {
    DatabaseToken {
        account_id: scope.account_id,
        cluster_id: scope.cluster_id,
        id: token.id,
        description: token.description.clone(),
        permissions: token.permissions.clone(),
        created_at: token.created_at,
        expires_at: token.expires_at,
        revoked_at: token.revoked_at,
        access_token: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::Config;
    use axum::http::StatusCode;
    use chrono::TimeDelta;

    fn store() -> Store {
        Store::open(&Config::default()).unwrap_or_else(|error| panic!("{error}"))
    }

    fn permission(action: &str, resource: &str) -> DatabaseTokenPermission {
        DatabaseTokenPermission {
            action: action.to_owned(),
            resource: resource.to_owned(),
        }
    }

    fn request(permissions: Vec<DatabaseTokenPermission>) -> CreateDatabaseTokenRequest {
        CreateDatabaseTokenRequest {
            description: "ingest".to_owned(),
            permissions,
            expires_at: None,
        }
    }

    #[test]
    fn a_token_is_minted_updated_and_deleted_but_stays_listed() {
        let mut store = store();
        let now = Utc::now();
        let created = store
            .create_database_token(request(vec![permission("write", "db")]), None, now)
            .unwrap_or_else(|error| panic!("{error}"));
        let secret = created.access_token.clone().unwrap_or_default();
        let secret = secret.expose();
        assert!(secret.len() >= 64 + "apiv1_".len());
        assert_eq!(store.list_database_tokens()[0].access_token, None);
        let update = UpdateDatabaseTokenRequest {
            permissions: Some(vec![]),
            ..UpdateDatabaseTokenRequest::default()
        };
        let updated = store.update_database_token(created.id, update.clone());
        assert_eq!(updated.map(|token| token.permissions), Ok(vec![]));
        assert_eq!(store.delete_database_token(created.id, now), Ok(()));
        let revoked_at = store
            .get_database_token(created.id)
            .ok()
            .and_then(|t| t.revoked_at);
        assert!(revoked_at.is_some());
        let later = now + TimeDelta::seconds(5);
        assert_eq!(store.delete_database_token(created.id, later), Ok(()));
        let again = store
            .get_database_token(created.id)
            .ok()
            .and_then(|t| t.revoked_at);
        assert_eq!(
            again, revoked_at,
            "a second delete keeps the first revokedAt"
        );
        let outcome = store.update_database_token(created.id, update);
        assert_eq!(outcome.map_err(|e| e.status()), Err(StatusCode::CONFLICT));
        assert_eq!(store.list_database_tokens().len(), 1);
        let missing = store.delete_database_token(Uuid::new_v4(), now);
        assert_eq!(missing.map_err(|e| e.status()), Err(StatusCode::NOT_FOUND));
    }

    #[test]
    fn invalid_tokens_are_rejected() {
        let mut store = store();
        let now = Utc::now();
        let cases = [
            request(vec![permission("admin", "*")]),
            request(vec![permission("read", "bad name")]),
            CreateDatabaseTokenRequest {
                expires_at: Some(now),
                ..request(vec![])
            },
        ];
        for case in cases {
            let outcome = store.create_database_token(case.clone(), None, now);
            assert_eq!(
                outcome.map_err(|e| e.status()),
                Err(StatusCode::BAD_REQUEST),
                "{case:?}"
            );
        }
        let empty =
            store.update_database_token(Uuid::new_v4(), UpdateDatabaseTokenRequest::default());
        assert_eq!(empty.map_err(|e| e.status()), Err(StatusCode::BAD_REQUEST));
    }

    #[test]
    fn a_keyed_create_returns_the_same_secret() {
        let mut store = store();
        let now = Utc::now();
        let first = store.create_database_token(request(vec![]), Some("k"), now);
        let again = store.create_database_token(request(vec![]), Some("k"), now);
        assert!(first.is_ok());
        assert_eq!(first, again);
        assert_eq!(store.list_database_tokens().len(), 1);
    }
}
