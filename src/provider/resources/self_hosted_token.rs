//! Tokens of the self-hosted products, as two resources:
//!
//! - `influxdb3_self_hosted_admin_token`: a named admin token, on InfluxDB 3
//!   Core and Enterprise.
//! - `influxdb3_enterprise_resource_token`: a resource token with permissions,
//!   on InfluxDB 3 Enterprise only (a plan on Core fails with a diagnostic).
//!
//! Create returns the secret once (kept in state, sensitive). Destroy deletes
//! the token by name. Read lists `system.tokens` and treats a token that is not
//! listed or has expired as gone. Import takes the token's name. Every argument
//! forces a replacement: the API cannot change a token.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::Utc;

use crate::api::v3::{
    CreateNamedAdminTokenRequest, CreateResourceTokenRequest, CreatedToken, TokenPermission,
    TokenRow,
};
use crate::framework::diag::{Diagnostic, Diagnostics};
use crate::framework::identity::ResourceWithIdentity;
use crate::framework::path::Path;
use crate::framework::resource::{
    CreateRequest, CreateResponse, DeleteRequest, DeleteResponse, ImportResponse, PlanContext,
    ReadRequest, ReadResponse, Resource, ResourceWithImport,
};
use crate::framework::schema::Schema;
use crate::framework::value::{Number, Value};
use crate::provider::ProviderData;

use super::self_hosted_common::{
    client_for_read, destroyed, refreshed, require_client, string_attr,
};
use crate::provider::client::ClientError;
use crate::provider::diagnostics::self_hosted_api_error;
use crate::provider::product::{ProductScope, SelfHostedProduct};
use crate::provider::v3_client::V3Client;

use super::self_hosted_permissions::{
    format_permission, parse_permission, permission_strings, validate_permissions,
};
use super::self_hosted_token_schema::schema;
use super::token_rules::parse_time;

/// Which of the two token resources.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// `influxdb3_self_hosted_admin_token`.
    Admin,
    /// `influxdb3_enterprise_resource_token`.
    Resource,
}

impl TokenKind {
    pub(crate) fn type_name(self) -> &'static str {
        match self {
            TokenKind::Admin => "influxdb3_self_hosted_admin_token",
            TokenKind::Resource => "influxdb3_enterprise_resource_token",
        }
    }

    /// The product family of the `kind` of object (`resource`, `ephemeral
    /// resource`, `list resource`) of this token type, and its Cloud
    /// counterpart (the type of the same name of that kind).
    pub(crate) fn product(self, kind: &'static str) -> ProductScope {
        let counterparts: &'static [&'static str] = match self {
            TokenKind::Admin => &["influxdb3_management_token"],
            TokenKind::Resource => &["influxdb3_database_token"],
        };
        ProductScope::self_hosted(kind, self.type_name(), counterparts)
    }

    pub(crate) fn noun(self) -> &'static str {
        match self {
            TokenKind::Admin => "Admin Token",
            TokenKind::Resource => "Resource Token",
        }
    }
}

/// One of the two token resources.
#[derive(Debug)]
pub(crate) struct SelfHostedTokenResource {
    data: Arc<ProviderData>,
    kind: TokenKind,
}

impl SelfHostedTokenResource {
    pub(crate) fn new(data: Arc<ProviderData>, kind: TokenKind) -> Self {
        Self { data, kind }
    }

    /// The diagnostic for a resource token on InfluxDB 3 Core.
    pub(crate) fn enterprise_only(&self, client: &V3Client) -> Option<Diagnostic> {
        (self.kind == TokenKind::Resource && client.product() == SelfHostedProduct::Core).then(
            || {
                Diagnostic::error(
                    "Enterprise-Only Resource",
                    format!(
                        "{} manages resource tokens with permissions, which only InfluxDB 3 \
                         Enterprise has; this provider is configured for InfluxDB 3 Core \
                         (`product = \"core\"`). Use influxdb3_self_hosted_admin_token on Core, \
                         or a provider alias with `product = \"enterprise\"`.",
                        self.kind.type_name()
                    ),
                )
            },
        )
    }
}

fn attr(value: &Value, name: &str) -> Value {
    value.get_attr(name).cloned().unwrap_or(Value::Null)
}

/// The known `expiry_secs`, or the reason it is not valid.
fn expiry_secs(config: &Value) -> Result<Option<i64>, String> {
    match config.get_attr("expiry_secs") {
        Some(Value::Number(number)) => match number.as_i64() {
            Some(seconds) if seconds >= 0 => Ok(Some(seconds)),
            Some(seconds) => Err(format!(
                "expiry_secs is {seconds}; it must be 0 or more seconds (leave it out for a token \
                 that never expires)."
            )),
            None => Err(format!(
                "expiry_secs is {}; it must be a whole number of seconds.",
                number.to_decimal_string()
            )),
        },
        _ => Ok(None),
    }
}

