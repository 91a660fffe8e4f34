//! `influxdb3_revoke_database_token`: revokes a database token that Terraform
//! does not manage (a leaked or forgotten one), on demand with
//! `terraform apply -invoke=action.influxdb3_revoke_database_token.NAME`.
//! Already revoked completes with a warning (the goal holds); an id the API
//! does not know is an error.

use std::sync::Arc;

use async_trait::async_trait;

use crate::framework::action::{Action, InvokeRequest};
use crate::framework::diag::Diagnostics;
use crate::framework::schema::Schema;
use crate::framework::value::Value;
use crate::provider::ProviderData;
use crate::provider::diagnostics::api_error;

use super::revoke_token::TokenKind;

const KIND: TokenKind = TokenKind {
    action: "influxdb3_revoke_database_token",
    noun: "database token",
    capitalized: "Database token",
    title: "Database Token",
    scope: "cluster",
    list_command: "influxctl token list",
};

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

#[async_trait]
impl Action for RevokeDatabaseToken {
    fn type_name(&self) -> String {
        KIND.action.to_string()
    }

    fn schema(&self) -> Schema {
        schema()
    }

    async fn validate_config(&self, config: &Value) -> Diagnostics {
        KIND.validate(config)
    }

    async fn invoke(&self, request: InvokeRequest) -> Diagnostics {
        let id = match KIND.required_token_id(&request.config) {
            Ok(id) => id,
            Err(diagnostic) => return diagnostic.into(),
        };
        let client = match self.data.require_client(&KIND.error_summary()) {
            Ok(client) => client,
            Err(diagnostic) => return diagnostic.into(),
        };
        // The API answers a delete of a revoked token like any other: look first,
        // so that an already revoked token is noted rather than revoked again.
        match client.get_database_token(id).await {
            Ok(None) => return KIND.not_found(id).into(),
            Ok(Some(token)) if token.revoked_at.is_some() => {
                return KIND.already_revoked(id).into();
            }
            Ok(Some(_)) => {}
            Err(error) => return api_error(&KIND.error_summary(), &error).into(),
        }
        request
            .progress
            .report(format!("Revoking database token {id}"));
        let revoked = client.revoke_database_token(id).await;
        self.data.database_tokens_changed();
        KIND.report(id, revoked, &request.progress)
    }
}

/// The action's schema; descriptions are the single source of the docs.
pub(crate) fn schema() -> Schema {
    KIND.schema()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::action::Progress;
    use crate::framework::path::Path;

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
