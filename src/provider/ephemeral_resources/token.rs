//! What the ephemeral management and database tokens share: open mints a
//! token (with an expiry, so it dies on its own if Terraform never closes
//! it), close revokes it; its id travels from open to close in the private
//! data, and nothing of it is written to state or to a saved plan. Each kind
//! file supplies its [`EphemeralTokenKind`]: schema, create request and words.

use std::collections::BTreeMap;
use std::marker::PhantomData;
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::framework::diag::{Diagnostic, Diagnostics};
use crate::framework::ephemeral_resource::{
    CloseRequest, EphemeralResource, OpenRequest, OpenResponse, unknown_result,
};
use crate::framework::path::Path;
use crate::framework::schema::Schema;
use crate::framework::value::Value;
use crate::provider::ProviderData;
use crate::provider::client::{ClientError, ManagementApiClient, RevokeOutcome};
use crate::provider::diagnostics::api_error;
use crate::provider::resources::{check_description, format_time};
use crate::provider::token_kind::TokenKind;

use super::lifetime::{DEFAULT_LIFETIME, check_expires_in, parse_lifetime};

/// What an ephemeral token kind adds to its [`TokenKind`].
#[async_trait]
pub(super) trait EphemeralTokenKind: TokenKind {
    /// The create request's body.
    type CreateRequest: Send + Sync;

    /// The key of the token id in the private data (`management_token_id`).
    const PRIVATE_KEY: &'static str;

    /// The sentence that says how to revoke the token by hand when close failed.
    const REVOKE_HINT: &'static str;

    /// The ephemeral resource's schema; descriptions are the single source of the docs.
    fn schema() -> Schema;

    /// The create request for a known configuration, or the problem with it.
    fn create_request(
        config: &Value,
        description: String,
        expires_at: DateTime<Utc>,
    ) -> Result<Self::CreateRequest, Diagnostic>;

    /// Mints the token; its secret is in the answer.
    async fn create(
        client: &ManagementApiClient,
        body: &Self::CreateRequest,
    ) -> Result<Self::Token, ClientError>;

    /// The configuration's values that the result repeats, besides
    /// `description` and `expires_in` (Terraform checks the result against them).
    fn configured_values(config: &Value) -> Vec<(&'static str, Value)>;
}

/// An ephemeral token of kind `K`.
#[derive(Debug)]
pub(crate) struct EphemeralToken<K> {
    data: Arc<ProviderData>,
    kind: PhantomData<K>,
}

impl<K> EphemeralToken<K> {
    pub(crate) fn new(data: Arc<ProviderData>) -> Self {
        Self {
            data,
            kind: PhantomData,
        }
    }
}

pub(super) fn string_attr<'a>(value: &'a Value, name: &str) -> Option<&'a str> {
    value.get_attr(name).and_then(Value::as_str)
}

/// The client an open uses, from the provider's answer `client`, or the
/// response to give without one: while the provider's own configuration is
/// not known yet (plan) nothing can be minted, so the open is deferred where
/// Terraform allows it, else its result is unknown (`schema`'s) and Terraform
/// opens it again at apply; a diagnostic fails the open.
pub(super) fn client_for_open<C>(
    client: Result<Option<C>, Diagnostic>,
    request: &OpenRequest,
    schema: impl FnOnce() -> Schema,
) -> Result<C, OpenResponse> {
    let mut response = OpenResponse::default();
    match client {
        Ok(Some(client)) => return Ok(client),
        Ok(None) if request.deferral_allowed => response.deferred = true,
        Ok(None) => response.result = Some(unknown_result(&schema(), &request.config)),
        Err(diagnostic) => response.diagnostics.push(diagnostic),
    }
    Err(response)
}

/// What open hands to close (never stored by Terraform): `{ "<key>": id }`.
pub(super) fn private_data(key: &str, id: Uuid) -> Option<Vec<u8>> {
    serde_json::to_vec(&BTreeMap::from([(key, id)])).ok()
}

