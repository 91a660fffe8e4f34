//! What the management-token and database-token variants of each kind of
//! Terraform object (resource, ephemeral resource, data source, list
//! resource, action) share: the words of a token kind, as its diagnostics
//! and docs say them, and the API calls and list cache of that kind.
//!
//! Each generic piece of code takes a `K: TokenKind`; [`ManagementTokens`]
//! and [`DatabaseTokens`] are the two kinds.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::api::{DatabaseToken, ManagementToken, Secret};
use crate::framework::value::Value;
use crate::provider::ProviderData;
use crate::provider::client::{ClientError, ManagementApiClient, RevokeOutcome};
use crate::provider::product::ProductScope;

/// The words of one token kind.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TokenWords {
    /// The Terraform type name (`influxdb3_management_token`).
    pub(crate) type_name: &'static str,
    /// The revoke action's type name (`influxdb3_revoke_management_token`).
    pub(crate) revoke_action: &'static str,
    /// In a sentence (`management token`).
    pub(crate) noun: &'static str,
    /// At the start of a sentence (`Management token`).
    pub(crate) capitalized: &'static str,
    /// In a diagnostic title (`Management Token`).
    pub(crate) title: &'static str,
    /// Where the ids live (`account`, `cluster`).
    pub(crate) scope: &'static str,
    /// The CLI command that lists the ids.
    pub(crate) list_command: &'static str,
    /// The self-hosted type of the same kind that does the same job
    /// (`influxdb3_self_hosted_admin_token`).
    pub(crate) self_hosted_counterpart: &'static [&'static str],
}

impl TokenWords {
    /// The product family of the `kind` of object (`resource`, `ephemeral
    /// resource`, `list resource`) of this token type, and its self-hosted
    /// counterpart of that kind.
    pub(crate) const fn product(&self, kind: &'static str) -> ProductScope {
        ProductScope::cloud(kind, self.type_name, self.self_hosted_counterpart)
    }

    /// The product family of the revoke action, and its self-hosted counterpart.
    pub(crate) const fn revoke_action_product(&self) -> ProductScope {
        ProductScope::cloud(
            "action",
            self.revoke_action,
            &["influxdb3_delete_self_hosted_token"],
        )
    }
}

/// A kind of token of the management API, with its words and its API calls.
#[async_trait]
pub(crate) trait TokenKind: Send + Sync + std::fmt::Debug + 'static {
    /// The token as the API returns it.
    type Token: Clone + Send + Sync;

    /// How diagnostics, logs and docs name the kind.
    const WORDS: TokenWords;

    /// Whether the API's answer to a revoke of an already revoked token says
    /// so; when not, the revoke action looks the token up first.
    const REVOKE_TELLS_ALREADY_REVOKED: bool;

    /// The token's id.
    fn id(token: &Self::Token) -> Uuid;

    /// When the token was revoked; `None` while it is active.
    fn revoked_at(token: &Self::Token) -> Option<DateTime<Utc>>;

    /// Whether the token still works at `now`: not revoked and not expired.
    fn is_active_at(token: &Self::Token, now: DateTime<Utc>) -> bool;

    /// When the token was created.
    fn created_at(token: &Self::Token) -> DateTime<Utc>;

    /// When the token stops working; `None` for never.
    fn expires_at(token: &Self::Token) -> Option<DateTime<Utc>>;

    /// Takes the secret out of a token (only a create response has one).
    fn take_access_token(token: &mut Self::Token) -> Option<Secret>;

    /// The token's state as the resource keeps it; `expires_at_as_written`
    /// keeps the user's spelling of the same instant.
    fn state(
        token: &Self::Token,
        expires_at_as_written: Option<&str>,
        access_token: Option<Secret>,
    ) -> Value;

    /// Token `id` as the (cached) list shows it; `None` when it is not listed.
    async fn listed(
        data: &ProviderData,
        client: &ManagementApiClient,
        id: Uuid,
    ) -> Result<Option<Self::Token>, ClientError>;

    /// Token `id` read on its own (one request); `None` when the API does not know it.
    async fn get(
        client: &ManagementApiClient,
        id: Uuid,
    ) -> Result<Option<Self::Token>, ClientError>;

    /// Revokes token `id`.
    async fn revoke(client: &ManagementApiClient, id: Uuid) -> Result<RevokeOutcome, ClientError>;

    /// Call after every create or revoke so later reads see it.
    fn changed(data: &ProviderData);
}

/// Management tokens (`influxdb3_management_token`).
#[derive(Debug)]
pub(crate) struct ManagementTokens;

