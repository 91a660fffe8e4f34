//! `list "influxdb3_management_token"`: the account's management tokens for
//! `terraform query`, each with its identity, its description as display
//! name and, when asked, its state (no secret: the API only returns it at
//! creation). Revoked and expired tokens are left out unless
//! `include_revoked` is true. The list resource is generic over the token
//! kind, in `token.rs`; here is where a management token's list comes from.

use async_trait::async_trait;

use crate::api::ManagementToken;
use crate::framework::value::Value;
use crate::provider::ProviderData;
use crate::provider::client::{ClientError, ManagementApiClient};
use crate::provider::resources::{identity_value, listed_state};
use crate::provider::token_kind::ManagementTokens;

use super::token::{TokenList, TokenListKind};

/// The `influxdb3_management_token` list resource.
pub(crate) type ManagementTokenList = TokenList<ManagementTokens>;

#[async_trait]
impl TokenListKind for ManagementTokens {
    /// One list request, in the API's order.
    async fn tokens(
        _data: &ProviderData,
        client: &ManagementApiClient,
    ) -> Result<Vec<ManagementToken>, ClientError> {
        client.list_management_tokens().await
    }

    fn identity(token: &ManagementToken, client: &ManagementApiClient) -> Value {
        identity_value(&token.id.to_string(), client.account_id())
    }

    fn listed_state(token: &ManagementToken) -> Value {
        listed_state(token)
    }

    fn description(token: &ManagementToken) -> String {
        token.description.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::super::token::kind_tests;
    use super::*;

    #[test]
    fn config_schema_is_valid() {
        kind_tests::config_schema_is_valid::<ManagementTokens>();
    }

    #[tokio::test]
    async fn an_unconfigured_provider_lists_one_error() {
        kind_tests::an_unconfigured_provider_lists_one_error::<ManagementTokens>().await;
    }
}
