//! `influxdb3_management_token`: a management token as code.
//!
//! Create mints a token and keeps its secret in state (sensitive). Destroy
//! revokes it; already revoked or unknown counts as done. Read treats a token
//! that is revoked (still listed), expired or missing as gone, so Terraform
//! plans to create it again. There is no update: every argument forces a
//! replacement.

use std::sync::Arc;

use async_trait::async_trait;

use crate::api::{CreateManagementTokenRequest, ManagementToken, Secret};
use crate::framework::diag::Diagnostics;
use crate::framework::identity::ResourceWithIdentity;
use crate::framework::model::{Model, ToValue};
use crate::framework::resource::{
    CreateRequest, CreateResponse, DeleteRequest, DeleteResponse, ImportResponse, PlanContext,
    ReadRequest, ReadResponse, Resource, ResourceWithImport,
};
use crate::framework::schema::{Attribute, Schema};
use crate::framework::value::{Type, Value};
use crate::provider::ProviderData;
use crate::provider::diagnostics::api_error;
use crate::provider::product::ProductScope;
use crate::provider::token_kind::{ManagementTokens, TokenKind};

use super::token_lifecycle;
use super::token_rules::{
    check_token_to_mint, format_time, parse_time, validate_description_and_expiry,
};

/// The product family of the resource, and its self-hosted counterpart.
const PRODUCT: ProductScope = ManagementTokens::WORDS.product("resource");

/// The `influxdb3_management_token` resource.
#[derive(Debug)]
pub(crate) struct ManagementTokenResource {
    pub(super) data: Arc<ProviderData>,
}

impl ManagementTokenResource {
    pub(crate) fn new(data: Arc<ProviderData>) -> Self {
        Self { data }
    }
}

crate::model! {
    /// The state of one token, schema version 0: its fields are the schema's
    /// attributes.
    struct ManagementTokenModelV0 {
        description: String => |name| Attribute::required(name, Type::String)
            .requires_replace()
            .description("What the token is for, 1 to 255 characters. Changing it replaces the token."),
        expires_at: Option<String> => |name| Attribute::optional(name, Type::String)
            .requires_replace()
            .description(
                "When the token stops working, as an RFC 3339 timestamp (`2030-01-01T00:00:00Z`). \
                 Must be in the future when the token is created. Unset means it never expires. \
                 Changing it replaces the token.",
            ),
        id: String => |name| Attribute::computed(name, Type::String)
            .use_state_for_unknown()
            .description("The token's id (a UUID)."),
        access_token: Option<Secret> => |name| Attribute::computed(name, Type::String)
            .sensitive()
            .use_state_for_unknown()
            .description(
                "The secret token string. Only known to resources that created the token: \
                 it is null after `terraform import`.",
            ),
        token_prefix: String => |name| Attribute::computed(name, Type::String)
            .use_state_for_unknown()
            .description("The first characters of the secret, safe to show, to recognise the token."),
        created_at: String => |name| Attribute::computed(name, Type::String)
            .use_state_for_unknown()
            .description("When the token was created (RFC 3339)."),
        created_by: String => |name| Attribute::computed(name, Type::String)
            .use_state_for_unknown()
            .description("The id of the identity that created the token."),
    }
}

impl ManagementTokenModelV0 {
    fn from_api(
        token: &ManagementToken,
        expires_at_as_written: Option<&str>,
        access_token: Option<Secret>,
    ) -> Self {
        Self {
            description: token.description.clone(),
            expires_at: token.expires_at.map(|api_expiry| {
                // Keep the user's spelling of the same instant, so the plan stays empty.
                match expires_at_as_written {
                    Some(written) if parse_time(written) == Some(api_expiry) => written.to_string(),
                    _ => format_time(api_expiry),
                }
            }),
            id: token.id.to_string(),
            access_token,
            token_prefix: token.token_prefix.clone(),
            created_at: format_time(token.created_at),
            created_by: token.created_by.to_string(),
        }
    }
}

