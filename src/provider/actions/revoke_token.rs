//! What the two revoke actions share: the `token_id` argument, the schema, and
//! how a revoke's outcome is reported. Each action file supplies its
//! [`TokenKind`] and the API calls of its token kind.

use uuid::Uuid;

use crate::framework::action::Progress;
use crate::framework::diag::{Diagnostic, Diagnostics};
use crate::framework::path::Path;
use crate::framework::schema::{Attribute, Schema};
use crate::framework::value::{Type, Value};
use crate::provider::client::{ClientError, RevokeOutcome};
use crate::provider::diagnostics::api_error;

/// The words of one token kind, as its diagnostics and docs say them.
#[derive(Debug, Clone, Copy)]
pub(super) struct TokenKind {
    /// The action's type name (`influxdb3_revoke_management_token`).
    pub(super) action: &'static str,
    /// In a sentence (`management token`).
    pub(super) noun: &'static str,
    /// At the start of a sentence (`Management token`).
    pub(super) capitalized: &'static str,
    /// In a diagnostic title (`Management Token`).
    pub(super) title: &'static str,
    /// Where the ids live (`account`, `cluster`).
    pub(super) scope: &'static str,
    /// The CLI command that lists the ids.
    pub(super) list_command: &'static str,
}

impl TokenKind {
    /// The summary of an API error of the revoke.
    pub(super) fn error_summary(&self) -> String {
        format!("Error Revoking {}", self.title)
    }

    /// The action's schema; descriptions are the single source of the docs.
    pub(super) fn schema(&self) -> Schema {
        let (noun, action) = (self.noun, self.action);
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
                format!("Invalid {} ID", self.title),
                format!(
                    "{text:?} is not a {} id. Give the token's UUID, as shown by `{}` or \
                     `terraform query`.",
                    self.noun, self.list_command
                ),
            )
        }))
    }

    /// `ValidateActionConfig`: a known `token_id` must be a UUID.
    pub(super) fn validate(&self, config: &Value) -> Diagnostics {
        let mut diagnostics = Diagnostics::new();
        if let Some(Err(diagnostic)) = self.token_id(config) {
            diagnostics.push(diagnostic);
        }
        diagnostics
    }

    /// The id to revoke at invocation, when the configuration is whole.
    pub(super) fn required_token_id(&self, config: &Value) -> Result<Uuid, Diagnostic> {
        self.token_id(config).unwrap_or_else(|| {
            Err(Diagnostic::attribute_error(
                Path::root("token_id"),
                format!("Missing {} ID", self.title),
                "The action needs the id of the token to revoke.",
            ))
        })
    }

    /// An id the API does not know: an error on `token_id`.
    pub(super) fn not_found(&self, id: Uuid) -> Diagnostic {
        Diagnostic::attribute_error(
            Path::root("token_id"),
            format!("{} Not Found", self.title),
            format!(
                "No {} with id {id} exists in this {}, so none was revoked. Check the id \
                 (`terraform query` lists the tokens).",
                self.noun, self.scope
            ),
        )
    }

    /// A token revoked before: the goal holds, a warning says nothing changed.
    pub(super) fn already_revoked(&self, id: Uuid) -> Diagnostic {
        Diagnostic::warning(
            format!("{} Already Revoked", self.title),
            format!(
                "{} {id} was already revoked; nothing was changed.",
                self.capitalized
            ),
        )
    }

    /// Reports the outcome of a revoke: progress on success, a note when it
    /// was already revoked, an error when unknown or failed.
    pub(super) fn report(
        &self,
        id: Uuid,
        revoked: Result<RevokeOutcome, ClientError>,
        progress: &Progress,
    ) -> Diagnostics {
        let mut diagnostics = Diagnostics::new();
        match revoked {
            Ok(RevokeOutcome::Revoked) => {
                log::info!("action revoked {} {id}", self.noun);
                progress.report(format!("{} {id} is revoked", self.capitalized));
            }
            Ok(RevokeOutcome::AlreadyRevoked) => diagnostics.push(self.already_revoked(id)),
            Ok(RevokeOutcome::NotFound) => diagnostics.push(self.not_found(id)),
            Err(error) => diagnostics.push(api_error(&self.error_summary(), &error)),
        }
        diagnostics
    }
}
