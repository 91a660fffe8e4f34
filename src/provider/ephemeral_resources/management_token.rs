//! Ephemeral `influxdb3_management_token`: a management token that lives for
//! one Terraform run. Open mints it (with an expiry, so it dies on its own if
//! Terraform never closes it), close revokes it; its id travels from open to
//! close in the ephemeral resource's private data, and nothing of it is
//! written to state or to a saved plan.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::api::CreateManagementTokenRequest;
use crate::framework::diag::Diagnostics;
use crate::framework::ephemeral_resource::{
    CloseRequest, EphemeralResource, OpenRequest, OpenResponse, unknown_result,
};
use crate::framework::path::Path;
use crate::framework::schema::{Attribute, Schema};
use crate::framework::value::{Type, Value};
use crate::provider::ProviderData;
use crate::provider::client::RevokeOutcome;
use crate::provider::diagnostics::api_error;
use crate::provider::resources::{check_description, format_time};

use super::lifetime::parse_lifetime;

/// The lifetime when `expires_in` is not set.
const DEFAULT_LIFETIME: &str = "1h";

/// What open hands to close (never stored by Terraform).
#[derive(Debug, Serialize, Deserialize)]
struct OpenedToken {
    /// The management token to revoke.
    management_token_id: Uuid,
}

/// The ephemeral `influxdb3_management_token`.
#[derive(Debug)]
pub(crate) struct EphemeralManagementToken {
    data: Arc<ProviderData>,
}

impl EphemeralManagementToken {
    pub(crate) fn new(data: Arc<ProviderData>) -> Self {
        Self { data }
    }
}

fn string_attr<'a>(value: &'a Value, name: &str) -> Option<&'a str> {
    value.get_attr(name).and_then(Value::as_str)
}

#[async_trait]
impl EphemeralResource for EphemeralManagementToken {
    fn type_name(&self) -> String {
        "influxdb3_management_token".to_string()
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
        let mut response = OpenResponse::default();
        let client = match self.data.client() {
            Ok(Some(client)) => client,
            Ok(None) => {
                // The provider's own configuration is not known yet (plan):
                // nothing can be minted now; Terraform opens it again at apply.
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
        let expires_at =
            Utc::now() + chrono::Duration::from_std(lifetime).unwrap_or(chrono::Duration::hours(1));
        let body = CreateManagementTokenRequest {
            description: description.clone(),
            expires_at: Some(expires_at),
        };
        let created = client.create_management_token(&body).await;
        self.data.management_tokens_changed();
        let mut token = match created {
            Ok(token) => token,
            Err(error) => {
                response.diagnostics.push(api_error(
                    "Error Opening Ephemeral Management Token",
                    &error,
                ));
                return response;
            }
        };
        let opened = OpenedToken {
            management_token_id: token.id,
        };
        // Set before anything can fail, so that close revokes what was minted.
        response.private = serde_json::to_vec(&opened).ok();
        let Some(access_token) = token.access_token.take() else {
            response.diagnostics.error(
                "Management Token Has No Secret",
                format!(
                    "The API created management token {} but returned no access token; it is \
                     revoked when Terraform closes this ephemeral resource.",
                    token.id
                ),
            );
            return response;
        };
        log::info!(
            "opened ephemeral management token {} (expires {})",
            token.id,
            format_time(expires_at)
        );
        response.result = Some(Value::object([
            // The configuration's value, as Terraform checks the result against it.
            ("description", Value::string(description)),
            ("expires_in", Value::string(expires_in)),
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
        let mut diagnostics = Diagnostics::new();
        let Some(opened) = request
            .private
            .as_deref()
            .and_then(|bytes| serde_json::from_slice::<OpenedToken>(bytes).ok())
        else {
            // Open minted nothing (deferred, unknown configuration, or failed).
            return diagnostics;
        };
        let id = opened.management_token_id;
        let client = match self
            .data
            .require_client("Error Closing Ephemeral Management Token")
        {
            Ok(client) => client,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                return diagnostics;
            }
        };
        let revoked = client.revoke_management_token(id).await;
        self.data.management_tokens_changed();
        match revoked {
            Ok(RevokeOutcome::Revoked) => log::info!("closed ephemeral management token {id}"),
            Ok(RevokeOutcome::AlreadyRevoked | RevokeOutcome::NotFound) => {
                log::info!("ephemeral management token {id} was already revoked or is gone")
            }
            Err(error) => {
                let mut diagnostic = api_error("Error Closing Ephemeral Management Token", &error);
                diagnostic.detail.push_str(&format!(
                    " Management token {id} was not revoked; it stops working when it expires. \
                     Revoke it now with `terraform apply -invoke` of an \
                     influxdb3_revoke_management_token action or `influxctl management revoke`."
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
        "A management token that exists only for one Terraform run (Terraform 1.10 and later). \
         Terraform mints it when it needs it (during plan and again during apply) and revokes it \
         when it is done; it also expires on its own after `expires_in`, should Terraform never \
         get to revoke it. Nothing of it is written to the state or to a saved plan. Use its \
         `access_token` to configure another (aliased) `influxdb3` provider for the run's work.",
        vec![
            Attribute::required("description", Type::String)
                .description("What the token is for, 1 to 255 characters."),
            Attribute::optional_computed("expires_in", Type::String).description(
                "How long the token lives at most, as a duration such as `30m`, `1h` or `1h30m` \
                 (hours, minutes, seconds; 1m to 8784h). Defaults to `1h`. Terraform revokes the \
                 token earlier, when it closes the ephemeral resource.",
            ),
            Attribute::computed("id", Type::String).description("The token's id (a UUID)."),
            Attribute::computed("access_token", Type::String)
                .sensitive()
                .description("The secret token string, for the `token` of a provider block."),
            Attribute::computed("expires_at", Type::String)
                .description("When the token expires on its own (RFC 3339)."),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(description: &str, expires_in: Option<&str>) -> Value {
        Value::object([
            ("description", Value::string(description)),
            ("expires_in", expires_in.map_or(Value::Null, Value::string)),
            ("id", Value::Null),
            ("access_token", Value::Null),
            ("expires_at", Value::Null),
        ])
    }

    fn ephemeral() -> EphemeralManagementToken {
        EphemeralManagementToken::new(Arc::new(ProviderData::default()))
    }

    #[test]
    fn schema_is_valid() {
        schema().validate().unwrap();
    }

    #[tokio::test]
    async fn validate_points_at_the_bad_attribute() {
        let diagnostics = ephemeral()
            .validate_config(&config(" ", Some("1 day")))
            .await;
        let paths: Vec<String> = diagnostics
            .iter()
            .filter_map(|d| d.path.as_ref())
            .map(|p| p.to_string())
            .collect();
        assert_eq!(paths, vec!["description", "expires_in"]);
        assert!(
            ephemeral()
                .validate_config(&config("ci", None))
                .await
                .is_empty()
        );
    }

    #[tokio::test]
    async fn close_without_private_data_does_nothing() {
        let diagnostics = ephemeral().close(CloseRequest { private: None }).await;
        assert!(diagnostics.is_empty());
    }

    #[test]
    fn private_data_names_the_token() {
        let id = Uuid::new_v4();
        let bytes = serde_json::to_vec(&OpenedToken {
            management_token_id: id,
        })
        .unwrap();
        let back: OpenedToken = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(back.management_token_id, id);
    }
}