/// The token id of private data made by [`private_data`] with `key`.
pub(super) fn opened_token(key: &str, private: Option<&[u8]>) -> Option<Uuid> {
    let opened: BTreeMap<String, Uuid> = serde_json::from_slice(private?).ok()?;
    opened.get(key).copied()
}

#[async_trait]
impl<K: EphemeralTokenKind> EphemeralResource for EphemeralToken<K> {
    fn type_name(&self) -> String {
        K::WORDS.type_name.to_string()
    }

    fn schema(&self) -> Schema {
        K::schema()
    }

    async fn validate_config(&self, config: &Value) -> Diagnostics {
        let mut diagnostics = Diagnostics::new();
        if let Some(description) = string_attr(config, "description")
            && let Err(problem) = check_description(description)
        {
            diagnostics.attribute_error(Path::root("description"), "Invalid Description", problem);
        }
        check_expires_in(config, &mut diagnostics);
        diagnostics
    }

    async fn open(&self, request: OpenRequest) -> OpenResponse {
        let words = K::WORDS;
        let scope = words.product("ephemeral resource");
        let client = match client_for_open(self.data.client_for(&scope), &request, K::schema) {
            Ok(client) => client,
            Err(response) => return response,
        };
        let mut response = OpenResponse::default();
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
        let body = match K::create_request(&request.config, description.clone(), expires_at) {
            Ok(body) => body,
            Err(diagnostic) => {
                response.diagnostics.push(diagnostic);
                return response;
            }
        };
        let created = K::create(&client, &body).await;
        K::changed(&self.data);
        let mut token = match created {
            Ok(token) => token,
            Err(error) => {
                response.diagnostics.push(api_error(
                    &format!("Error Opening Ephemeral {}", words.title),
                    &error,
                ));
                return response;
            }
        };
        let id = K::id(&token);
        // Set before anything can fail, so that close revokes what was minted.
        response.private = private_data(K::PRIVATE_KEY, id);
        let Some(access_token) = K::take_access_token(&mut token) else {
            response.diagnostics.error(
                format!("{} Has No Secret", words.title),
                format!(
                    "The API created {} {id} but returned no access token; it is \
                     revoked when Terraform closes this ephemeral resource.",
                    words.noun
                ),
            );
            return response;
        };
        log::info!(
            "opened ephemeral {} {id} (expires {})",
            words.noun,
            format_time(expires_at)
        );
        let mut values = vec![
            // The configuration's values, as Terraform checks the result against them.
            ("description", Value::string(description)),
            ("expires_in", Value::string(expires_in)),
            ("id", Value::string(id.to_string())),
            ("access_token", Value::string(access_token.expose())),
            (
                "expires_at",
                Value::string(format_time(K::expires_at(&token).unwrap_or(expires_at))),
            ),
        ];
        values.extend(K::configured_values(&request.config));
        response.result = Some(Value::object(values));
        response
    }

    async fn close(&self, request: CloseRequest) -> Diagnostics {
        let words = K::WORDS;
        let summary = format!("Error Closing Ephemeral {}", words.title);
        let mut diagnostics = Diagnostics::new();
        let Some(id) = opened_token(K::PRIVATE_KEY, request.private.as_deref()) else {
            // Open minted nothing (deferred, unknown configuration, or failed).
            return diagnostics;
        };
        let scope = words.product("ephemeral resource");
        let client = match self.data.require_client_for(&scope, &summary) {
            Ok(client) => client,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                return diagnostics;
            }
        };
        let revoked = K::revoke(&client, id).await;
        K::changed(&self.data);
        match revoked {
            Ok(RevokeOutcome::Revoked) => log::info!("closed ephemeral {} {id}", words.noun),
            Ok(RevokeOutcome::AlreadyRevoked | RevokeOutcome::NotFound) => {
                log::info!(
                    "ephemeral {} {id} was already revoked or is gone",
                    words.noun
                )
            }
            Err(error) => {
                let mut diagnostic = api_error(&summary, &error);
                diagnostic.detail.push_str(&format!(
                    " {} {id} was not revoked; it stops working when it expires. {}",
                    words.capitalized,
                    K::REVOKE_HINT
                ));
                diagnostics.push(diagnostic);
            }
        }
        diagnostics
    }
}

