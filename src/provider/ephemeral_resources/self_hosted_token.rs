//! Ephemeral `influxdb3_self_hosted_admin_token` and
//! `influxdb3_enterprise_resource_token`: a token of a self-hosted InfluxDB 3
//! server that lives for one Terraform run. Open mints it under a fresh name
//! (`name_prefix` plus a random suffix, so runs never collide) with an expiry,
//! so it dies on its own if Terraform never closes it; close deletes it by
//! name (`DELETE /api/v3/configure/token`). Its name travels from open to close
//! in the private data; nothing of it is written to state or plan.
//!
//! Admin tokens work on Core and Enterprise; resource tokens on Enterprise
//! only (open on Core fails with the resource's Enterprise-only diagnostic).

use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::api::v3::{
    CreateNamedAdminTokenRequest, CreateResourceTokenRequest, CreatedToken, TokenPermission,
};
use crate::framework::diag::Diagnostics;
use crate::framework::ephemeral_resource::{
    CloseRequest, EphemeralResource, OpenRequest, OpenResponse,
};
use crate::framework::path::Path;
use crate::framework::schema::{Attribute, Schema};
use crate::framework::value::{Number, Type, Value};
use crate::provider::ProviderData;
use crate::provider::client::ClientError;
use crate::provider::diagnostics::self_hosted_api_error;
use crate::provider::resources::{
    SelfHostedTokenKind, SelfHostedTokenResource, parse_self_hosted_permission,
    self_hosted_permission_strings as permission_strings,
    validate_self_hosted_permissions as validate_permissions,
};
use crate::provider::v3_client::{DeleteOutcome, V3Client};

use super::lifetime::{DEFAULT_LIFETIME, check_expires_in, parse_lifetime};
use super::token::{client_for_open, string_attr};
/// The name prefix when `name_prefix` is not set.
const DEFAULT_NAME_PREFIX: &str = "terraform-run";
/// The longest `name_prefix`.
const MAX_PREFIX_CHARS: usize = 100;

/// What open hands to close (never stored by Terraform).
#[derive(Debug, Serialize, Deserialize)]
struct OpenedToken {
    /// The name of the token to delete.
    token_name: String,
}

/// One of the two ephemeral self-hosted token types.
#[derive(Debug)]
pub(crate) struct EphemeralSelfHostedToken {
    data: Arc<ProviderData>,
    kind: SelfHostedTokenKind,
}

impl EphemeralSelfHostedToken {
    pub(crate) fn new(data: Arc<ProviderData>, kind: SelfHostedTokenKind) -> Self {
        Self { data, kind }
    }

    fn noun(&self) -> String {
        format!("Ephemeral {}", self.kind.noun())
    }
}

fn check_name_prefix(prefix: &str) -> Result<(), String> {
    if prefix.trim().is_empty() {
        return Err("The name prefix must not be empty: name it after what uses the token.".into());
    }
    let length = prefix.chars().count();
    if length > MAX_PREFIX_CHARS {
        return Err(format!(
            "The name prefix has {length} characters; at most {MAX_PREFIX_CHARS} are allowed."
        ));
    }
    Ok(())
}

/// A fresh token name: the prefix and 12 random hexadecimal digits.
fn fresh_name(prefix: &str) -> String {
    let random = Uuid::new_v4().simple().to_string();
    format!("{prefix}-{}", &random[..12])
}

fn optional_string(value: Option<String>) -> Value {
    value.map_or(Value::Null, Value::string)
}

/// Whether a failed create may still have made the token: the request may
/// have reached the server (no answer, or an answer that is not a refusal).
fn may_have_made(error: &ClientError) -> bool {
    match error.status() {
        None => true,
        Some(status) => status == 409 && error.attempts() > 1 || (200..300).contains(&status),
    }
}

#[async_trait]
impl EphemeralResource for EphemeralSelfHostedToken {
    fn type_name(&self) -> String {
        self.kind.type_name().to_owned()
    }

    fn schema(&self) -> Schema {
        schema(self.kind)
    }

    async fn validate_config(&self, config: &Value) -> Diagnostics {
        let mut diagnostics = Diagnostics::new();
        if let Some(prefix) = string_attr(config, "name_prefix")
            && let Err(problem) = check_name_prefix(prefix)
        {
            diagnostics.attribute_error(Path::root("name_prefix"), "Invalid Name Prefix", problem);
        }
        check_expires_in(config, &mut diagnostics);
        if self.kind == SelfHostedTokenKind::Resource {
            validate_permissions(config, &mut diagnostics);
        }
        diagnostics
    }

