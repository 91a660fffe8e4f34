//! `list "influxdb3_database_token"`: the cluster's database tokens for
//! `terraform query`, each with its identity, its description as display name
//! and, when asked, its state (no secret: the API only returns it at
//! creation). Revoked and expired tokens are left out unless `include_revoked`
//! is true. Reads the same per-process list as every refresh.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::Utc;

use crate::framework::diag::Diagnostics;
use crate::framework::list_resource::{ListRequest, ListResource, ListResult, ListResults};
use crate::framework::schema::{Attribute, Schema};
use crate::framework::value::{Type, Value};
use crate::provider::ProviderData;
use crate::provider::diagnostics::api_error;
use crate::provider::resources::{database_token_identity_value, listed_database_token_state};

/// The `influxdb3_database_token` list resource.
#[derive(Debug)]
pub(crate) struct DatabaseTokenList {
    data: Arc<ProviderData>,
}

impl DatabaseTokenList {
    pub(crate) fn new(data: Arc<ProviderData>) -> Self {
        Self { data }
    }
}

fn failed(diagnostics: Diagnostics) -> ListResults {
    Box::pin(futures_util::stream::iter([ListResult::diagnostics(
        diagnostics,
    )]))
}

#[async_trait]
impl ListResource for DatabaseTokenList {
    fn type_name(&self) -> String {
        "influxdb3_database_token".to_string()
    }

    fn config_schema(&self) -> Schema {
        config_schema()
    }

    async fn list(&self, request: ListRequest) -> ListResults {
        const SUMMARY: &str = "Error Listing Database Tokens";
        let include_revoked = request
            .config
            .get_attr("include_revoked")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let mut diagnostics = Diagnostics::new();
        let client = match self.data.require_client(SUMMARY) {
            Ok(client) => client,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                return failed(diagnostics);
            }
        };
        let tokens = match self.data.database_token_list(&client).await {
            Ok(tokens) => tokens,
            Err(error) => {
                diagnostics.push(api_error(SUMMARY, &error));
                return failed(diagnostics);
            }
        };
        let now = Utc::now();
        let (account, cluster) = (client.account_id(), client.cluster_id());
        let limit = usize::try_from(request.limit).unwrap_or(0);
        let mut tokens: Vec<_> = tokens
            .values()
            .filter(|token| include_revoked || token.is_active_at(now))
            .collect();
        tokens.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)));
        let results: Vec<ListResult> = tokens
            .into_iter()
            .take(if limit == 0 { usize::MAX } else { limit })
            .map(|token| ListResult {
                identity: Some(database_token_identity_value(
                    &token.id.to_string(),
                    account,
                    cluster,
                )),
                display_name: token.description.clone(),
                resource: request
                    .include_resource
                    .then(|| listed_database_token_state(token)),
                diagnostics: Diagnostics::new(),
            })
            .collect();
        log::debug!("listed {} database tokens", results.len());
        Box::pin(futures_util::stream::iter(results))
    }
}

/// The schema of the `config` block of a `list "influxdb3_database_token"` block.
pub(crate) fn config_schema() -> Schema {
    Schema::new(
        0,
        "Lists the cluster's database tokens for `terraform query` (Terraform 1.14 and later): \
         each token's identity, its description as display name, and, with \
         `include_resource = true`, its attributes (never the secret, which the API only returns \
         when a token is created). `terraform query -generate-config-out=FILE` writes `import` \
         and `resource` blocks that bring the listed tokens under management.",
        vec![Attribute::optional("include_revoked", Type::Bool).description(
            "Also list revoked and expired tokens (which cannot be imported). Defaults to false.",
        )],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt as _;

    #[test]
    fn config_schema_is_valid() {
        config_schema().validate().unwrap();
    }

    #[tokio::test]
    async fn an_unconfigured_provider_lists_one_error() {
        let list = DatabaseTokenList::new(Arc::new(ProviderData::default()));
        let results: Vec<ListResult> = list
            .list(ListRequest {
                config: Value::object([("include_revoked", Value::Null)]),
                include_resource: false,
                limit: 10,
            })
            .await
            .collect()
            .await;
        assert_eq!(results.len(), 1);
        assert!(results[0].diagnostics.has_error());
    }
}
