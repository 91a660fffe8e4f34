//! The tables of the self-hosted products (InfluxDB 3 Core and Enterprise):
//! tokens (named admin and resource tokens) and databases, as the `/api/v3`
//! routes see them.

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

use super::{Identity, Store};
use crate::api::v3::{
    ADMIN_PERMISSIONS, CreateDatabaseRequest, CreateNamedAdminTokenRequest,
    CreateResourceTokenRequest, CreatedToken, INTERNAL_DATABASE, TokenPermission, TokenRow,
};
use crate::emulator::ApiError;
use crate::emulator::secret::{digest_of, generate_secret};

/// The name the server gives the operator token (the bootstrap token here).
pub(crate) const OPERATOR_TOKEN_NAME: &str = "_admin";

/// The longest database name the server accepts.
const MAX_DATABASE_NAME_CHARS: usize = 64;

/// A token as stored: no secret, only its digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StoredV3Token {
    pub(crate) id: u64,
    pub(crate) name: String,
    pub(crate) created_at: DateTime<Utc>,
    #[serde(default)]
    pub(crate) expiry: Option<DateTime<Utc>>,
    /// `None` for an admin token.
    #[serde(default)]
    pub(crate) permissions: Option<Vec<TokenPermission>>,
    /// Hex SHA-256 of the secret.
    pub(crate) secret_sha256: String,
}

/// A database as stored. A deleted one keeps its row under a new name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StoredV3Database {
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) retention_period: Option<String>,
    pub(crate) created_at: DateTime<Utc>,
    #[serde(default)]
    pub(crate) deleted_at: Option<DateTime<Utc>>,
}

impl StoredV3Token {
    fn is_live_at(&self, now: DateTime<Utc>) -> bool {
        self.expiry.is_none_or(|expiry| expiry > now)
    }
}

impl Store {
    /// Who `digest` authenticates as among the v3 tokens at `now`.
    pub(crate) fn authenticate_v3(&self, digest: &str, now: DateTime<Utc>) -> Option<Identity> {
        self.data
            .v3_tokens
            .iter()
            .find(|token| token.secret_sha256 == digest)
            .filter(|token| token.is_live_at(now))
            .map(|token| match token.permissions {
                None => Identity::V3AdminToken(token.id),
                Some(_) => Identity::V3ResourceToken(token.id),
            })
    }

    /// Mints a named admin token.
    pub(crate) fn create_named_admin_token(
        &mut self,
        request: CreateNamedAdminTokenRequest,
        now: DateTime<Utc>,
    ) -> Result<CreatedToken, ApiError> {
        self.create_v3_token(request.token_name, request.expiry_secs, None, now)
    }

    /// Mints a resource token (Enterprise).
    pub(crate) fn create_resource_token(
        &mut self,
        request: CreateResourceTokenRequest,
        now: DateTime<Utc>,
    ) -> Result<CreatedToken, ApiError> {
        check_permissions(&request.permissions)?;
        let permissions = request.permissions.clone();
        let mut created = self.create_v3_token(
            request.token_name,
            request.expiry_secs,
            Some(permissions),
            now,
        )?;
        created.token_name = created.name.clone();
        created.permissions = Some(request.permissions);
        created.expiry_secs = request.expiry_secs;
        Ok(created)
    }

    fn create_v3_token(
        &mut self,
        name: String,
        expiry_secs: Option<i64>,
        permissions: Option<Vec<TokenPermission>>,
        now: DateTime<Utc>,
    ) -> Result<CreatedToken, ApiError> {
        if name.trim().is_empty() {
            return Err(ApiError::bad_request("token_name must not be empty"));
        }
        if name == OPERATOR_TOKEN_NAME {
            return Err(ApiError::conflict("a token with this name already exists"));
        }
        let expiry = match expiry_secs {
            None => None,
            Some(seconds) if seconds < 0 => {
                return Err(ApiError::bad_request("expiry_secs must not be negative"));
            }
            Some(seconds) => Some(
                now.checked_add_signed(Duration::seconds(seconds))
                    .ok_or_else(|| ApiError::bad_request("expiry_secs is too large"))?,
            ),
        };
        let secret = format!("apiv3_{}", generate_secret().map_err(ApiError::internal)?);
        let created_at = now;
        let stored_name = name.clone();
        let token = self.commit(move |data| {
            if data.v3_tokens.iter().any(|token| token.name == stored_name) {
                return Err(ApiError::conflict("a token with this name already exists"));
            }
            data.v3_next_token_id = data.v3_next_token_id.max(1);
            let id = data.v3_next_token_id;
            data.v3_next_token_id += 1;
            let token = StoredV3Token {
                id,
                name: stored_name,
                created_at,
                expiry,
                permissions,
                secret_sha256: digest_of(&secret),
            };
            data.v3_tokens.push(token.clone());
            Ok((token, secret))
        })?;
        let (token, secret) = token;
        Ok(CreatedToken {
            id: Some(token.id),
            name: Some(token.name),
            token_name: None,
            hash: Some(short_hash(&token.secret_sha256)),
            created_at: Some(format_time(token.created_at)),
            expiry: token.expiry.map(format_time),
            token: Some(secret),
            permissions: None,
            expiry_secs: None,
        })
    }

