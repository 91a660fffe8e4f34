//! The data sources of management and database tokens, generic over the
//! token kind: one token by id, revoked or not (`influxdb3_management_token`),
//! and every token (`influxdb3_management_tokens`). Each kind file supplies
//! its [`TokenDataSourceKind`]: the token's attributes and values, the
//! descriptions, and which API calls find the tokens.

use std::marker::PhantomData;
use std::sync::Arc;

use async_trait::async_trait;
use uuid::Uuid;

use crate::framework::data_source::{DataSource, DataSourceReadResponse};
use crate::framework::diag::Diagnostics;
use crate::framework::path::Path;
use crate::framework::schema::{Attribute, Schema};
use crate::framework::value::{Type, Value};
use crate::provider::ProviderData;
use crate::provider::client::{ClientError, ManagementApiClient};
use crate::provider::diagnostics::api_error;
use crate::provider::product::ProductScope;
use crate::provider::token_kind::TokenKind;

/// The self-hosted data source that does the job of either kind's.
const SELF_HOSTED: &[&str] = &["influxdb3_self_hosted_tokens"];

/// What a token kind's data sources add to its [`TokenKind`].
#[async_trait]
pub(super) trait TokenDataSourceKind: TokenKind {
    /// The type name of the every-token data source (`influxdb3_management_tokens`).
    const ALL_TYPE_NAME: &'static str;
    /// The description of the one-token data source.
    const ONE_DESCRIPTION: &'static str;
    /// The description of the every-token data source.
    const ALL_DESCRIPTION: &'static str;
    /// The description of its `tokens` attribute.
    const TOKENS_DESCRIPTION: &'static str;

    /// The attributes that describe a token, without `id`. No secret: the
    /// API only shows it at creation.
    fn token_attributes() -> Vec<Attribute>;

    /// A token's attributes as values, without `id`.
    fn token_values(token: &Self::Token) -> Vec<(&'static str, Value)>;

    /// Token `id` for the one-token data source; `None` when the API does not know it.
    async fn find(
        data: &ProviderData,
        client: &ManagementApiClient,
        id: Uuid,
    ) -> Result<Option<Self::Token>, ClientError>;

    /// Every token, revoked ones included, in any order.
    async fn all(
        data: &ProviderData,
        client: &ManagementApiClient,
    ) -> Result<Vec<Self::Token>, ClientError>;
}

/// The data source of one token of kind `K`, by id.
#[derive(Debug)]
pub(crate) struct TokenDataSource<K> {
    data: Arc<ProviderData>,
    kind: PhantomData<K>,
}

impl<K> TokenDataSource<K> {
    pub(crate) fn new(data: Arc<ProviderData>) -> Self {
        Self {
            data,
            kind: PhantomData,
        }
    }
}

fn invalid_id<K: TokenKind>(diagnostics: &mut Diagnostics, id: &str) {
    diagnostics.attribute_error(
        Path::root("id"),
        format!("Invalid {} ID", K::WORDS.title),
        format!("{id:?} is not a UUID."),
    );
}

/// A token's values with `id` as `id_text` says it.
fn values_with_id<K: TokenDataSourceKind>(token: &K::Token, id_text: String) -> Value {
    let mut values = vec![("id", Value::string(id_text))];
    values.extend(K::token_values(token));
    Value::object(values)
}

#[async_trait]
impl<K: TokenDataSourceKind> DataSource for TokenDataSource<K> {
    fn type_name(&self) -> String {
        K::WORDS.type_name.to_string()
    }

    fn schema(&self) -> Schema {
        let mut attributes =
            vec![Attribute::required("id", Type::String).description("The token's id (a UUID).")];
        attributes.extend(K::token_attributes());
        Schema::new(0, K::ONE_DESCRIPTION, attributes)
    }