/// Tests every ephemeral token kind runs.
#[cfg(test)]
pub(super) mod kind_tests {
    use super::*;

    fn ephemeral<K>() -> EphemeralToken<K> {
        EphemeralToken::new(Arc::new(ProviderData::default()))
    }

    pub(in crate::provider::ephemeral_resources) fn schema_is_valid<K: EphemeralTokenKind>() {
        K::schema().validate().unwrap();
    }

    /// A bad `description` and a bad `expires_in` in `config`, where the rest is
    /// valid, are reported on their attributes, in that order.
    pub(in crate::provider::ephemeral_resources) async fn validate_points_at_the_bad_attribute<
        K: EphemeralTokenKind,
    >(
        config: Value,
    ) {
        let diagnostics = ephemeral::<K>().validate_config(&config).await;
        let paths: Vec<String> = diagnostics
            .iter()
            .filter_map(|d| d.path.as_ref())
            .map(|p| p.to_string())
            .collect();
        assert_eq!(paths, vec!["description", "expires_in"]);
    }

    pub(in crate::provider::ephemeral_resources) async fn close_without_private_data_does_nothing<
        K: EphemeralTokenKind,
    >() {
        let diagnostics = ephemeral::<K>().close(CloseRequest { private: None }).await;
        assert!(diagnostics.is_empty());
    }

    /// The private data names the token under the kind's key, and nothing else.
    pub(in crate::provider::ephemeral_resources) fn private_data_names_the_token<
        K: EphemeralTokenKind,
    >() {
        let id = Uuid::new_v4();
        let bytes = private_data(K::PRIVATE_KEY, id).unwrap();
        let json: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(
            json,
            serde_json::json!({ K::PRIVATE_KEY: id.to_string() }),
            "the private data's shape"
        );
        assert_eq!(opened_token(K::PRIVATE_KEY, Some(&bytes)), Some(id));
        assert_eq!(opened_token("other_id", Some(&bytes)), None);
        assert_eq!(opened_token(K::PRIVATE_KEY, Some(b"not json")), None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::schema::Attribute;
    use crate::framework::value::Type;

    #[test]
    fn an_open_before_the_configuration_is_known_is_deferred_or_unknown() {
        let schema = || {
            Schema::new(
                0,
                "test",
                vec![
                    Attribute::optional("description", Type::String),
                    Attribute::computed("id", Type::String),
                ],
            )
        };
        let request = |deferral_allowed| OpenRequest {
            config: Value::object([("description", Value::string("ci")), ("id", Value::Null)]),
            deferral_allowed,
        };
        let deferred = client_for_open::<()>(Ok(None), &request(true), schema).unwrap_err();
        assert!(deferred.deferred && deferred.result.is_none());
        let unknown = client_for_open::<()>(Ok(None), &request(false), schema).unwrap_err();
        assert!(!unknown.deferred);
        let result = unknown.result.unwrap();
        assert_eq!(result.get_attr("id"), Some(&Value::Unknown));
        assert_eq!(result.get_attr("description"), Some(&Value::string("ci")));
        let refused = Diagnostic::error("Wrong", "product");
        let failed = client_for_open::<()>(Err(refused), &request(true), schema).unwrap_err();
        assert!(failed.diagnostics.has_error() && !failed.deferred && failed.result.is_none());
        assert_eq!(
            client_for_open(Ok(Some(7)), &request(false), schema).ok(),
            Some(7)
        );
    }
}
