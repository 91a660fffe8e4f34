//! `influxdb3_revoke_database_token`: revokes a database token that Terraform
//! does not manage (a leaked or forgotten one), on demand with
//! `terraform apply -invoke=action.influxdb3_revoke_database_token.NAME`.
//! Already revoked completes with a warning (the goal holds); an id the API
//! does not know is an error.

use std::sync::Arc;

use async_trait::async_trait;
use uuid::Uuid;

use crate::framework::action::{Action, InvokeRequest};
use crate::framework::diag::{Diagnostic, Diagnostics};
use crate::framework::path::Path;
use crate::framework::schema::{Attribute, Schema};
use crate::framework::value::{Type, Value};
use crate::provider::ProviderData;
use crate::provider::client::RevokeOutcome;
use crate::provider::diagnostics::api_error;

const SUMMARY: &str = "Error Revoking Database Token";

/// The `influxdb3_revoke_database_token` action.
#[derive(Debug)]
pub(crate) struct RevokeDatabaseToken {
    data: Arc<ProviderData>,
}

impl RevokeDatabaseToken {
    pub(crate) fn new(data: Arc<ProviderData>) -> Self {
        Self { data }
    }
}

/// The token id of a known configuration, or an error on `token_id`.
fn token_id(config: &Value) -> Option<Result<Uuid, Diagnostic>> {
    let text = config.get_attr("token_id").and_then(Value::as_str)?;
    Some(Uuid::parse_str(text.trim()).map_err(|_| {
        Diagnostic::attribute_error(
            Path::root("token_id"),
            "Invalid Database Token ID",
            format!(
                "{text:?} is not a database token id. Give the token's UUID, as shown by \
                 `influxctl token list` or `terraform query`."
            ),
        )
    }))
}

fn not_found(id: Uuid) -> Diagnostic {
    Diagnostic::attribute_error(
        Path::root("token_id"),
        "Database Token Not Found",
        format!(
            "No database token with id {id} exists in this cluster, so none was revoked. Check \
             the id (`terraform query` lists the tokens)."
        ),
    )
}

fn already_revoked(id: Uuid) -> Diagnostic {
    Diagnostic::warning(
        "Database Token Already Revoked",
        format!("Database token {id} was already revoked; nothing was changed."),
    )
}

#[async_trait]
impl Action for RevokeDatabaseToken {
    fn type_name(&self) -> String {
        "influxdb3_revoke_database_token".to_string()
    }

    fn schema(&self) -> Schema {
        schema()
    }

    async fn validate_config(&self, config: &Value) -> Diagnostics {
        let mut diagnostics = Diagnostics::new();
        if let Some(Err(diagnostic)) = token_id(config) {
            diagnostics.push(diagnostic);
        }
        diagnostics
    }

    async fn invoke(&self, request: InvokeRequest) -> Diagnostics {
        let mut diagnostics = Diagnostics::new();
        let id = match token_id(&request.config) {
            Some(Ok(id)) => id,
            Some(Err(diagnostic)) => {
                diagnostics.push(diagnostic);
                return diagnostics;
            }
            None => {
                diagnostics.attribute_error(
                    Path::root("token_id"),
                    "Missing Database Token ID",
                    "The action needs the id of the token to revoke.",
                );
                return diagnostics;
            }
        };
        let client = match self.data.require_client(SUMMARY) {
            Ok(client) => client,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                return diagnostics;
            }
        };
        // The API answers a delete of a revoked token like any other: look first,
        // so that an already revoked token is noted rather than revoked again.
        match client.get_database_token(id).await {
            Ok(None) => {
                diagnostics.push(not_found(id));
                return diagnostics;
            }
            Ok(Some(token)) if token.revoked_at.is_some() => {
                diagnostics.push(already_revoked(id));
                return diagnostics;
            }
            Ok(Some(_)) => {}
            Err(error) => {
                diagnostics.push(api_error(SUMMARY, &error));
                return diagnostics;
            }
        }
        request
            .progress
            .report(format!("Revoking database token {id}"));
        let revoked = client.revoke_database_token(id).await;
        self.data.database_tokens_changed();
        match revoked {
            Ok(RevokeOutcome::Revoked) => {
                log::info!("action revoked database token {id}");
                request
                    .progress
                    .report(format!("Database token {id} is revoked"));
            }
            Ok(RevokeOutcome::AlreadyRevoked) => diagnostics.push(already_revoked(id)),
            Ok(RevokeOutcome::NotFound) => diagnostics.push(not_found(id)),
            Err(error) => diagnostics.push(api_error(SUMMARY, &error)),
        }
        diagnostics
    }
}

/// The action's schema; descriptions are the single source of the docs.
pub(crate) fn schema() -> Schema {
    Schema::new(
        0,
        "Revokes a database token that Terraform does not manage, such as a leaked or forgotten \
         one (Terraform 1.14 and later). Invoke it with `terraform apply \
         -invoke=action.influxdb3_revoke_database_token.NAME`. Revoking is irreversible. A token \
         that is already revoked completes with a warning; an id the API does not know is an \
         error. To revoke a token Terraform manages, remove its resource instead.",
        vec![
            Attribute::required("token_id", Type::String)
                .description("The id (a UUID) of the database token to revoke."),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::action::Progress;

    fn action() -> RevokeDatabaseToken {
        RevokeDatabaseToken::new(Arc::new(ProviderData::default()))
    }

    #[test]
    fn schema_is_valid() {
        schema().validate().unwrap();
    }

    #[tokio::test]
    async fn a_bad_id_is_an_error_on_token_id() {
        let config = Value::object([("token_id", Value::string("nope"))]);
        let diagnostics = action().validate_config(&config).await;
        assert_eq!(
            diagnostics.iter().next().unwrap().path,
            Some(Path::root("token_id"))
        );
        let unknown = Value::object([("token_id", Value::Unknown)]);
        assert!(action().validate_config(&unknown).await.is_empty());
        let (progress, _messages) = Progress::channel();
        let invoked = action().invoke(InvokeRequest { config, progress }).await;
        assert!(invoked.has_error());
    }
}
