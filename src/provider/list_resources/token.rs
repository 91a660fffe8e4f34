//! The list resources of management and database tokens, generic over the
//! token kind: the tokens for `terraform query`, each with its identity, its
//! description as display name and, when asked, its state (no secret: the API
//! only returns it at creation). Revoked and expired tokens are left out
//! unless `include_revoked` is true. Each kind file supplies its
//! [`TokenListKind`]: where the list comes from, the identity and the state.

use std::marker::PhantomData;
use std::sync::Arc;

use async_trait::async_trait;
use chrono::Utc;

use crate::framework::diag::Diagnostics;
use crate::framework::list_resource::{ListRequest, ListResource, ListResult, ListResults};
use crate::framework::schema::{Attribute, Schema};
use crate::framework::value::{Type, Value};
use crate::provider::ProviderData;
use crate::provider::client::{ClientError, ManagementApiClient};
use crate::provider::diagnostics::api_error;
use crate::provider::token_kind::TokenKind;

use super::results::{failed, most};

/// What a token kind's list resource adds to its [`TokenKind`].
#[async_trait]
pub(super) trait TokenListKind: TokenKind {
    /// Every token, revoked ones included, in the order to list them.
    async fn tokens(
        data: &ProviderData,
        client: &ManagementApiClient,
    ) -> Result<Vec<Self::Token>, ClientError>;

    /// The resource identity of `token` under the provider's configuration.
    fn identity(token: &Self::Token, client: &ManagementApiClient) -> Value;

    /// The resource state of `token` as a listing shows it.
    fn listed_state(token: &Self::Token) -> Value;

    /// What the token is for (its display name).
    fn description(token: &Self::Token) -> String;
}

/// The list resource of tokens of kind `K`.
#[derive(Debug)]
pub(crate) struct TokenList<K> {
    data: Arc<ProviderData>,
    kind: PhantomData<K>,
}

impl<K> TokenList<K> {
    pub(crate) fn new(data: Arc<ProviderData>) -> Self {
        Self {
            data,
            kind: PhantomData,
        }
    }
}

#[async_trait]
impl<K: TokenListKind> ListResource for TokenList<K> {
    fn type_name(&self) -> String {
        K::WORDS.type_name.to_string()
    }

    fn config_schema(&self) -> Schema {
        config_schema::<K>()
    }

    async fn list(&self, request: ListRequest) -> ListResults {
        let summary = format!("Error Listing {}s", K::WORDS.title);
        let include_revoked = request
            .config
            .get_attr("include_revoked")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let mut diagnostics = Diagnostics::new();
        let scope = K::WORDS.product("list resource");
        let client = match self.data.require_client_for(&scope, &summary) {
            Ok(client) => client,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                return failed(diagnostics);
            }
        };
        let tokens = match K::tokens(&self.data, &client).await {
            Ok(tokens) => tokens,
            Err(error) => {
                diagnostics.push(api_error(&summary, &error));
                return failed(diagnostics);
            }
        };
        let now = Utc::now();
        let results: Vec<ListResult> = tokens
            .iter()
            .filter(|token| include_revoked || K::is_active_at(token, now))
            .take(most(request.limit))
            .map(|token| ListResult {
                identity: Some(K::identity(token, &client)),
                display_name: K::description(token),
                resource: request.include_resource.then(|| K::listed_state(token)),
                diagnostics: Diagnostics::new(),
            })
            .collect();
        log::debug!("listed {} {}s", results.len(), K::WORDS.noun);
        Box::pin(futures_util::stream::iter(results))
    }
}

/// The schema of the `config` block of a `list` block of kind `K`.
pub(super) fn config_schema<K: TokenKind>() -> Schema {
    let words = K::WORDS;
    Schema::new(
        0,
        format!(
            "Lists the {}'s {}s for `terraform query` (Terraform 1.14 and later): each token's \
             identity, its description as display name, and, with `include_resource = true`, \
             its attributes (never the secret, which the API only returns when a token is \
             created). `terraform query -generate-config-out=FILE` writes `import` and \
             `resource` blocks that bring the listed tokens under management.",
            words.scope, words.noun
        ),
        vec![Attribute::optional("include_revoked", Type::Bool).description(
            "Also list revoked and expired tokens (which cannot be imported). Defaults to false.",
        )],
    )
}

/// Tests every token list kind runs.
#[cfg(test)]
pub(super) mod kind_tests {
    use super::*;

    pub(in crate::provider::list_resources) fn config_schema_is_valid<K: TokenListKind>() {
        config_schema::<K>().validate().unwrap();
    }

    pub(in crate::provider::list_resources) async fn an_unconfigured_provider_lists_one_error<
        K: TokenListKind,
    >() {
        let list = TokenList::<K>::new(Arc::new(ProviderData::default()));
        let config = Value::object([("include_revoked", Value::Null)]);
        super::super::results::assert_lists_one_error(&list, config).await;
    }
}
