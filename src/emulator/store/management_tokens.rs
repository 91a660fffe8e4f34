//! The management-token table: create (with idempotency), list, get, revoke.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::state_file::StoredManagementToken;
use super::{Identity, Store, idempotency};
use crate::api::{CreateManagementTokenRequest, ManagementToken, Secret};
use crate::emulator::operation::Operation;
use crate::emulator::secret::{digest_of, generate_secret, prefix_of};
use crate::emulator::{ApiError, Flavor};

/// The longest description the API accepts, in characters.
const MAX_DESCRIPTION_CHARS: usize = 255;

impl Store {
    /// Mints a token for `request`, created by `caller`, and returns it with its secret.
    ///
    /// With an `idempotency_key` that was used before for the same request, returns the
    /// first result (same id, same secret) and mints nothing.
    pub(crate) fn create_management_token(
        &mut self,
        caller: Identity,
        request: CreateManagementTokenRequest,
        idempotency_key: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<ManagementToken, ApiError> {
        let operation = Operation::CreateManagementToken;
        let request_json = serde_json::to_value(&request).map_err(ApiError::internal)?;
        if let Some(key) = idempotency_key {
            let first =
                idempotency::find(&self.data.idempotency, key, operation, &request_json, now)?;
            if let Some(first) = first {
                return serde_json::from_value(first.clone()).map_err(ApiError::internal);
            }
        }
        validate_create(&request, now)?;

        let secret = Secret::new(generate_secret().map_err(ApiError::internal)?);
        let stored = StoredManagementToken {
            id: Uuid::new_v4(),
            description: request.description,
            token_prefix: prefix_of(secret.expose()),
            created_at: whole_seconds(now),
            created_by: caller.id(),
            expires_at: request.expires_at,
            revoked_at: None,
            secret_sha256: digest_of(secret.expose()),
        };
        let created = ManagementToken {
            access_token: Some(secret),
            ..self.render(&stored)
        };
        let response_json = match idempotency_key {
            Some(_) => serde_json::to_value(&created).map_err(ApiError::internal)?,
            None => serde_json::Value::Null,
        };
        self.commit(|data| {
            data.management_tokens.push(stored);
            if let Some(key) = idempotency_key {
                idempotency::remember(
                    &mut data.idempotency,
                    key,
                    operation,
                    request_json,
                    response_json,
                    now,
                );
            }
            Ok(())
        })?;
        Ok(created)
    }

    /// Every token ever minted, revoked and expired ones included, oldest first.
    pub(crate) fn list_management_tokens(&self) -> Vec<ManagementToken> {
        self.data
            .management_tokens
            .iter()
            .map(|token| self.render(token))
            .collect()
    }

    /// The token with `id`, revoked or not; 404 when it was never minted.
    pub(crate) fn get_management_token(&self, id: Uuid) -> Result<ManagementToken, ApiError> {
        self.data
            .management_tokens
            .iter()
            .find(|token| token.id == id)
            .map(|token| self.render(token))
            .ok_or_else(token_not_found)
    }

    /// Revokes the token with `id` at `now`; 404 when unknown, 409 when already revoked.
    pub(crate) fn revoke_management_token(
        &mut self,
        id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<(), ApiError> {
        self.commit(|data| {
            let token = data
                .management_tokens
                .iter_mut()
                .find(|token| token.id == id)
                .ok_or_else(token_not_found)?;
            if token.revoked_at.is_some() {
                return Err(ApiError::conflict("token already revoked"));
            }
            token.revoked_at = Some(whole_seconds(now));
            Ok(())
        })
    }

    /// The API view of a stored token, without its secret.
    fn render(&self, token: &StoredManagementToken) -> ManagementToken {
        ManagementToken {
            account_id: match self.flavor {
                Flavor::CloudDedicated => Some(self.data.account_id),
                _ => None,
            },
            id: token.id,
            description: token.description.clone(),
            token_prefix: token.token_prefix.clone(),
            created_at: token.created_at,
            created_by: token.created_by,
            expires_at: token.expires_at,
            revoked_at: token.revoked_at,
            access_token: None,
        }
    }
}

/// The 404 for a token id that was never minted.
pub(crate) fn token_not_found() -> ApiError {
    ApiError::not_found("management token not found")
}

/// Checks a create request: a description of 1..=255 characters that is not only
/// whitespace, and an expiry (if any) after `now`.
fn validate_create(
    request: &CreateManagementTokenRequest,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    if request.description.trim().is_empty() {
        return Err(ApiError::bad_request("description must not be empty"));
    }
    if request.description.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(ApiError::bad_request(format!(
            "description must be at most {MAX_DESCRIPTION_CHARS} characters"
        )));
    }
    if request.expires_at.is_some_and(|expiry| expiry <= now) {
        return Err(ApiError::bad_request("expiresAt must be in the future"));
    }
    Ok(())
}

/// Timestamps the emulator sets itself are whole seconds, as in `2026-03-01T12:00:00Z`.
pub(super) fn whole_seconds(time: DateTime<Utc>) -> DateTime<Utc> {
    use chrono::SubsecRound as _;
    time.trunc_subsecs(0)
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

    fn request(description: &str) -> CreateManagementTokenRequest {
        CreateManagementTokenRequest {
            description: description.to_owned(),
            expires_at: None,
        }
    }

    #[test]
    fn create_requests_are_validated() {
        let now = Utc::now();
        let cases = [
            ("plain", request("ci token"), None),
            ("255 characters", request(&"é".repeat(255)), None),
            ("empty", request(""), Some("description must not be empty")),
            (
                "whitespace",
                request(" \t\n"),
                Some("description must not be empty"),
            ),
            (
                "256 characters",
                request(&"x".repeat(256)),
                Some("description must be at most 255 characters"),
            ),
            (
                "expiry now",
                CreateManagementTokenRequest {
                    expires_at: Some(now),
                    ..request("a")
                },
                Some("expiresAt must be in the future"),
            ),
            (
                "expiry later",
                CreateManagementTokenRequest {
                    expires_at: Some(now + TimeDelta::seconds(1)),
                    ..request("a")
                },
                None,
            ),
        ];
        for (name, request, expected) in cases {
            let outcome = validate_create(&request, now).err();
            assert_eq!(
                outcome.as_ref().map(ApiError::message),
                expected,
                "case {name}"
            );
            if let Some(error) = outcome {
                assert_eq!(error.status(), StatusCode::BAD_REQUEST, "case {name}");
            }
        }
    }

    #[test]
    fn a_minted_token_authenticates_until_revoked() {
        let mut store = store();
        let now = Utc::now();
        let created = store
            .create_management_token(Identity::Bootstrap, request("a"), None, now)
            .unwrap_or_else(|error| panic!("{error}"));
        let secret = created
            .access_token
            .as_ref()
            .map(|secret| secret.expose().to_owned())
            .unwrap_or_default();
        assert_eq!(created.created_by, BOOTSTRAP_ID);
        assert_eq!(created.token_prefix, secret[..9]);
        assert_eq!(
            store.authenticate(&secret, now),
            Some(Identity::ManagementToken(created.id))
        );
        assert_eq!(store.revoke_management_token(created.id, now), Ok(()));
        assert_eq!(store.authenticate(&secret, now), None);
        let again = store.revoke_management_token(created.id, now);
        assert_eq!(again, Err(ApiError::conflict("token already revoked")));
        let listed = store.list_management_tokens();
        assert_eq!(listed.len(), 1);
        assert!(listed[0].revoked_at.is_some());
        assert_eq!(listed[0].access_token, None);
    }

    const BOOTSTRAP_ID: Uuid = crate::emulator::BOOTSTRAP_IDENTITY_ID;

    #[test]
    fn an_expired_token_no_longer_authenticates() {
        let mut store = store();
        let now = Utc::now();
        let expiring = CreateManagementTokenRequest {
            expires_at: Some(now + TimeDelta::seconds(10)),
            ..request("short-lived")
        };
        let created = store
            .create_management_token(Identity::Bootstrap, expiring, None, now)
            .unwrap_or_else(|error| panic!("{error}"));
        let secret = created
            .access_token
            .map(|secret| secret.expose().to_owned())
            .unwrap_or_default();
        assert!(store.authenticate(&secret, now).is_some());
        assert_eq!(
            store.authenticate(&secret, now + TimeDelta::seconds(10)),
            None
        );
    }

    #[test]
    fn idempotent_create_returns_the_first_token() {
        let mut store = store();
        let now = Utc::now();
        let key = Some("retry-1");
        let first = store.create_management_token(Identity::Bootstrap, request("a"), key, now);
        let second = store.create_management_token(Identity::Bootstrap, request("a"), key, now);
        assert!(first.is_ok());
        assert_eq!(first, second);
        assert_eq!(store.list_management_tokens().len(), 1);
        let other = store.create_management_token(Identity::Bootstrap, request("b"), key, now);
        assert_eq!(
            other.map_err(|error| error.status()),
            Err(StatusCode::UNPROCESSABLE_ENTITY)
        );
    }

    #[test]
    fn clustered_tokens_have_no_account_id() {
        let config = Config {
            flavor: Flavor::Clustered,
            ..Config::default()
        };
        let mut store = Store::open(&config).unwrap_or_else(|error| panic!("{error}"));
        let created = store
            .create_management_token(Identity::Bootstrap, request("a"), None, Utc::now())
            .unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(created.account_id, None);
    }

    #[test]
    fn unknown_ids_are_not_found() {
        let mut store = store();
        let id = Uuid::new_v4();
        assert_eq!(store.get_management_token(id), Err(token_not_found()));
        assert_eq!(
            store.revoke_management_token(id, Utc::now()),
            Err(token_not_found())
        );
    }
}