fn optional_string(value: Option<String>) -> Value {
    value.map_or(Value::Null, Value::string)
}

/// Whether the row's token has expired at `now`.
pub(crate) fn is_expired(row: &TokenRow) -> bool {
    row.expiry
        .as_deref()
        .and_then(parse_time)
        .is_some_and(|expiry| expiry <= Utc::now())
}

#[async_trait]
impl Resource for SelfHostedTokenResource {
    fn type_name(&self) -> String {
        self.kind.type_name().to_owned()
    }

    fn schema(&self) -> Schema {
        schema(self.kind)
    }

    async fn validate_config(&self, config: &Value) -> Diagnostics {
        let mut diagnostics = Diagnostics::new();
        if let Some(name) = string_attr(config, "name")
            && name.trim().is_empty()
        {
            diagnostics.attribute_error(
                Path::root("name"),
                "Invalid Token Name",
                "The token name must not be empty: name the token after what uses it.",
            );
        }
        if let Err(problem) = expiry_secs(config) {
            diagnostics.attribute_error(Path::root("expiry_secs"), "Invalid Expiry", problem);
        }
        if self.kind == TokenKind::Resource {
            validate_permissions(config, &mut diagnostics);
        }
        diagnostics
    }

    async fn modify_plan(&self, plan: &mut PlanContext) {
        // A provider configured for another product fails the plan.
        if let Some(diagnostic) = self.data.wrong_product_for(&self.kind.product("resource")) {
            plan.diagnostics.push(diagnostic);
        } else if let Ok(Some(client)) = self.data.v3_client() {
            if let Some(diagnostic) = self.enterprise_only(&client) {
                plan.diagnostics.push(diagnostic);
            } else if plan.prior.is_none()
                && let Some(name) = string_attr(&plan.config, "name").map(str::to_owned)
            {
                self.check_name_free(&client, &name, plan).await;
            }
        }
    }

    async fn create(&self, request: CreateRequest) -> CreateResponse {
        let summary = format!("Error Creating {}", self.kind.noun());
        let mut diagnostics = Diagnostics::new();
        let client = match require_client(&self.data, &self.kind.product("resource"), &summary) {
            Ok(client) => client,
            Err(diagnostics) => {
                return CreateResponse {
                    state: None,
                    diagnostics,
                };
            }
        };
        if let Some(diagnostic) = self.enterprise_only(&client) {
            diagnostics.push(diagnostic);
            return CreateResponse {
                state: None,
                diagnostics,
            };
        }
        let name = string_attr(&request.config, "name")
            .unwrap_or_default()
            .to_owned();
        let mut created = self.mint(&client, &request.config, &name).await;
        if created
            .as_ref()
            .is_err_and(|error| error.status() == Some(409))
            && self.delete_if_expired(&client, &name).await
        {
            created = self.mint(&client, &request.config, &name).await;
        }
        self.data.self_hosted_tokens_changed();
        match created {
            Ok(token) => {
                log::info!("created {} {name:?}", self.kind.type_name());
                let mut state = request.planned.clone();
                if let Value::Object(attributes) = &mut state {
                    attributes.insert("id".into(), Value::string(&name));
                    attributes.insert(
                        "token_id".into(),
                        token
                            .id
                            .map_or(Value::Null, |id| Value::number(Number::from_u64(id))),
                    );
                    attributes.insert("token".into(), optional_string(token.token));
                    attributes.insert("created_at".into(), optional_string(token.created_at));
                    attributes.insert("expires_at".into(), optional_string(token.expiry));
                }
                CreateResponse {
                    state: Some(state),
                    diagnostics,
                }
            }
            Err(error) => {
                diagnostics.push(self_hosted_api_error(&summary, &error));
                CreateResponse {
                    state: None,
                    diagnostics,
                }
            }
        }
    }

    async fn read(&self, request: ReadRequest) -> ReadResponse {
        let diagnostics = Diagnostics::new();
        let state = request.state;
        let client = match client_for_read(&self.data, &self.kind.product("resource"), &state) {
            Ok(client) => client,
            Err(response) => return response,
        };
        let Some(name) = string_attr(&state, "name").map(str::to_owned) else {
            return ReadResponse {
                state: None,
                diagnostics,
            };
        };
        let listed = self.data.listed_self_hosted_token(&client, &name).await;
        let looked_up = listed.map(|row| match row {
            None => {
                log::info!("token {name:?} no longer exists; removing it from state");
                None
            }
            Some(row) if is_expired(&row) => {
                log::info!("token {name:?} has expired; removing it from state");
                None
            }
            Some(row) => Some(self.state_from_row(&state, &row)),
        });
        let summary = format!("Error Reading {}", self.kind.noun());
        refreshed(state, looked_up, &summary)
    }