#[async_trait]
impl TokenKind for ManagementTokens {
    type Token = ManagementToken;

    const WORDS: TokenWords = TokenWords {
        type_name: "influxdb3_management_token",
        revoke_action: "influxdb3_revoke_management_token",
        noun: "management token",
        capitalized: "Management token",
        title: "Management Token",
        scope: "account",
        list_command: "influxctl management list",
        self_hosted_counterpart: &["influxdb3_self_hosted_admin_token"],
    };

    // The API answers a revoke of a revoked token with a 409, which the
    // client confirms as already revoked.
    const REVOKE_TELLS_ALREADY_REVOKED: bool = true;

    fn id(token: &ManagementToken) -> Uuid {
        token.id
    }

    fn revoked_at(token: &ManagementToken) -> Option<DateTime<Utc>> {
        token.revoked_at
    }

    fn is_active_at(token: &ManagementToken, now: DateTime<Utc>) -> bool {
        token.is_active_at(now)
    }

    fn created_at(token: &ManagementToken) -> DateTime<Utc> {
        token.created_at
    }

    fn expires_at(token: &ManagementToken) -> Option<DateTime<Utc>> {
        token.expires_at
    }

    fn take_access_token(token: &mut ManagementToken) -> Option<Secret> {
        token.access_token.take()
    }

    fn state(
        token: &ManagementToken,
        expires_at_as_written: Option<&str>,
        access_token: Option<Secret>,
    ) -> Value {
        crate::provider::resources::management_token_state(
            token,
            expires_at_as_written,
            access_token,
        )
    }

    async fn listed(
        data: &ProviderData,
        client: &ManagementApiClient,
        id: Uuid,
    ) -> Result<Option<ManagementToken>, ClientError> {
        data.listed_management_token(client, id).await
    }

    async fn get(
        client: &ManagementApiClient,
        id: Uuid,
    ) -> Result<Option<ManagementToken>, ClientError> {
        client.get_management_token(id).await
    }

    async fn revoke(client: &ManagementApiClient, id: Uuid) -> Result<RevokeOutcome, ClientError> {
        client.revoke_management_token(id).await
    }

    fn changed(data: &ProviderData) {
        data.management_tokens_changed();
    }
}

/// Database tokens (`influxdb3_database_token`).
#[derive(Debug)]
pub(crate) struct DatabaseTokens;

#[async_trait]
impl TokenKind for DatabaseTokens {
    type Token = DatabaseToken;

    const WORDS: TokenWords = TokenWords {
        type_name: "influxdb3_database_token",
        revoke_action: "influxdb3_revoke_database_token",
        noun: "database token",
        capitalized: "Database token",
        title: "Database Token",
        scope: "cluster",
        list_command: "influxctl token list",
        self_hosted_counterpart: &["influxdb3_enterprise_resource_token"],
    };

    // The API answers a delete of a revoked token like any other.
    const REVOKE_TELLS_ALREADY_REVOKED: bool = false;

    fn id(token: &DatabaseToken) -> Uuid {
        token.id
    }

    fn revoked_at(token: &DatabaseToken) -> Option<DateTime<Utc>> {
        token.revoked_at
    }

    fn is_active_at(token: &DatabaseToken, now: DateTime<Utc>) -> bool {
        token.is_active_at(now)
    }

    fn created_at(token: &DatabaseToken) -> DateTime<Utc> {
        token.created_at
    }

    fn expires_at(token: &DatabaseToken) -> Option<DateTime<Utc>> {
        token.expires_at
    }

    fn take_access_token(token: &mut DatabaseToken) -> Option<Secret> {
        token.access_token.take()
    }

    fn state(
        token: &DatabaseToken,
        expires_at_as_written: Option<&str>,
        access_token: Option<Secret>,
    ) -> Value {
        crate::provider::resources::database_token_state(token, expires_at_as_written, access_token)
    }

    async fn listed(
        data: &ProviderData,
        client: &ManagementApiClient,
        id: Uuid,
    ) -> Result<Option<DatabaseToken>, ClientError> {
        data.listed_database_token(client, id).await
    }

    async fn get(
        client: &ManagementApiClient,
        id: Uuid,
    ) -> Result<Option<DatabaseToken>, ClientError> {
        client.get_database_token(id).await
    }

    async fn revoke(client: &ManagementApiClient, id: Uuid) -> Result<RevokeOutcome, ClientError> {
        client.revoke_database_token(id).await
    }

    fn changed(data: &ProviderData) {
        data.database_tokens_changed();
    }
}