    /// Deletes the token `name`; 404 when there is none.
    pub(crate) fn delete_v3_token(&mut self, name: &str) -> Result<(), ApiError> {
        if name == OPERATOR_TOKEN_NAME {
            return Err(ApiError::forbidden("the operator token cannot be deleted"));
        }
        let name = name.to_owned();
        self.commit(move |data| {
            let before = data.v3_tokens.len();
            data.v3_tokens.retain(|token| token.name != name);
            if data.v3_tokens.len() == before {
                return Err(ApiError::not_found("token not found"));
            }
            Ok(())
        })
    }

    /// The rows of `system.tokens`: the operator token, then every minted one
    /// (expired ones included).
    pub(crate) fn token_rows(&self) -> Vec<TokenRow> {
        let operator = TokenRow {
            token_id: 0,
            name: OPERATOR_TOKEN_NAME.to_owned(),
            hash: Some(short_hash(&self.bootstrap_digest)),
            created_at: None,
            expiry: None,
            permissions: Some(ADMIN_PERMISSIONS.to_owned()),
        };
        std::iter::once(operator)
            .chain(self.data.v3_tokens.iter().map(|token| TokenRow {
                token_id: token.id,
                name: token.name.clone(),
                hash: Some(short_hash(&token.secret_sha256)),
                created_at: Some(format_time(token.created_at)),
                expiry: token.expiry.map(format_time),
                permissions: Some(match &token.permissions {
                    None => ADMIN_PERMISSIONS.to_owned(),
                    Some(permissions) => permissions_text(permissions),
                }),
            }))
            .collect()
    }

    /// Creates a database; 409 when an active one has the name.
    pub(crate) fn create_v3_database(
        &mut self,
        request: CreateDatabaseRequest,
        now: DateTime<Utc>,
    ) -> Result<(), ApiError> {
        check_database_name(&request.db)?;
        if let Some(period) = &request.retention_period {
            check_retention_period(period)?;
        }
        self.commit(move |data| {
            if request.db == INTERNAL_DATABASE || active_database(data, &request.db).is_some() {
                return Err(ApiError::conflict("database already exists"));
            }
            data.v3_databases.push(StoredV3Database {
                name: request.db,
                retention_period: request.retention_period,
                created_at: now,
                deleted_at: None,
            });
            Ok(())
        })
    }

    /// Names of the databases, `_internal` first; deleted ones (under their new
    /// names) only with `show_deleted`.
    pub(crate) fn database_names(&self, show_deleted: bool) -> Vec<String> {
        std::iter::once(INTERNAL_DATABASE.to_owned())
            .chain(
                self.data
                    .v3_databases
                    .iter()
                    .filter(|db| show_deleted || db.deleted_at.is_none())
                    .map(|db| db.name.clone()),
            )
            .collect()
    }

    /// Sets (`Some`) or removes the retention period of an active database.
    pub(crate) fn set_v3_database_retention(
        &mut self,
        name: String,
        retention_period: Option<String>,
    ) -> Result<(), ApiError> {
        if let Some(period) = &retention_period {
            check_retention_period(period)?;
        }
        self.commit(move |data| {
            let index = active_database(data, &name).ok_or_else(database_not_found)?;
            data.v3_databases[index].retention_period = retention_period;
            Ok(())
        })
    }

    /// Soft-deletes a database: it is renamed `NAME-YYYYMMDDTHHMMSS`, stops
    /// being listed, and its name is free for a new database.
    pub(crate) fn delete_v3_database(
        &mut self,
        name: String,
        now: DateTime<Utc>,
    ) -> Result<(), ApiError> {
        if name == INTERNAL_DATABASE {
            return Err(ApiError::forbidden(
                "the _internal database cannot be deleted",
            ));
        }
        self.commit(move |data| {
            let index = active_database(data, &name).ok_or_else(database_not_found)?;
            let renamed = format!("{name}-{}", now.format("%Y%m%dT%H%M%S"));
            super::self_hosted_tables::follow_deleted_database(data, &name, &renamed);
            let database = &mut data.v3_databases[index];
            database.name = renamed;
            database.deleted_at = Some(now);
            Ok(())
        })
    }
}

pub(super) fn active_database(data: &super::StateData, name: &str) -> Option<usize> {
    data.v3_databases
        .iter()
        .position(|db| db.deleted_at.is_none() && db.name == name)
}

pub(super) fn database_not_found() -> ApiError {
    ApiError::not_found("database not found")
}