    async fn delete(&self, request: DeleteRequest) -> DeleteResponse {
        let summary = format!("Error Deleting {}", self.kind.noun());
        let diagnostics = Diagnostics::new();
        let client = match require_client(&self.data, &self.kind.product("resource"), &summary) {
            Ok(client) => client,
            Err(diagnostics) => return DeleteResponse { diagnostics },
        };
        let Some(name) = string_attr(&request.state, "name") else {
            return DeleteResponse { diagnostics };
        };
        let deleted = client.delete_token(name).await;
        self.data.self_hosted_tokens_changed();
        destroyed(deleted, &format!("token {name:?}"), &summary)
    }

    fn as_import(&self) -> Option<&dyn ResourceWithImport> {
        Some(self)
    }

    fn as_identity(&self) -> Option<&dyn ResourceWithIdentity> {
        Some(self)
    }
}

impl SelfHostedTokenResource {
    /// Sends the create request of this kind of token.
    async fn mint(
        &self,
        client: &V3Client,
        config: &Value,
        name: &str,
    ) -> Result<CreatedToken, ClientError> {
        let expiry = expiry_secs(config).ok().flatten();
        match self.kind {
            TokenKind::Admin => {
                client
                    .create_named_admin_token(&CreateNamedAdminTokenRequest {
                        token_name: name.to_owned(),
                        expiry_secs: expiry,
                    })
                    .await
            }
            TokenKind::Resource => {
                let permissions = permission_strings(config)
                    .iter()
                    .filter_map(|text| parse_permission(text).ok())
                    .collect();
                client
                    .create_resource_token(&CreateResourceTokenRequest {
                        token_name: name.to_owned(),
                        permissions,
                        expiry_secs: expiry,
                    })
                    .await
            }
        }
    }

    /// An expired token keeps its name on the server. When the token this
    /// resource re-creates after it expired still holds the name, it is
    /// deleted (it can no longer authenticate); returns whether it was.
    async fn delete_if_expired(&self, client: &V3Client, name: &str) -> bool {
        self.data.self_hosted_tokens_changed();
        match self.data.listed_self_hosted_token(client, name).await {
            Ok(Some(row)) if is_expired(&row) => {
                log::info!("token {name:?} has expired and holds the name; deleting it");
                let deleted = client.delete_token(name).await;
                self.data.self_hosted_tokens_changed();
                deleted.is_ok()
            }
            _ => false,
        }
    }

    /// For a plan that creates the token: the token list (the one request a
    /// refresh makes anyway, cached) must load, so a wrong, deleted or expired
    /// provider token fails the plan, and must not hold the name already, which
    /// the create would be refused.
    async fn check_name_free(&self, client: &V3Client, name: &str, plan: &mut PlanContext) {
        match self.data.listed_self_hosted_token(client, name).await {
            // An expired token of the name is deleted by the create.
            Ok(None) => {}
            Ok(Some(row)) if is_expired(&row) => {}
            Ok(Some(_)) => plan.diagnostics.attribute_error(
                Path::root("name"),
                "Token Name Taken",
                format!(
                    "The server has a token named {name:?} already, and token names are \
                     unique. Import it (`terraform import {}.<name> {name}`) to manage it, or \
                     choose another name.",
                    self.kind.type_name()
                ),
            ),
            Err(error) => plan.diagnostics.push(self_hosted_api_error(
                &format!("Error Planning {}", self.kind.noun()),
                &error,
            )),
        }
    }

    /// `prior` refreshed from the server's row: what the API reports replaces
    /// what state had; the secret, `expiry_secs` and (when the row's form is
    /// not understood) `permissions` are kept.
    pub(crate) fn state_from_row(&self, prior: &Value, row: &TokenRow) -> Value {
        let mut values = vec![
            ("name", Value::string(&row.name)),
            ("id", Value::string(&row.name)),
            ("token_id", Value::number(Number::from_u64(row.token_id))),
            ("token", attr(prior, "token")),
            ("expiry_secs", attr(prior, "expiry_secs")),
            ("created_at", optional_string(row.created_at.clone())),
            ("expires_at", optional_string(row.expiry.clone())),
        ];
        if self.kind == TokenKind::Resource {
            let prior_permissions = attr(prior, "permissions");
            let permissions = if prior_permissions.is_null() {
                row_permissions(row).unwrap_or(Value::Null)
            } else {
                prior_permissions
            };
            values.push(("permissions", permissions));
        }
        Value::object(values)
    }
}

