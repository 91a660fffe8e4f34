//! `data "influxdb3_database_tokens"`: every database token of the cluster.

use std::sync::Arc;

use async_trait::async_trait;

use crate::framework::data_source::{DataSource, DataSourceReadResponse};
use crate::framework::diag::Diagnostics;
use crate::framework::schema::{Attribute, Schema};
use crate::framework::value::{Type, Value};
use crate::provider::ProviderData;
use crate::provider::diagnostics::api_error;

use super::database_token::{token_attributes, token_values};

/// The `influxdb3_database_tokens` data source.
#[derive(Debug)]
pub(crate) struct DatabaseTokensDataSource {
    data: Arc<ProviderData>,
}

impl DatabaseTokensDataSource {
    pub(crate) fn new(data: Arc<ProviderData>) -> Self {
        Self { data }
    }
}

fn token_object_type() -> Type {
    let mut attributes = vec![Attribute::computed("id", Type::String)];
    attributes.extend(token_attributes());
    Type::object(attributes.into_iter().map(|a| {
        let ty = a.value_type();
        (a.name, ty)
    }))
}

#[async_trait]
impl DataSource for DatabaseTokensDataSource {
    fn type_name(&self) -> String {
        "influxdb3_database_tokens".to_string()
    }

    fn schema(&self) -> Schema {
        Schema::new(
            0,
            "Lists the database tokens of the cluster, oldest first. Secrets are never available \
             here.",
            vec![
                Attribute::optional("include_revoked", Type::Bool)
                    .description("Whether revoked tokens are listed too. Defaults to `false`."),
                Attribute::computed("tokens", Type::list(token_object_type())).description(
                    "The tokens, each with `id`, `description`, `permissions` (a set of \
                     `{ action, resource }`), `created_at`, `expires_at`, `revoked_at`, \
                     `account_id` and `cluster_id`.",
                ),
            ],
        )
    }

    async fn read(&self, config: Value) -> DataSourceReadResponse {
        const SUMMARY: &str = "Error Listing Database Tokens";
        let mut diagnostics = Diagnostics::new();
        let client = match self.data.require_client(SUMMARY) {
            Ok(client) => client,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                return DataSourceReadResponse {
                    state: None,
                    diagnostics,
                };
            }
        };
        let include_revoked_value = config
            .get_attr("include_revoked")
            .cloned()
            .unwrap_or(Value::Null);
        let include_revoked = include_revoked_value.as_bool().unwrap_or(false);
        match self.data.database_token_list(&client).await {
            Ok(tokens) => {
                let mut tokens: Vec<_> = tokens
                    .values()
                    .filter(|token| include_revoked || token.revoked_at.is_none())
                    .collect();
                tokens.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)));
                let listed = tokens
                    .into_iter()
                    .map(|token| Value::object(token_values(token)));
                let state = Value::object([
                    ("include_revoked", include_revoked_value),
                    ("tokens", Value::list(listed)),
                ]);
                DataSourceReadResponse {
                    state: Some(state),
                    diagnostics,
                }
            }
            Err(error) => {
                diagnostics.push(api_error(SUMMARY, &error));
                DataSourceReadResponse {
                    state: None,
                    diagnostics,
                }
            }
        }
    }
}