    async fn open(&self, request: OpenRequest) -> OpenResponse {
        let summary = format!("Error Opening {}", self.noun());
        let client = self
            .data
            .v3_client_for(&self.kind.product("ephemeral resource"));
        let client = match client_for_open(client, &request, || schema(self.kind)) {
            Ok(client) => client,
            Err(response) => return response,
        };
        let mut response = OpenResponse::default();
        let resource = SelfHostedTokenResource::new(self.data.clone(), self.kind);
        if let Some(diagnostic) = resource.enterprise_only(&client) {
            response.diagnostics.push(diagnostic);
            return response;
        }
        let config = &request.config;
        let prefix = string_attr(config, "name_prefix")
            .unwrap_or(DEFAULT_NAME_PREFIX)
            .to_owned();
        let expires_in = string_attr(config, "expires_in")
            .unwrap_or(DEFAULT_LIFETIME)
            .to_owned();
        let problems = self.validate_config(config).await;
        if problems.has_error() {
            response.diagnostics.extend(problems);
            return response;
        }
        let lifetime = parse_lifetime(&expires_in).unwrap_or_default();
        let expiry_secs = i64::try_from(lifetime.as_secs()).unwrap_or(i64::MAX);
        let permissions: Vec<TokenPermission> = permission_strings(config)
            .iter()
            .filter_map(|text| parse_self_hosted_permission(text).ok())
            .collect();
        let name = fresh_name(&prefix);
        let created = self
            .mint(&client, &name, permissions, Some(expiry_secs))
            .await;
        self.data.self_hosted_tokens_changed();
        let token = match created {
            Ok(token) => token,
            Err(error) => {
                if may_have_made(&error) {
                    // Close deletes what may exist.
                    response.private = serde_json::to_vec(&OpenedToken {
                        token_name: name.clone(),
                    })
                    .ok();
                }
                response
                    .diagnostics
                    .push(self_hosted_api_error(&summary, &error));
                return response;
            }
        };
        response.private = serde_json::to_vec(&OpenedToken {
            token_name: name.clone(),
        })
        .ok();
        log::info!(
            "opened ephemeral {} {name:?} (expires {})",
            self.kind.type_name(),
            token.expiry.as_deref().unwrap_or("never")
        );
        let mut result = vec![
            // The configuration's values, as Terraform checks the result against them.
            ("name_prefix", Value::string(prefix)),
            ("expires_in", Value::string(expires_in)),
            ("name", Value::string(&name)),
            (
                "token_id",
                token
                    .id
                    .map_or(Value::Null, |id| Value::number(Number::from_u64(id))),
            ),
            ("token", optional_string(token.token)),
            ("expires_at", optional_string(token.expiry)),
        ];
        if self.kind == SelfHostedTokenKind::Resource {
            result.push((
                "permissions",
                config
                    .get_attr("permissions")
                    .cloned()
                    .unwrap_or(Value::Null),
            ));
        }
        response.result = Some(Value::object(result));
        response
    }

    async fn close(&self, request: CloseRequest) -> Diagnostics {
        let summary = format!("Error Closing {}", self.noun());
        let mut diagnostics = Diagnostics::new();
        let Some(opened) = request
            .private
            .as_deref()
            .and_then(|bytes| serde_json::from_slice::<OpenedToken>(bytes).ok())
        else {
            // Open minted nothing (deferred, unknown configuration, or refused).
            return diagnostics;
        };
        let name = opened.token_name;
        let scope = self.kind.product("ephemeral resource");
        let client = match self.data.require_v3_client_for(&scope, &summary) {
            Ok(client) => client,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                return diagnostics;
            }
        };
        let deleted = client.delete_token(&name).await;
        self.data.self_hosted_tokens_changed();
        match deleted {
            Ok(DeleteOutcome::Deleted) => log::info!("closed ephemeral token {name:?}"),
            Ok(DeleteOutcome::NotFound) => {
                log::info!("ephemeral token {name:?} was already deleted")
            }
            Err(error) => {
                let mut diagnostic = self_hosted_api_error(&summary, &error);
                diagnostic.detail.push_str(&format!(
                    " Token {name:?} was not deleted; it stops working when it expires. Delete \
                     it now with an influxdb3_delete_self_hosted_token action or `influxdb3 \
                     delete token --token-name {name}`."
                ));
                diagnostics.push(diagnostic);
            }
        }
        diagnostics
    }
}

impl EphemeralSelfHostedToken {
    async fn mint(
        &self,
        client: &V3Client,
        name: &str,
        permissions: Vec<TokenPermission>,
        expiry_secs: Option<i64>,
    ) -> Result<CreatedToken, ClientError> {
        match self.kind {
            SelfHostedTokenKind::Admin => {
                client
                    .create_named_admin_token(&CreateNamedAdminTokenRequest {
                        token_name: name.to_owned(),
                        expiry_secs,
                    })
                    .await
            }
            SelfHostedTokenKind::Resource => {
                client
                    .create_resource_token(&CreateResourceTokenRequest {
                        token_name: name.to_owned(),
                        permissions,
                        expiry_secs,
                    })
                    .await
            }
        }
    }
}