/// The permissions of a `system.tokens` row as the resource writes them, when
/// the row lists them as `TYPE:NAMES:ACTIONS` entries: separated by spaces (as
/// the emulator writes them) or as a JSON array of strings. Entries for the
/// same resources are merged (`db:a:read` and `db:a:write` become
/// `db:a:read,write`).
fn row_permissions(row: &TokenRow) -> Option<Value> {
    let text = row.permissions.as_deref()?;
    let entries: Vec<String> = match serde_json::from_str::<Vec<String>>(text) {
        Ok(entries) => entries,
        Err(_) => text.split_whitespace().map(str::to_owned).collect(),
    };
    let mut merged: Vec<TokenPermission> = Vec::new();
    for entry in &entries {
        let permission = parse_permission(entry).ok()?;
        match merged.iter_mut().find(|known| {
            known.resource_type == permission.resource_type
                && known.resource_names == permission.resource_names
        }) {
            Some(known) => {
                for action in permission.actions {
                    if !known.actions.contains(&action) {
                        known.actions.push(action);
                    }
                }
                known.actions.sort();
            }
            None => merged.push(permission),
        }
    }
    if merged.is_empty() {
        return None;
    }
    Some(Value::set(merged.iter().map(|permission| {
        Value::string(format_permission(permission))
    })))
}

#[async_trait]
impl ResourceWithImport for SelfHostedTokenResource {
    async fn import_state(&self, id: &str) -> ImportResponse {
        let summary = format!("Error Importing {}", self.kind.noun());
        let mut diagnostics = Diagnostics::new();
        let name = id.trim();
        if name.is_empty() {
            diagnostics.error(
                "Invalid Import ID",
                "Import a token by its name, as `influxdb3 show tokens` lists it.",
            );
            return ImportResponse {
                state: None,
                diagnostics,
            };
        }
        let client = match require_client(&self.data, &self.kind.product("resource"), &summary) {
            Ok(client) => client,
            Err(diagnostics) => {
                return ImportResponse {
                    state: None,
                    diagnostics,
                };
            }
        };
        if let Some(diagnostic) = self.enterprise_only(&client) {
            diagnostics.push(diagnostic);
            return ImportResponse {
                state: None,
                diagnostics,
            };
        }
        match self.data.listed_self_hosted_token(&client, name).await {
            Ok(row) => match row {
                None => diagnostics.error(
                    "Cannot Import Non-Existent Token",
                    format!("The server has no token named {name:?}."),
                ),
                Some(row) if is_expired(&row) => diagnostics.error(
                    "Cannot Import Expired Token",
                    format!("Token {name:?} has expired; create a new one instead."),
                ),
                Some(row) if row.is_admin() != (self.kind == TokenKind::Admin) => {
                    let other = match self.kind {
                        TokenKind::Admin => TokenKind::Resource,
                        TokenKind::Resource => TokenKind::Admin,
                    };
                    diagnostics.error(
                        "Cannot Import Token As This Resource",
                        format!(
                            "Token {name:?} is not a{} {}; import it as {}.",
                            if self.kind == TokenKind::Admin {
                                "n"
                            } else {
                                ""
                            },
                            self.kind.noun().to_lowercase(),
                            other.type_name()
                        ),
                    );
                }
                Some(row) => {
                    let state = self.state_from_row(&Value::Null, &row);
                    return ImportResponse {
                        state: Some(state),
                        diagnostics,
                    };
                }
            },
            Err(error) => diagnostics.push(self_hosted_api_error(&summary, &error)),
        }
        ImportResponse {
            state: None,
            diagnostics,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_are_valid() {
        schema(TokenKind::Admin).validate().unwrap();
        schema(TokenKind::Resource).validate().unwrap();
    }

    #[test]
    fn row_permissions_are_read_in_either_form() {
        let row = |permissions: &str| TokenRow {
            token_id: 1,
            name: "t".into(),
            hash: None,
            created_at: None,
            expiry: None,
            permissions: Some(permissions.into()),
        };
        let strings = |value: Option<Value>| -> Vec<String> {
            value
                .as_ref()
                .and_then(Value::as_elements)
                .unwrap_or_default()
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        };
        assert_eq!(
            strings(row_permissions(&row("db:a,b:read,write system:*:read"))),
            vec!["db:a,b:read,write", "system:*:read"]
        );
        assert_eq!(
            strings(row_permissions(&row(r#"["db:a:write", "db:a:read"]"#))),
            vec!["db:a:read,write"]
        );
        assert!(row_permissions(&row("*:*:*")).is_none());
        assert!(row_permissions(&row("")).is_none());
    }

    #[test]
    fn expiry_must_be_a_whole_non_negative_number() {
        let config = |n: Number| Value::object([("expiry_secs", Value::number(n))]);
        assert_eq!(expiry_secs(&config(Number::from_i64(60))), Ok(Some(60)));
        assert!(expiry_secs(&config(Number::from_i64(-1))).is_err());
        assert!(expiry_secs(&config(Number::from_f64(1.5))).is_err());
        assert_eq!(
            expiry_secs(&Value::object([("expiry_secs", Value::Null)])),
            Ok(None)
        );
    }
}
