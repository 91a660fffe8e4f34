//! Database tokens: the tokens that authorize queries and writes, as the published
//! Management API names them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Secret;

/// The permission `resource` that stands for every database.
pub const ALL_DATABASES: &str = "*";

/// The permission `action` that allows queries.
pub const ACTION_READ: &str = "read";

/// The permission `action` that allows writes.
pub const ACTION_WRITE: &str = "write";

/// A database token as the API returns it.
///
/// `access_token` is only present in the response to a create; it is a [`Secret`],
/// and `Debug` shows whether it is there, never what it is.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DatabaseToken {
    /// The account; Cloud Dedicated only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<Uuid>,
    /// The cluster; Cloud Dedicated only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_id: Option<Uuid>,
    /// The token id.
    pub id: Uuid,
    /// What the token is for.
    pub description: String,
    /// What it may do; empty for a token that may do nothing.
    pub permissions: Vec<DatabaseTokenPermission>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it stops working; `None` for never.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
    /// When it was deleted (revoked); `None` while active.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<DateTime<Utc>>,
    /// The secret. Only in the create response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token: Option<Secret>,
}

impl DatabaseToken {
    /// Whether the token still works at `now`: not revoked and not expired.
    pub fn is_active_at(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|expiry| expiry > now)
    }
}

impl std::fmt::Debug for DatabaseToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DatabaseToken")
            .field("account_id", &self.account_id)
            .field("cluster_id", &self.cluster_id)
            .field("id", &self.id)
            .field("description", &self.description)
            .field("permissions", &self.permissions)
            .field("created_at", &self.created_at)
            .field("expires_at", &self.expires_at)
            .field("revoked_at", &self.revoked_at)
            .field("access_token", &self.access_token)
            .finish()
    }
}

/// One permission of a database token: an action on a database (or on `*`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DatabaseTokenPermission {
    /// [`ACTION_READ`] or [`ACTION_WRITE`].
    pub action: String,
    /// A database name, or [`ALL_DATABASES`].
    pub resource: String,
}

/// Body of `POST .../tokens`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateDatabaseTokenRequest {
    /// What the token is for. Required.
    pub description: String,
    /// What it may do; absent is the same as empty.
    #[serde(default)]
    pub permissions: Vec<DatabaseTokenPermission>,
    /// Optional expiry; must be in the future.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
}

/// Body of `PATCH .../tokens/{tokenId}`: at least one field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateDatabaseTokenRequest {
    /// The new description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The new permissions, replacing the old ones (`[]` removes them all).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Vec<DatabaseTokenPermission>>,
}

impl UpdateDatabaseTokenRequest {
    /// Whether the request changes nothing (the API rejects it).
    pub fn is_empty(&self) -> bool {
        self.description.is_none() && self.permissions.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_the_secret() {
        let token = DatabaseToken {
            account_id: None,
            cluster_id: None,
            id: Uuid::nil(),
            description: "ci".to_owned(),
            permissions: vec![DatabaseTokenPermission {
                action: ACTION_READ.to_owned(),
                resource: ALL_DATABASES.to_owned(),
            }],
            created_at: Utc::now(),
            expires_at: None,
            revoked_at: None,
            access_token: Some(Secret::new("apiv1_supersecret")),
        };
        let debug = format!("{token:?}");
        assert!(!debug.contains("supersecret"), "{debug}");
        assert!(debug.contains("<redacted>"), "{debug}");
        let json = serde_json::to_value(&token).unwrap_or_default();
        assert_eq!(json["accessToken"], "apiv1_supersecret");
        assert_eq!(json["permissions"][0]["resource"], "*");
        assert!(json.get("revokedAt").is_none());
    }
}
