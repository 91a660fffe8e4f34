//! Ephemeral `influxdb3_database_token`: a database token that lives for one
//! Terraform run, e.g. for a provider or a check that writes or queries
//! during the run. Open mints it (with an expiry, so it dies on its own if
//! Terraform never closes it), close revokes it; its id travels from open to
//! close in the private data, and nothing of it is written to state or plan.
//! What it shares with the ephemeral management token is in `token.rs`; its
//! own part is `permissions`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::api::{CreateDatabaseTokenRequest, DatabaseToken, DatabaseTokenPermission};
use crate::framework::diag::Diagnostic;
use crate::framework::model::{FromValue, SetOf};
use crate::framework::path::Path;
use crate::framework::schema::{Attribute, Schema};
use crate::framework::value::{Type, Value};
use crate::provider::client::{ClientError, ManagementApiClient};
use crate::provider::resources::{PermissionModel, permissions_nested};
use crate::provider::token_kind::DatabaseTokens;

use super::token::{EphemeralToken, EphemeralTokenKind};

/// The ephemeral `influxdb3_database_token`.
pub(crate) type EphemeralDatabaseToken = EphemeralToken<DatabaseTokens>;

fn permissions_value(config: &Value) -> Value {
    config
        .get_attr("permissions")
        .cloned()
        .unwrap_or(Value::Null)
}

#[async_trait]
impl EphemeralTokenKind for DatabaseTokens {
    type CreateRequest = CreateDatabaseTokenRequest;

    const PRIVATE_KEY: &'static str = "database_token_id";

    const REVOKE_HINT: &'static str = "Revoke it now with an influxdb3_revoke_database_token \
         action or `influxctl token delete`.";

    fn schema() -> Schema {
        schema()
    }

    fn create_request(
        config: &Value,
        description: String,
        expires_at: DateTime<Utc>,
    ) -> Result<CreateDatabaseTokenRequest, Diagnostic> {
        let permissions_path = Path::root("permissions");
        let SetOf(permissions) = SetOf::<PermissionModel>::from_value(
            &permissions_value(config),
            Some(&permissions_path),
        )?;
        Ok(CreateDatabaseTokenRequest {
            description,
            permissions: permissions
                .into_iter()
                .map(|p| DatabaseTokenPermission {
                    action: p.action,
                    resource: p.resource,
                })
                .collect(),
            expires_at: Some(expires_at),
        })
    }

    async fn create(
        client: &ManagementApiClient,
        body: &CreateDatabaseTokenRequest,
    ) -> Result<DatabaseToken, ClientError> {
        client
            .create_database_token(body)
            .await
            .map(|created| created.token)
    }

    fn configured_values(config: &Value) -> Vec<(&'static str, Value)> {
        vec![("permissions", permissions_value(config))]
    }
}

/// The ephemeral resource's schema; descriptions are the single source of the docs.
pub(crate) fn schema() -> Schema {
    Schema::new(
        0,
        "A database token that exists only for one Terraform run (Terraform 1.10 and later). \
         Terraform mints it when it needs it (during plan and again during apply) and revokes it \
         when it is done; it also expires on its own after `expires_in`, should Terraform never \
         get to revoke it. Nothing of it is written to the state or to a saved plan.",
        vec![
            Attribute::required("description", Type::String)
                .description("What the token is for, 1 to 255 characters."),
            Attribute::optional_computed("expires_in", Type::String).description(
                "How long the token lives at most, as a duration such as `30m`, `1h` or `1h30m` \
                 (hours, minutes, seconds; 1m to 8784h). Defaults to `1h`. Terraform revokes the \
                 token earlier, when it closes the ephemeral resource.",
            ),
            Attribute::required_nested("permissions", permissions_nested()).description(
                "What the token may do: a set of `{ action, resource }` objects (`read` or \
                 `write` on a database name or `*`).",
            ),
            Attribute::computed("id", Type::String).description("The token's id (a UUID)."),
            Attribute::computed("access_token", Type::String)
                .sensitive()
                .description("The secret token string, for the query and write APIs."),
            Attribute::computed("expires_at", Type::String)
                .description("When the token expires on its own (RFC 3339)."),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::super::token::kind_tests;
    use super::*;

    #[test]
    fn schema_is_valid() {
        kind_tests::schema_is_valid::<DatabaseTokens>();
    }

    #[tokio::test]
    async fn validate_points_at_the_bad_attribute() {
        let config = Value::object([
            ("description", Value::string(" ")),
            ("expires_in", Value::string("1 day")),
            ("permissions", Value::set(Vec::new())),
            ("id", Value::Null),
            ("access_token", Value::Null),
            ("expires_at", Value::Null),
        ]);
        kind_tests::validate_points_at_the_bad_attribute::<DatabaseTokens>(config).await;
    }

    #[tokio::test]
    async fn close_without_private_data_does_nothing() {
        kind_tests::close_without_private_data_does_nothing::<DatabaseTokens>().await;
    }

    #[test]
    fn private_data_names_the_token() {
        kind_tests::private_data_names_the_token::<DatabaseTokens>();
    }
}
