//! The two revoke actions, one generic action over the token kind: the
//! `token_id` argument, the schema, the revoke and how its outcome is
//! reported. Each action file names its [`TokenKind`].

use std::marker::PhantomData;
use std::sync::Arc;

use async_trait::async_trait;
use uuid::Uuid;

use crate::framework::action::{Action, InvokeRequest, Progress};
use crate::framework::diag::{Diagnostic, Diagnostics};
use crate::framework::path::Path;
use crate::framework::schema::{Attribute, Schema};
use crate::framework::value::{Type, Value};
use crate::provider::ProviderData;
use crate::provider::client::{ClientError, RevokeOutcome};
use crate::provider::diagnostics::api_error;
use crate::provider::token_kind::{TokenKind, TokenWords};

/// The action that revokes a token of kind `K`.
#[derive(Debug)]
pub(crate) struct RevokeToken<K> {
    data: Arc<ProviderData>,
    kind: PhantomData<K>,
}

impl<K> RevokeToken<K> {
    pub(crate) fn new(data: Arc<ProviderData>) -> Self {
        Self {
            data,
            kind: PhantomData,
        }
    }
}

#[async_trait]
impl<K: TokenKind> Action for RevokeToken<K> {
    fn type_name(&self) -> String {
        K::WORDS.revoke_action.to_string()
    }

    fn schema(&self) -> Schema {
        schema::<K>()
    }

    async fn validate_config(&self, config: &Value) -> Diagnostics {
        let words = Words(K::WORDS);
        words.validate(config)
    }

    async fn invoke(&self, request: InvokeRequest) -> Diagnostics {
        let words = Words(K::WORDS);
        let id = match words.required_token_id(&request.config) {
            Ok(id) => id,
            Err(diagnostic) => return diagnostic.into(),
        };
        let scope = words.0.revoke_action_product();
        let client = match self.data.require_client_for(&scope, &words.error_summary()) {
            Ok(client) => client,
            Err(diagnostic) => return diagnostic.into(),
        };
        if !K::REVOKE_TELLS_ALREADY_REVOKED {
            // The API answers a delete of a revoked token like any other: look
            // first, so that an already revoked token is noted rather than
            // revoked again.
            match K::get(&client, id).await {
                Ok(None) => return words.not_found(id).into(),
                Ok(Some(token)) if K::revoked_at(&token).is_some() => {
                    return words.already_revoked(id).into();
                }
                Ok(Some(_)) => {}
                Err(error) => return api_error(&words.error_summary(), &error).into(),
            }
        }
        request
            .progress
            .report(format!("Revoking {} {id}", words.0.noun));
        let revoked = K::revoke(&client, id).await;
        K::changed(&self.data);
        words.report(id, revoked, &request.progress)
    }
}

/// The schema of the action of kind `K`; descriptions are the single source of the docs.
pub(crate) fn schema<K: TokenKind>() -> Schema {
    Words(K::WORDS).schema()
}

/// A token kind's words, as the revoke actions say them.
struct Words(TokenWords);

impl Words {
    /// The summary of an API error of the revoke.
    fn error_summary(&self) -> String {
        format!("Error Revoking {}", self.0.title)
    }

    /// The action's schema; descriptions are the single source of the docs.
    fn schema(&self) -> Schema {
        let (noun, action) = (self.0.noun, self.0.revoke_action);
        Schema::new(
            0,
            format!(
                "Revokes a {noun} that Terraform does not manage, such as a leaked or forgotten \
                 one (Terraform 1.14 and later). Invoke it with `terraform apply \
                 -invoke=action.{action}.NAME`. Revoking is irreversible. A token that is already \
                 revoked completes with a warning; an id the API does not know is an error. To \
                 revoke a token Terraform manages, remove its resource instead."
            ),
            vec![
                Attribute::required("token_id", Type::String)
                    .description(format!("The id (a UUID) of the {noun} to revoke.")),
            ],
        )
    }

