//! `influxdb3_revoke_management_token`: revokes a management token that
//! Terraform does not manage (a leaked or forgotten one), on demand with
//! `terraform apply -invoke=action.influxdb3_revoke_management_token.NAME`.
//! Already revoked completes with a warning (the goal holds); an id the API
//! does not know is an error.

use std::sync::Arc;

use async_trait::async_trait;

use crate::framework::action::{Action, InvokeRequest};
use crate::framework::diag::Diagnostics;
use crate::framework::schema::Schema;
use crate::framework::value::Value;
use crate::provider::ProviderData;

use super::revoke_token::TokenKind;

const KIND: TokenKind = TokenKind {
    action: "influxdb3_revoke_management_token",
    noun: "management token",
    capitalized: "Management token",
    title: "Management Token",
    scope: "account",
    list_command: "influxctl management list",
};

/// The `influxdb3_revoke_management_token` action.
#[derive(Debug)]
pub(crate) struct RevokeManagementToken {
    data: Arc<ProviderData>,
}

impl RevokeManagementToken {
    pub(crate) fn new(data: Arc<ProviderData>) -> Self {
        Self { data }
    }
}

#[async_trait]
impl Action for RevokeManagementToken {
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
        request
            .progress
            .report(format!("Revoking management token {id}"));
        let revoked = client.revoke_management_token(id).await;
        self.data.management_tokens_changed();
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

    fn action() -> RevokeManagementToken {
        RevokeManagementToken::new(Arc::new(ProviderData::default()))
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