/// The state of a token as a listing (`terraform query`) shows it: no secret,
/// the API's expiry.
pub(crate) fn listed_state(token: &ManagementToken) -> Value {
    ManagementTokenModelV0::from_api(token, None, None).to_value()
}

/// The state of a token as the resource keeps it.
pub(crate) fn state(
    token: &ManagementToken,
    expires_at_as_written: Option<&str>,
    access_token: Option<Secret>,
) -> Value {
    ManagementTokenModelV0::from_api(token, expires_at_as_written, access_token).to_value()
}

fn string_attr<'a>(value: &'a Value, name: &str) -> Option<&'a str> {
    value.get_attr(name).and_then(Value::as_str)
}

#[async_trait]
impl Resource for ManagementTokenResource {
    fn type_name(&self) -> String {
        "influxdb3_management_token".to_string()
    }

    fn schema(&self) -> Schema {
        schema()
    }

    async fn validate_config(&self, config: &Value) -> Diagnostics {
        validate_description_and_expiry(config)
    }

    async fn modify_plan(&self, plan: &mut PlanContext) {
        check_token_to_mint(&self.data, &PRODUCT, plan, "management token").await;
    }

    async fn create(&self, request: CreateRequest) -> CreateResponse {
        let mut diagnostics = Diagnostics::new();
        let client = match self
            .data
            .require_client_for(&PRODUCT, "Error Creating Management Token")
        {
            Ok(client) => client,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                return CreateResponse {
                    state: None,
                    diagnostics,
                };
            }
        };
        let description = string_attr(&request.config, "description")
            .unwrap_or_default()
            .to_string();
        let expires_at_text = string_attr(&request.config, "expires_at").map(str::to_string);
        let expires_at = expires_at_text.as_deref().and_then(parse_time);
        let body = CreateManagementTokenRequest {
            description,
            expires_at,
        };
        let created = client.create_management_token(&body).await;
        self.data.management_tokens_changed();
        match created {
            Ok(token) => {
                log::info!("created management token {}", token.id);
                let access_token = token.access_token.clone();
                let state = ManagementTokenModelV0::from_api(
                    &token,
                    expires_at_text.as_deref(),
                    access_token,
                );
                CreateResponse {
                    state: Some(state.to_value()),
                    diagnostics,
                }
            }
            Err(error) => {
                if let Some(token) = error.created_without_secret() {
                    // The token exists and can authenticate, but nobody knows its
                    // secret: record it, so that Terraform marks it tainted,
                    // replaces it on the next apply and revokes it on destroy.
                    log::warn!(
                        "created management token {} without learning its secret",
                        token.id
                    );
                    diagnostics.error(
                        "Management Token Has No Secret",
                        format!(
                            "The API created management token {} but its secret did not reach \
                             the provider ({error}). The token is kept in state so that destroy \
                             revokes it; Terraform marks it tainted, so the next apply replaces it.",
                            token.id
                        ),
                    );
                    let state =
                        ManagementTokenModelV0::from_api(token, expires_at_text.as_deref(), None);
                    return CreateResponse {
                        state: Some(state.to_value()),
                        diagnostics,
                    };
                }
                let mut diagnostic = api_error("Error Creating Management Token", &error);
                if error.outcome_unknown() {
                    diagnostic.detail.push_str(&format!(
                        " The API may have created the token without the provider learning of it: \
                         look for an active token with the description {:?} (`influxctl management \
                         list`) and revoke it if it is not in the state.",
                        body.description
                    ));
                }
                diagnostics.push(diagnostic);
                CreateResponse {
                    state: None,
                    diagnostics,
                }
            }
        }
    }

    async fn read(&self, request: ReadRequest) -> ReadResponse {
        token_lifecycle::read::<ManagementTokens>(&self.data, request).await
    }

    async fn delete(&self, request: DeleteRequest) -> DeleteResponse {
        token_lifecycle::delete::<ManagementTokens>(&self.data, request).await
    }

    fn as_import(&self) -> Option<&dyn ResourceWithImport> {
        Some(self)
    }

    fn as_identity(&self) -> Option<&dyn ResourceWithIdentity> {
        Some(self)
    }
}

