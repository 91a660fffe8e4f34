//! Ephemeral `influxdb3_database_token`: a database token that lives for one
//! Terraform run, e.g. for a provider or a check that writes or queries
//! during the run. Open mints it (with an expiry, so it dies on its own if
//! Terraform never closes it), close revokes it; its id travels from open to
//! close in the private data, and nothing of it is written to state or plan.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::api::{CreateDatabaseTokenRequest, DatabaseTokenPermission};
use crate::framework::diag::Diagnostics;
use crate::framework::ephemeral_resource::{
    CloseRequest, EphemeralResource, OpenRequest, OpenResponse, unknown_result,
};
use crate::framework::model::{FromValue, SetOf};
use crate::framework::path::Path;
use crate::framework::schema::{Attribute, Schema};
use crate::framework::value::{Type, Value};
use crate::provider::ProviderData;
use crate::provider::client::RevokeOutcome;
use crate::provider::diagnostics::api_error;
use crate::provider::resources::{
    PermissionModel, check_description, format_time, permissions_nested,
};

use super::lifetime::parse_lifetime;

/// The lifetime when `expires_in` is not set.
const DEFAULT_LIFETIME: &str = "1h";

/// What open hands to close (never stored by Terraform).
#[derive(Debug, Serialize, Deserialize)]
struct OpenedToken {
    /// The database token to revoke.
    database_token_id: Uuid,
}

/// The ephemeral `influxdb3_database_token`.
#[derive(Debug)]
pub(crate) struct EphemeralDatabaseToken {
    data: Arc<ProviderData>,
}

impl EphemeralDatabaseToken {
    pub(crate) fn new(data: Arc<ProviderData>) -> Self {
        Self { data }
    }
}

fn string_attr<'a>(value: &'a Value, name: &str) -> Option<&'a str> {
    value.get_attr(name).and_then(Value::as_str)
}

#[async_trait]
impl EphemeralResource for EphemeralDatabaseToken {
    fn type_name(&self) -> String {
        "influxdb3_database_token".to_string()
    }

    fn schema(&self) -> Schema {
        schema()
    }

    async fn validate_config(&self, config: &Value) -> Diagnostics {
        let mut diagnostics = Diagnostics::new();
        if let Some(description) = string_attr(config, "description")
            && let Err(problem) = check_description(description)
        {
            diagnostics.attribute_error(Path::root("description"), "Invalid Description", problem);
        }
        if let Some(expires_in) = string_attr(config, "expires_in")
            && let Err(problem) = parse_lifetime(expires_in)
        {
            diagnostics.attribute_error(Path::root("expires_in"), "Invalid Lifetime", problem);
        }
        diagnostics
    }

    async fn open(&self, request: OpenRequest) -> OpenResponse {
        const SUMMARY: &str = "Error Opening Ephemeral Database Token";
        let mut response = OpenResponse::default();
        let client = match self.data.client() {
            Ok(Some(client)) => client,
            Ok(None) => {
                // The provider's own configuration is not known yet (plan).
                if request.deferral_allowed {
                    response.deferred = true;
                } else {
                    response.result = Some(unknown_result(&schema(), &request.config));
                }
                return response;
            }
            Err(diagnostic) => {
                response.diagnostics.push(diagnostic);
                return response;
            }
        };
        let description = string_attr(&request.config, "description")
            .unwrap_or_default()
            .to_string();
        let expires_in = string_attr(&request.config, "expires_in")
            .unwrap_or(DEFAULT_LIFETIME)
            .to_string();
        let lifetime = match parse_lifetime(&expires_in) {
            Ok(lifetime) => lifetime,
            Err(problem) => {
                response.diagnostics.attribute_error(
                    Path::root("expires_in"),
                    "Invalid Lifetime",
                    problem,
                );
                return response;
            }
        };
        let permissions_value = request
            .config
            .get_attr("permissions")
            .cloned()
            .unwrap_or(Value::Null);
        let permissions_path = Path::root("permissions");
        let permissions =
            match SetOf::<PermissionModel>::from_value(&permissions_value, Some(&permissions_path))
            {
                Ok(SetOf(permissions)) => permissions
                    .into_iter()
                    .map(|p| DatabaseTokenPermission {
                        action: p.action,
                        resource: p.resource,
                    })
                    .collect(),
                Err(diagnostic) => {
                    response.diagnostics.push(diagnostic);
                    return response;
                }
            };
        let expires_at =
            Utc::now() + chrono::Duration::from_std(lifetime).unwrap_or(chrono::Duration::hours(1));
        let body = CreateDatabaseTokenRequest {
            description: description.clone(),
            permissions,
            expires_at: Some(expires_at),
        };
        let created = client.create_database_token(&body).await;
        self.data.database_tokens_changed();
        let mut token = match created {
            Ok(created) => created.token,
            Err(error) => {
                response.diagnostics.push(api_error(SUMMARY, &error));
                return response;
            }
        };
        // Set before anything can fail, so that close revokes what was minted.
        response.private = serde_json::to_vec(&OpenedToken {
            database_token_id: token.id,
        })
        .ok();
        let Some(access_token) = token.access_token.take() else {
            response.diagnostics.error(
                "Database Token Has No Secret",
                format!(
                    "The API created database token {} but returned no access token; it is \
                     revoked when Terraform closes this ephemeral resource.",
                    token.id
                ),
            );
            return response;
        };
        log::info!(
            "opened ephemeral database token {} (expires {})",
            token.id,
            format_time(expires_at)
        );
        response.result = Some(Value::object([
            // The configuration's values, as Terraform checks the result against them.
            ("description", Value::string(description)),
            ("expires_in", Value::string(expires_in)),
            ("permissions", permissions_value),
            ("id", Value::string(token.id.to_string())),
            ("access_token", Value::string(access_token.expose())),
            (
                "expires_at",
                Value::string(format_time(token.expires_at.unwrap_or(expires_at))),
            ),
        ]));
        response
    }