    async fn validate_config(&self, config: &Value) -> Diagnostics {
        let mut diagnostics = Diagnostics::new();
        if let Some(id) = config.get_attr("id").and_then(Value::as_str)
            && Uuid::parse_str(id).is_err()
        {
            invalid_id::<K>(&mut diagnostics, id);
        }
        diagnostics
    }

    async fn read(&self, config: Value) -> DataSourceReadResponse {
        let words = K::WORDS;
        let summary = format!("Error Reading {}", words.title);
        let mut diagnostics = Diagnostics::new();
        let fail = |diagnostics| DataSourceReadResponse {
            state: None,
            diagnostics,
        };
        let scope = ProductScope::cloud("data source", K::WORDS.type_name, SELF_HOSTED);
        let client = match self.data.require_client_for(&scope, &summary) {
            Ok(client) => client,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                return fail(diagnostics);
            }
        };
        let id_text = config
            .get_attr("id")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let Ok(id) = Uuid::parse_str(id_text) else {
            invalid_id::<K>(&mut diagnostics, id_text);
            return fail(diagnostics);
        };
        match K::find(&self.data, &client, id).await {
            // Keep the id as written (the same UUID in another case).
            Ok(Some(token)) => DataSourceReadResponse {
                state: Some(values_with_id::<K>(&token, id_text.to_string())),
                diagnostics,
            },
            Ok(None) => {
                diagnostics.attribute_error(
                    Path::root("id"),
                    format!("{} Not Found", words.title),
                    format!(
                        "No {} with id {id} exists in this {}.",
                        words.noun, words.scope
                    ),
                );
                fail(diagnostics)
            }
            Err(error) => {
                diagnostics.push(api_error(&summary, &error));
                fail(diagnostics)
            }
        }
    }
}

/// The data source of every token of kind `K`.
#[derive(Debug)]
pub(crate) struct TokensDataSource<K> {
    data: Arc<ProviderData>,
    kind: PhantomData<K>,
}

impl<K> TokensDataSource<K> {
    pub(crate) fn new(data: Arc<ProviderData>) -> Self {
        Self {
            data,
            kind: PhantomData,
        }
    }
}

/// The type of one element of `tokens`.
fn token_object_type<K: TokenDataSourceKind>() -> Type {
    let mut attributes = vec![Attribute::computed("id", Type::String)];
    attributes.extend(K::token_attributes());
    Type::object(attributes.into_iter().map(|a| {
        let ty = a.value_type();
        (a.name, ty)
    }))
}

#[async_trait]
impl<K: TokenDataSourceKind> DataSource for TokensDataSource<K> {
    fn type_name(&self) -> String {
        K::ALL_TYPE_NAME.to_string()
    }

    fn schema(&self) -> Schema {
        Schema::new(
            0,
            K::ALL_DESCRIPTION,
            vec![
                Attribute::optional("include_revoked", Type::Bool)
                    .description("Whether revoked tokens are listed too. Defaults to `false`."),
                Attribute::computed("tokens", Type::list(token_object_type::<K>()))
                    .description(K::TOKENS_DESCRIPTION),
            ],
        )
    }

    async fn read(&self, config: Value) -> DataSourceReadResponse {
        let summary = format!("Error Listing {}s", K::WORDS.title);
        let mut diagnostics = Diagnostics::new();
        let scope = ProductScope::cloud("data source", K::ALL_TYPE_NAME, SELF_HOSTED);
        let client = match self.data.require_client_for(&scope, &summary) {
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
        match K::all(&self.data, &client).await {
            Ok(mut tokens) => {
                tokens.retain(|token| include_revoked || K::revoked_at(token).is_none());
                tokens.sort_by(|a, b| {
                    K::created_at(a)
                        .cmp(&K::created_at(b))
                        .then(K::id(a).cmp(&K::id(b)))
                });
                let listed = tokens
                    .iter()
                    .map(|token| values_with_id::<K>(token, K::id(token).to_string()));
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
                diagnostics.push(api_error(&summary, &error));
                DataSourceReadResponse {
                    state: None,
                    diagnostics,
                }
            }
        }
    }
}