#[async_trait]
impl ResourceWithImport for ManagementTokenResource {
    async fn import_state(&self, id: &str) -> ImportResponse {
        token_lifecycle::import::<ManagementTokens>(&self.data, id).await
    }
}

/// The resource schema; descriptions are the single source of the docs.
pub(crate) fn schema() -> Schema {
    Schema::new(
        0,
        "A management token of InfluxDB 3 Cloud Dedicated or Clustered. Creating the resource \
         mints a token and keeps its secret in state (marked sensitive); destroying it revokes \
         the token. A token that is revoked or expires outside Terraform shows up as deleted \
         and is created again on the next apply. Tokens cannot be changed: any change to an \
         argument replaces the token (use `create_before_destroy` to rotate without a gap).",
        ManagementTokenModelV0::attributes(),
    )
}

/// The attribute names of the schema, for tests of other modules.
#[cfg(test)]
pub(crate) fn attribute_names() -> Vec<String> {
    schema()
        .block
        .attributes
        .iter()
        .map(|a| a.name.clone())
        .collect()
}

#[cfg(test)]
#[path = "management_token_api_tests.rs"]
mod api_tests;

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use chrono::Utc;
    use uuid::Uuid;

    use super::*;
    use crate::provider::resources::token_lifecycle::resource_tests;

    fn config(description: &str, expires_at: Option<&str>) -> Value {
        let mut attributes: BTreeMap<String, Value> = attribute_names()
            .into_iter()
            .map(|name| (name, Value::Null))
            .collect();
        attributes.insert("description".into(), Value::string(description));
        attributes.insert(
            "expires_at".into(),
            expires_at.map_or(Value::Null, Value::string),
        );
        Value::Object(attributes)
    }

    fn resource() -> ManagementTokenResource {
        ManagementTokenResource::new(Arc::new(ProviderData::default()))
    }

    #[test]
    fn schema_is_valid() {
        schema().validate().unwrap();
    }

    #[tokio::test]
    async fn validate_points_at_the_bad_attribute() {
        resource_tests::validate_points_at_the_bad_attribute(
            &resource(),
            config(" ", Some("tomorrow")),
        )
        .await;
    }

    #[tokio::test]
    async fn unknown_values_pass_validation() {
        let mut value = config("x", None);
        if let Value::Object(attributes) = &mut value {
            attributes.insert("description".into(), Value::Unknown);
            attributes.insert("expires_at".into(), Value::Unknown);
        }
        assert!(resource().validate_config(&value).await.is_empty());
    }

    #[tokio::test]
    async fn past_expiry_is_a_plan_error_only_when_creating() {
        resource_tests::past_expiry_is_a_plan_error_only_when_creating(
            &resource(),
            config("x", Some("2001-01-01T00:00:00Z")),
        )
        .await;
    }

    #[test]
    fn expiry_keeps_the_users_spelling_of_the_same_instant() {
        let token = ManagementToken {
            account_id: None,
            id: Uuid::new_v4(),
            description: "d".into(),
            token_prefix: "M.V1.abcd".into(),
            created_at: Utc::now(),
            created_by: Uuid::new_v4(),
            expires_at: parse_time("2030-01-01T00:00:00Z"),
            revoked_at: None,
            access_token: None,
        };
        let same =
            ManagementTokenModelV0::from_api(&token, Some("2030-01-01T01:00:00+01:00"), None);
        assert_eq!(
            same.expires_at.as_deref(),
            Some("2030-01-01T01:00:00+01:00")
        );
        let other = ManagementTokenModelV0::from_api(&token, Some("2031-01-01T00:00:00Z"), None);
        assert_eq!(other.expires_at.as_deref(), Some("2030-01-01T00:00:00Z"));
    }
}
