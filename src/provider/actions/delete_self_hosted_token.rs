//! `influxdb3_delete_self_hosted_token`: deletes a token of a self-hosted
//! InfluxDB 3 Core or Enterprise server that Terraform does not manage (a
//! leaked or forgotten one), admin or resource token, by name, on demand with
//! `terraform apply -invoke=action.influxdb3_delete_self_hosted_token.NAME`.
//!
//! The `/api/v3` API addresses tokens by name and deletes them outright
//! (there is no "revoked" state to report), so a name the server does not
//! know is an error. The operator token `_admin` is refused before any
//! request (the server does not delete it; it is regenerated instead).

use std::sync::Arc;

use async_trait::async_trait;

use crate::api::v3::OPERATOR_TOKEN_NAME;
use crate::framework::action::{Action, InvokeRequest};
use crate::framework::diag::{Diagnostic, Diagnostics};
use crate::framework::path::Path;
use crate::framework::schema::{Attribute, Schema};
use crate::framework::value::{Type, Value};
use crate::provider::ProviderData;
use crate::provider::diagnostics::self_hosted_api_error;
use crate::provider::product::ProductScope;
use crate::provider::v3_client::DeleteOutcome;

const ACTION: &str = "influxdb3_delete_self_hosted_token";
const SUMMARY: &str = "Error Deleting Token";

/// The product family of the action, and its Cloud counterparts.
const PRODUCT: ProductScope = ProductScope::self_hosted(
    "action",
    ACTION,
    &[
        "influxdb3_revoke_management_token",
        "influxdb3_revoke_database_token",
    ],
);

/// The `influxdb3_delete_self_hosted_token` action.
#[derive(Debug)]
pub(crate) struct DeleteSelfHostedToken {
    data: Arc<ProviderData>,
}

impl DeleteSelfHostedToken {
    pub(crate) fn new(data: Arc<ProviderData>) -> Self {
        Self { data }
    }
}

/// The name of a known configuration, or an error on `token_name`; `None`
/// while it is unknown.
fn token_name(config: &Value) -> Option<Result<String, Diagnostic>> {
    let text = config.get_attr("token_name").and_then(Value::as_str)?;
    let name = text.trim();
    Some(if name.is_empty() {
        Err(Diagnostic::attribute_error(
            Path::root("token_name"),
            "Invalid Token Name",
            "Give the name of the token to delete, as `influxdb3 show tokens` or `terraform \
             query` lists it.",
        ))
    } else if name == OPERATOR_TOKEN_NAME {
        Err(Diagnostic::attribute_error(
            Path::root("token_name"),
            "Operator Token Not Deleted",
            "`_admin` is the server's operator token, which the server does not delete; \
             nothing was sent. To replace a leaked operator token, regenerate it \
             (`influxdb3 create token --admin --regenerate`).",
        ))
    } else {
        Ok(name.to_owned())
    })
}

#[async_trait]
impl Action for DeleteSelfHostedToken {
    fn type_name(&self) -> String {
        ACTION.to_string()
    }

    fn schema(&self) -> Schema {
        schema()
    }

    async fn validate_config(&self, config: &Value) -> Diagnostics {
        let mut diagnostics = Diagnostics::new();
        if let Some(Err(diagnostic)) = token_name(config) {
            diagnostics.push(diagnostic);
        }
        diagnostics
    }

    async fn invoke(&self, request: InvokeRequest) -> Diagnostics {
        let name = match token_name(&request.config) {
            Some(Ok(name)) => name,
            Some(Err(diagnostic)) => return diagnostic.into(),
            None => {
                return Diagnostic::attribute_error(
                    Path::root("token_name"),
                    "Missing Token Name",
                    "The action needs the name of the token to delete.",
                )
                .into();
            }
        };
        let client = match self.data.require_v3_client_for(&PRODUCT, SUMMARY) {
            Ok(client) => client,
            Err(diagnostic) => return diagnostic.into(),
        };
        request.progress.report(format!("Deleting token {name:?}"));
        let deleted = client.delete_token(&name).await;
        self.data.self_hosted_tokens_changed();
        let mut diagnostics = Diagnostics::new();
        match deleted {
            Ok(DeleteOutcome::Deleted) => {
                log::info!("action deleted token {name:?}");
                request
                    .progress
                    .report(format!("Token {name:?} is deleted"));
            }
            Ok(DeleteOutcome::NotFound) => diagnostics.attribute_error(
                Path::root("token_name"),
                "Token Not Found",
                format!(
                    "The server has no token named {name:?}, so none was deleted. Check the \
                     name (`terraform query` or `influxdb3 show tokens` lists the tokens)."
                ),
            ),
            Err(error) => diagnostics.push(self_hosted_api_error(SUMMARY, &error)),
        }
        diagnostics
    }
}

/// The action's schema; descriptions are the single source of the docs.
pub(crate) fn schema() -> Schema {
    Schema::new(
        0,
        format!(
            "Deletes a token of a self-hosted InfluxDB 3 Core or Enterprise server (an admin or \
             a resource token) that Terraform does not manage, such as a leaked or forgotten one \
             (Terraform 1.14 and later). Invoke it with `terraform apply \
             -invoke=action.{ACTION}.NAME`. Deleting is irreversible: the token stops \
             authenticating at once. A name the server does not know is an error; the operator \
             token `_admin` is refused. To delete a token Terraform manages, remove its resource \
             instead."
        ),
        vec![
            Attribute::required("token_name", Type::String)
                .description("The name of the token to delete."),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::action::Progress;

    fn action() -> DeleteSelfHostedToken {
        DeleteSelfHostedToken::new(Arc::new(ProviderData::default()))
    }

    #[test]
    fn schema_is_valid() {
        schema().validate().unwrap();
    }

    #[tokio::test]
    async fn a_blank_name_and_the_operator_token_are_errors_on_token_name() {
        for bad in ["  ", "_admin"] {
            let config = Value::object([("token_name", Value::string(bad))]);
            let diagnostics = action().validate_config(&config).await;
            assert_eq!(
                diagnostics.iter().next().unwrap().path,
                Some(Path::root("token_name")),
                "{bad:?}"
            );
            let (progress, _messages) = Progress::channel();
            let invoked = action().invoke(InvokeRequest { config, progress }).await;
            assert!(invoked.has_error());
        }
        let unknown = Value::object([("token_name", Value::Unknown)]);
        assert!(action().validate_config(&unknown).await.is_empty());
    }

    #[tokio::test]
    async fn an_unconfigured_provider_is_an_error() {
        let config = Value::object([("token_name", Value::string("leaked"))]);
        let (progress, _messages) = Progress::channel();
        let invoked = action().invoke(InvokeRequest { config, progress }).await;
        assert!(invoked.has_error());
    }
}
