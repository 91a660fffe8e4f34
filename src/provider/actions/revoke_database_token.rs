//! `influxdb3_revoke_database_token`: revokes a database token that Terraform
//! does not manage (a leaked or forgotten one), on demand with
//! `terraform apply -invoke=action.influxdb3_revoke_database_token.NAME`.
//! Already revoked completes with a warning (the goal holds); an id the API
//! does not know is an error.
//!
//! The action is [`RevokeToken`] (in `revoke_token.rs`) of this token kind.

use crate::provider::token_kind::DatabaseTokens;

use super::revoke_token::RevokeToken;

/// The `influxdb3_revoke_database_token` action.
pub(crate) type RevokeDatabaseToken = RevokeToken<DatabaseTokens>;

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::framework::action::{Action, InvokeRequest, Progress};
    use crate::framework::path::Path;
    use crate::framework::value::Value;
    use crate::provider::ProviderData;

    fn action() -> RevokeDatabaseToken {
        RevokeDatabaseToken::new(Arc::new(ProviderData::default()))
    }

    #[test]
    fn schema_is_valid() {
        super::super::revoke_token::schema::<DatabaseTokens>()
            .validate()
            .unwrap();
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
