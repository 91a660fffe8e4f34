//! `list "influxdb3_database_token"`: the cluster's database tokens for
//! `terraform query`, each with its identity, its description as display name
//! and, when asked, its state (no secret: the API only returns it at
//! creation). Revoked and expired tokens are left out unless `include_revoked`
//! is true. Reads the same per-process list as every refresh. The list
//! resource is generic over the token kind, in `token.rs`.

use async_trait::async_trait;

use crate::api::DatabaseToken;
use crate::framework::value::Value;
use crate::provider::ProviderData;
use crate::provider::client::{ClientError, ManagementApiClient};
use crate::provider::resources::{database_token_identity_value, listed_database_token_state};
use crate::provider::token_kind::DatabaseTokens;

use super::token::{TokenList, TokenListKind};

/// The `influxdb3_database_token` list resource.
pub(crate) type DatabaseTokenList = TokenList<DatabaseTokens>;

#[async_trait]
impl TokenListKind for DatabaseTokens {
    /// The cached list every refresh reads, oldest first.
    async fn tokens(
        data: &ProviderData,
        client: &ManagementApiClient,
    ) -> Result<Vec<DatabaseToken>, ClientError> {
        let tokens = data.database_token_list(client).await?;
        let mut tokens: Vec<DatabaseToken> = tokens.values().cloned().collect();
        tokens.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)));
        Ok(tokens)
    }

    fn identity(token: &DatabaseToken, client: &ManagementApiClient) -> Value {
        database_token_identity_value(
            &token.id.to_string(),
            client.account_id(),
            client.cluster_id(),
        )
    }

    fn listed_state(token: &DatabaseToken) -> Value {
        listed_database_token_state(token)
    }

    fn description(token: &DatabaseToken) -> String {
        token.description.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::super::token::kind_tests;
    use super::*;

    #[test]
    fn config_schema_is_valid() {
        kind_tests::config_schema_is_valid::<DatabaseTokens>();
    }

    #[tokio::test]
    async fn an_unconfigured_provider_lists_one_error() {
        kind_tests::an_unconfigured_provider_lists_one_error::<DatabaseTokens>().await;
    }
}
