use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Secret;

/// A management token as the API returns it.
///
/// `access_token` is only present in the response to a create; list and get never
/// carry it. It is a [`Secret`], so the derived `Debug` redacts it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ManagementToken {
    /// The account the token belongs to; absent in the Clustered form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<Uuid>,
    /// The token id.
    pub id: Uuid,
    /// What the token is for; fixed at creation.
    pub description: String,
    /// The first characters of the secret; safe to show.
    pub token_prefix: String,
    /// When the token was created.
    pub created_at: DateTime<Utc>,
    /// The identity that created it.
    pub created_by: Uuid,
    /// When the token stops authenticating; `None` for never.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
    /// When the token was revoked; `None` while it is active.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<DateTime<Utc>>,
    /// The secret. Only in the create response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token: Option<Secret>,
}

impl ManagementToken {
    /// Whether the token can still authenticate at `now`: not revoked and not expired.
    pub fn is_active_at(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|expiry| expiry > now)
    }
}

/// Body of `POST .../management-tokens`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateManagementTokenRequest {
    /// Required, 1..=255 characters, not only whitespace.
    pub description: String,
    /// Optional expiry; must be in the future.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
}
