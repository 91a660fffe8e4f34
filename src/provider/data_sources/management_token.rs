//! `data "influxdb3_management_token"`: one token by id, revoked or not.

use std::sync::Arc;

use async_trait::async_trait;
use uuid::Uuid;

use crate::api::ManagementToken;
use crate::framework::data_source::{DataSource, DataSourceReadResponse};
use crate::framework::diag::Diagnostics;
use crate::framework::path::Path;
use crate::framework::schema::{Attribute, Schema};
use crate::framework::value::{Type, Value};
use crate::provider::ProviderData;
use crate::provider::diagnostics::api_error;
use crate::provider::resources::format_time;

/// The attributes that describe a token, shared with `influxdb3_management_tokens`.
pub(super) fn token_attributes() -> Vec<Attribute> {
    vec![
        Attribute::computed("description", Type::String).description("What the token is for."),
        Attribute::computed("token_prefix", Type::String)
            .description("The first characters of the secret, safe to show."),
        Attribute::computed("created_at", Type::String)
            .description("When the token was created (RFC 3339)."),
        Attribute::computed("created_by", Type::String)
            .description("The id of the identity that created it."),
        Attribute::computed("expires_at", Type::String)
            .description("When the token expires (RFC 3339); null if it never does."),
        Attribute::computed("revoked_at", Type::String)
            .description("When the token was revoked (RFC 3339); null while it is active."),
    ]
}

/// A token's attributes as values (without `id`).
pub(super) fn token_values(token: &ManagementToken) -> Vec<(&'static str, Value)> {
    let time = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map_or(Value::Null, |t| Value::string(format_time(t)))
    };
    vec![
        ("description", Value::string(token.description.clone())),
        ("token_prefix", Value::string(token.token_prefix.clone())),
        ("created_at", Value::string(format_time(token.created_at))),
        ("created_by", Value::string(token.created_by.to_string())),
        ("expires_at", time(token.expires_at)),
        ("revoked_at", time(token.revoked_at)),
    ]
}

/// The `influxdb3_management_token` data source.
#[derive(Debug)]
pub(crate) struct ManagementTokenDataSource {
    data: Arc<ProviderData>,
}

impl ManagementTokenDataSource {
    pub(crate) fn new(data: Arc<ProviderData>) -> Self {
        Self { data }
    }
}

#[async_trait]
impl DataSource for ManagementTokenDataSource {
    fn type_name(&self) -> String {
        "influxdb3_management_token".to_string()
    }

    fn schema(&self) -> Schema {
        let mut attributes =
            vec![Attribute::required("id", Type::String).description("The token's id (a UUID).")];
        attributes.extend(token_attributes());
        Schema::new(
            0,
            "Looks up one management token by id, including revoked and expired ones. The secret \
             is never available here.",
            attributes,
        )
    }

    async fn validate_config(&self, config: &Value) -> Diagnostics {
        let mut diagnostics = Diagnostics::new();
        if let Some(id) = config.get_attr("id").and_then(Value::as_str)
            && Uuid::parse_str(id).is_err()
        {
            diagnostics.attribute_error(
                Path::root("id"),
                "Invalid Management Token ID",
                format!("{id:?} is not a UUID."),
            );
        }
        diagnostics
    }

    async fn read(&self, config: Value) -> DataSourceReadResponse {
        const SUMMARY: &str = "Error Reading Management Token";
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
        let id_text = config
            .get_attr("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let Ok(id) = Uuid::parse_str(&id_text) else {
            diagnostics.attribute_error(
                Path::root("id"),
                "Invalid Management Token ID",
                format!("{id_text:?} is not a UUID."),
            );
            return DataSourceReadResponse {
                state: None,
                diagnostics,
            };
        };
        match client.get_management_token(id).await {
            Ok(Some(token)) => {
                let mut values = vec![("id", Value::string(id_text))];
                values.extend(token_values(&token));
                DataSourceReadResponse {
                    state: Some(Value::object(values)),
                    diagnostics,
                }
            }
            Ok(None) => {
                diagnostics.attribute_error(
                    Path::root("id"),
                    "Management Token Not Found",
                    format!("No management token with id {id} exists in this account."),
                );
                DataSourceReadResponse {
                    state: None,
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