fn format_time(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// The first 9 characters of the digest, as `system.tokens` shows it.
fn short_hash(digest: &str) -> String {
    digest.chars().take(9).collect()
}

/// `db:a,b:read,write` entries separated by spaces.
fn permissions_text(permissions: &[TokenPermission]) -> String {
    permissions
        .iter()
        .map(|permission| {
            format!(
                "{}:{}:{}",
                permission.resource_type,
                permission.resource_names.join(","),
                permission.actions.join(",")
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn check_permissions(permissions: &[TokenPermission]) -> Result<(), ApiError> {
    if permissions.is_empty() {
        return Err(ApiError::bad_request("permissions must not be empty"));
    }
    for permission in permissions {
        if !matches!(permission.resource_type.as_str(), "db" | "system") {
            return Err(ApiError::bad_request(format!(
                "unknown resource_type {:?}: use db or system",
                permission.resource_type
            )));
        }
        if permission.resource_names.is_empty()
            || permission.resource_names.iter().any(|name| name.is_empty())
        {
            return Err(ApiError::bad_request(
                "resource_names must name at least one resource (or *)",
            ));
        }
        if permission.actions.is_empty()
            || permission
                .actions
                .iter()
                .any(|action| !matches!(action.as_str(), "read" | "write"))
        {
            return Err(ApiError::bad_request(
                "actions must be one or more of read, write",
            ));
        }
    }
    Ok(())
}

/// The published rule: letters, digits and inner hyphens, at most 64 characters.
fn check_database_name(name: &str) -> Result<(), ApiError> {
    let bytes = name.as_bytes();
    let valid = !bytes.is_empty()
        && name.chars().count() <= MAX_DATABASE_NAME_CHARS
        && bytes
            .iter()
            .all(|byte| byte.is_ascii_alphanumeric() || *byte == b'-')
        && bytes.first().is_some_and(u8::is_ascii_alphanumeric)
        && bytes.last().is_some_and(u8::is_ascii_alphanumeric);
    if valid {
        Ok(())
    } else {
        Err(ApiError::bad_request(
            "invalid database name: use letters, digits and inner hyphens (at most 64)",
        ))
    }
}

/// A duration such as `7d`, `1h30m` or `52w`: one or more NUMBER UNIT pairs,
/// units s, m, h, d, w, y.
pub(super) fn check_retention_period(text: &str) -> Result<(), ApiError> {
    let mut rest = text.trim();
    let mut pairs = 0;
    while !rest.is_empty() {
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let unit = rest[digits..].chars().next();
        if digits == 0 || !matches!(unit, Some('s' | 'm' | 'h' | 'd' | 'w' | 'y')) {
            return Err(ApiError::bad_request(format!(
                "invalid retention_period {text:?}: use a duration such as 7d or 1h30m"
            )));
        }
        rest = &rest[digits + 1..];
        pairs += 1;
    }
    if pairs == 0 {
        return Err(ApiError::bad_request("retention_period must not be empty"));
    }
    Ok(())
}

/// Whether `identity` may manage tokens and databases (an admin token).
pub(crate) fn is_admin(identity: Identity) -> bool {
    matches!(identity, Identity::Bootstrap | Identity::V3AdminToken(_))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::{Config, Flavor};

    fn open(path: std::path::PathBuf) -> Store {
        let config = Config {
            flavor: Flavor::Enterprise,
            state_file: Some(path),
            ..Config::default()
        };
        Store::open(&config).unwrap_or_else(|error| panic!("{error}"))
    }

    #[test]
    fn tokens_and_databases_survive_a_restart() {
        let directory = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
        let path = directory.path().join("state.json");
        let now = Utc::now();
        let mut store = open(path.clone());
        let created = store
            .create_named_admin_token(
                CreateNamedAdminTokenRequest {
                    token_name: "ops".to_owned(),
                    expiry_secs: None,
                },
                now,
            )
            .unwrap_or_else(|error| panic!("{error}"));
        let secret = created.token.unwrap_or_default();
        store
            .create_v3_database(
                CreateDatabaseRequest {
                    db: "sensors".to_owned(),
                    retention_period: Some("7d".to_owned()),
                },
                now,
            )
            .unwrap_or_else(|error| panic!("{error}"));
        let file = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            !file.contains(&secret),
            "the state file holds a token's secret"
        );
        drop(store);

        let mut store = open(path);
        assert_eq!(
            store.authenticate(&secret, now),
            Some(Identity::V3AdminToken(created.id.unwrap_or_default()))
        );
        assert_eq!(store.database_names(false), vec!["_internal", "sensors"]);
        // Ids keep counting after a restart.
        let next = store
            .create_named_admin_token(
                CreateNamedAdminTokenRequest {
                    token_name: "second".to_owned(),
                    expiry_secs: None,
                },
                now,
            )
            .unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(next.id, created.id.map(|id| id + 1));
    }

    #[test]
    fn an_expired_token_does_not_authenticate() {
        let directory = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
        let mut store = open(directory.path().join("state.json"));
        let now = Utc::now();
        let created = store
            .create_named_admin_token(
                CreateNamedAdminTokenRequest {
                    token_name: "brief".to_owned(),
                    expiry_secs: Some(60),
                },
                now,
            )
            .unwrap_or_else(|error| panic!("{error}"));
        let secret = created.token.unwrap_or_default();
        assert!(store.authenticate(&secret, now).is_some());
        assert!(
            store
                .authenticate(&secret, now + Duration::seconds(61))
                .is_none()
        );
    }
}