/// The schema of either ephemeral token; descriptions are the single source
/// of the docs.
pub(crate) fn schema(kind: SelfHostedTokenKind) -> Schema {
    let description = match kind {
        SelfHostedTokenKind::Admin => {
            "A named admin token of a self-hosted InfluxDB 3 Core or Enterprise server that \
             exists only for one Terraform run (Terraform 1.10 and later). Terraform mints it \
             when it needs it (during plan and again during apply) under a fresh name and \
             deletes it when it is done; it also expires on its own after `expires_in`, should \
             Terraform never get to delete it. Nothing of it is written to the state or to a \
             saved plan."
        }
        SelfHostedTokenKind::Resource => {
            "A resource token with permissions of a self-hosted InfluxDB 3 Enterprise server \
             that exists only for one Terraform run (Terraform 1.10 and later); InfluxDB 3 Core \
             has no resource tokens, and opening one on Core fails. Terraform mints it when it \
             needs it (during plan and again during apply) under a fresh name and deletes it \
             when it is done; it also expires on its own after `expires_in`, should Terraform \
             never get to delete it. Nothing of it is written to the state or to a saved plan."
        }
    };
    let mut attributes = vec![
        Attribute::optional_computed("name_prefix", Type::String).description(
            "The start of the token's name (1 to 100 characters); the provider adds a dash and \
             12 random hexadecimal digits, so that runs never collide. Defaults to \
             `terraform-run`.",
        ),
        Attribute::optional_computed("expires_in", Type::String).description(
            "How long the token lives at most, as a duration such as `30m`, `1h` or `1h30m` \
             (hours, minutes, seconds; 1m to 8784h). Defaults to `1h`. Terraform deletes the \
             token earlier, when it closes the ephemeral resource.",
        ),
    ];
    if kind == SelfHostedTokenKind::Resource {
        attributes.push(
            Attribute::required("permissions", Type::set(Type::String)).description(
                "What the token may do, each as `RESOURCE_TYPE:NAMES:ACTIONS` (the form of \
                 `influxdb3 create token --permission`): `db:sensors:read`, \
                 `db:sensors,metrics:read,write`, `db:*:write`, `system:*:read`.",
            ),
        );
    }
    attributes.extend([
        Attribute::computed("name", Type::String)
            .description("The token's name: `name_prefix`, a dash and 12 random digits."),
        Attribute::computed("token_id", Type::Number)
            .description("The server's numeric id of the token."),
        Attribute::computed("token", Type::String)
            .sensitive()
            .description("The secret, for `Authorization: Bearer`."),
        Attribute::computed("expires_at", Type::String)
            .description("When the token expires on its own (RFC 3339)."),
    ]);
    Schema::new(0, description, attributes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ephemeral(kind: SelfHostedTokenKind) -> EphemeralSelfHostedToken {
        EphemeralSelfHostedToken::new(Arc::new(ProviderData::default()), kind)
    }

    #[test]
    fn schemas_are_valid() {
        schema(SelfHostedTokenKind::Admin).validate().unwrap();
        schema(SelfHostedTokenKind::Resource).validate().unwrap();
    }

    #[test]
    fn fresh_names_differ_and_keep_the_prefix() {
        let (a, b) = (fresh_name("ci"), fresh_name("ci"));
        assert_ne!(a, b);
        assert!(a.starts_with("ci-") && a.len() == "ci-".len() + 12, "{a}");
    }

    #[tokio::test]
    async fn validate_points_at_the_bad_attribute() {
        let config = Value::object([
            ("name_prefix", Value::string(" ")),
            ("expires_in", Value::string("1 day")),
            ("permissions", Value::set([Value::string("db:x:delete")])),
            ("name", Value::Null),
            ("token_id", Value::Null),
            ("token", Value::Null),
            ("expires_at", Value::Null),
        ]);
        let diagnostics = ephemeral(SelfHostedTokenKind::Resource)
            .validate_config(&config)
            .await;
        let paths: Vec<String> = diagnostics
            .iter()
            .filter_map(|d| d.path.as_ref())
            .map(|p| p.to_string())
            .collect();
        assert_eq!(paths, vec!["name_prefix", "expires_in", "permissions"]);
    }

    #[tokio::test]
    async fn open_on_an_unconfigured_provider_is_an_error() {
        let response = ephemeral(SelfHostedTokenKind::Admin)
            .open(OpenRequest {
                config: Value::object([("name_prefix", Value::Null)]),
                deferral_allowed: false,
            })
            .await;
        assert!(response.diagnostics.has_error());
        assert!(response.private.is_none());
    }

    #[tokio::test]
    async fn close_without_private_data_does_nothing() {
        let diagnostics = ephemeral(SelfHostedTokenKind::Admin)
            .close(CloseRequest { private: None })
            .await;
        assert!(diagnostics.is_empty());
    }
}