    /// The token id of a known configuration, or an error on `token_id`;
    /// `None` while it is unknown.
    fn token_id(&self, config: &Value) -> Option<Result<Uuid, Diagnostic>> {
        let text = config.get_attr("token_id").and_then(Value::as_str)?;
        Some(Uuid::parse_str(text.trim()).map_err(|_| {
            Diagnostic::attribute_error(
                Path::root("token_id"),
                format!("Invalid {} ID", self.0.title),
                format!(
                    "{text:?} is not a {} id. Give the token's UUID, as shown by `{}` or \
                     `terraform query`.",
                    self.0.noun, self.0.list_command
                ),
            )
        }))
    }

    /// `ValidateActionConfig`: a known `token_id` must be a UUID.
    fn validate(&self, config: &Value) -> Diagnostics {
        let mut diagnostics = Diagnostics::new();
        if let Some(Err(diagnostic)) = self.token_id(config) {
            diagnostics.push(diagnostic);
        }
        diagnostics
    }

    /// The id to revoke at invocation, when the configuration is whole.
    fn required_token_id(&self, config: &Value) -> Result<Uuid, Diagnostic> {
        self.token_id(config).unwrap_or_else(|| {
            Err(Diagnostic::attribute_error(
                Path::root("token_id"),
                format!("Missing {} ID", self.0.title),
                "The action needs the id of the token to revoke.",
            ))
        })
    }

    /// An id the API does not know: an error on `token_id`.
    fn not_found(&self, id: Uuid) -> Diagnostic {
        Diagnostic::attribute_error(
            Path::root("token_id"),
            format!("{} Not Found", self.0.title),
            format!(
                "No {} with id {id} exists in this {}, so none was revoked. Check the id \
                 (`terraform query` lists the tokens).",
                self.0.noun, self.0.scope
            ),
        )
    }

    /// A token revoked before: the goal holds, a warning says nothing changed.
    fn already_revoked(&self, id: Uuid) -> Diagnostic {
        Diagnostic::warning(
            format!("{} Already Revoked", self.0.title),
            format!(
                "{} {id} was already revoked; nothing was changed.",
                self.0.capitalized
            ),
        )
    }

    /// Reports the outcome of a revoke: progress on success, a note when it
    /// was already revoked, an error when unknown or failed.
    fn report(
        &self,
        id: Uuid,
        revoked: Result<RevokeOutcome, ClientError>,
        progress: &Progress,
    ) -> Diagnostics {
        let mut diagnostics = Diagnostics::new();
        match revoked {
            Ok(RevokeOutcome::Revoked) => {
                log::info!("action revoked {} {id}", self.0.noun);
                progress.report(format!("{} {id} is revoked", self.0.capitalized));
            }
            Ok(RevokeOutcome::AlreadyRevoked) => diagnostics.push(self.already_revoked(id)),
            Ok(RevokeOutcome::NotFound) => diagnostics.push(self.not_found(id)),
            Err(error) => diagnostics.push(api_error(&self.error_summary(), &error)),
        }
        diagnostics
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::token_kind::{DatabaseTokens, ManagementTokens};

    fn schema_is_valid<K: TokenKind>() {
        schema::<K>().validate().unwrap();
    }

    async fn a_bad_id_is_an_error_on_token_id<K: TokenKind>() {
        let action = RevokeToken::<K>::new(Arc::new(ProviderData::default()));
        let config = Value::object([("token_id", Value::string("nope"))]);
        let diagnostics = action.validate_config(&config).await;
        assert_eq!(
            diagnostics.iter().next().unwrap().path,
            Some(Path::root("token_id"))
        );
        let unknown = Value::object([("token_id", Value::Unknown)]);
        assert!(action.validate_config(&unknown).await.is_empty());
        let (progress, _messages) = Progress::channel();
        let invoked = action.invoke(InvokeRequest { config, progress }).await;
        assert!(invoked.has_error());
    }

    #[test]
    fn schemas_are_valid() {
        schema_is_valid::<ManagementTokens>();
        schema_is_valid::<DatabaseTokens>();
    }

    #[tokio::test]
    async fn a_bad_management_token_id_is_an_error_on_token_id() {
        a_bad_id_is_an_error_on_token_id::<ManagementTokens>().await;
    }

    #[tokio::test]
    async fn a_bad_database_token_id_is_an_error_on_token_id() {
        a_bad_id_is_an_error_on_token_id::<DatabaseTokens>().await;
    }
}