    async fn close(&self, request: CloseRequest) -> Diagnostics {
        const SUMMARY: &str = "Error Closing Ephemeral Database Token";
        let mut diagnostics = Diagnostics::new();
        let Some(opened) = request
            .private
            .as_deref()
            .and_then(|bytes| serde_json::from_slice::<OpenedToken>(bytes).ok())
        else {
            // Open minted nothing (deferred, unknown configuration, or failed).
            return diagnostics;
        };
        let id = opened.database_token_id;
        let client = match self.data.require_client(SUMMARY) {
            Ok(client) => client,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                return diagnostics;
            }
        };
        let revoked = client.revoke_database_token(id).await;
        self.data.database_tokens_changed();
        match revoked {
            Ok(RevokeOutcome::Revoked) => log::info!("closed ephemeral database token {id}"),
            Ok(RevokeOutcome::AlreadyRevoked | RevokeOutcome::NotFound) => {
                log::info!("ephemeral database token {id} was already revoked or is gone")
            }
            Err(error) => {
                let mut diagnostic = api_error(SUMMARY, &error);
                diagnostic.detail.push_str(&format!(
                    " Database token {id} was not revoked; it stops working when it expires. \
                     Revoke it now with an influxdb3_revoke_database_token action or \
                     `influxctl token delete`."
                ));
                diagnostics.push(diagnostic);
            }
        }
        diagnostics
    }
}

/// The ephemeral resource's schema; descriptions are the single source of the docs.
pub(crate) fn schema() -> Schema {
    Schema::new(
        0,
        "A database token that exists only for one Terraform run (Terraform 1.10 and later). \
         Terraform mints it when it needs it (during plan and again during apply) and revokes it \
         when it is done; it also expires on its own after `expires_in`, should Terraform never \
         get to revoke it. Nothing of it is written to the state or to a saved plan.",
        vec![
            Attribute::required("description", Type::String)
                .description("What the token is for, 1 to 255 characters."),
            Attribute::optional_computed("expires_in", Type::String).description(
                "How long the token lives at most, as a duration such as `30m`, `1h` or `1h30m` \
                 (hours, minutes, seconds; 1m to 8784h). Defaults to `1h`. Terraform revokes the \
                 token earlier, when it closes the ephemeral resource.",
            ),
            Attribute::required_nested("permissions", permissions_nested()).description(
                "What the token may do: a set of `{ action, resource }` objects (`read` or \
                 `write` on a database name or `*`).",
            ),
            Attribute::computed("id", Type::String).description("The token's id (a UUID)."),
            Attribute::computed("access_token", Type::String)
                .sensitive()
                .description("The secret token string, for the query and write APIs."),
            Attribute::computed("expires_at", Type::String)
                .description("When the token expires on its own (RFC 3339)."),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ephemeral() -> EphemeralDatabaseToken {
        EphemeralDatabaseToken::new(Arc::new(ProviderData::default()))
    }

    #[test]
    fn schema_is_valid() {
        schema().validate().unwrap();
    }

    #[tokio::test]
    async fn validate_points_at_the_bad_attribute() {
        let config = Value::object([
            ("description", Value::string(" ")),
            ("expires_in", Value::string("1 day")),
            ("permissions", Value::set(Vec::new())),
            ("id", Value::Null),
            ("access_token", Value::Null),
            ("expires_at", Value::Null),
        ]);
        let diagnostics = ephemeral().validate_config(&config).await;
        let paths: Vec<String> = diagnostics
            .iter()
            .filter_map(|d| d.path.as_ref())
            .map(|p| p.to_string())
            .collect();
        assert_eq!(paths, vec!["description", "expires_in"]);
    }

    #[tokio::test]
    async fn close_without_private_data_does_nothing() {
        let diagnostics = ephemeral().close(CloseRequest { private: None }).await;
        assert!(diagnostics.is_empty());
    }
}
