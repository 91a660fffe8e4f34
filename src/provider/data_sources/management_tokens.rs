//! `data "influxdb3_management_tokens"`: every token of the account.

use std::sync::Arc;

use async_trait::async_trait;

use crate::framework::data_source::{DataSource, DataSourceReadResponse};
use crate::framework::diag::Diagnostics;
use crate::framework::schema::{Attribute, Schema};
use crate::framework::value::{Type, Value};
use crate::provider::ProviderData;
use crate::provider::diagnostics::api_error;

use super::management_token::{token_attributes, token_values};

/// The `influxdb3_management_tokens` data source.
#[derive(Debug)]
pub(crate) struct ManagementTokensDataSource {
    data: Arc<ProviderData>,
}

impl ManagementTokensDataSource {
    pub(crate) fn new(data: Arc<ProviderData>) -> Self {
        Self { data }
    }
}

fn token_object_type() -> Type {
    let mut attributes = vec![Attribute::computed("id", Type::String)];
    attributes.extend(token_attributes());
    Type::object(attributes.into_iter().map(|a| (a.name, a.ty)))
}

#[async_trait]
impl DataSource for ManagementTokensDataSource {
    fn type_name(&self) -> String {
        "influxdb3_management_tokens".to_string()
    }

    fn schema(&self) -> Schema {
        Schema::new(
            0,
            "Lists the management tokens of the account (Cloud Dedicated) or cluster (Clustered), \
             oldest first. Secrets are never available here.",
            vec![
                Attribute::optional("include_revoked", Type::Bool)
                    .description("Whether revoked tokens are listed too. Defaults to `false`."),
                Attribute::computed("tokens", Type::list(token_object_type())).description(
                    "The tokens, each with `id`, `description`, `token_prefix`, `created_at`, \
                     `created_by`, `expires_at` and `revoked_at`.",
                ),
            ],
        )
    }

    async fn read(&self, config: Value) -> DataSourceReadResponse {
        const SUMMARY: &str = "Error Listing Management Tokens";
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
        match client.list_management_tokens().await {
            Ok(mut tokens) => {
                tokens.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)));
                let listed = tokens
                    .iter()
                    .filter(|token| include_revoked || token.revoked_at.is_none())
                    .map(|token| {
                        let mut values = vec![("id", Value::string(token.id.to_string()))];
                        values.extend(token_values(token));
                        Value::object(values)
                    });
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
