//! Ephemeral `influxdb3_management_token`: a management token that lives for
//! one Terraform run. Open mints it (with an expiry, so it dies on its own if
//! Terraform never closes it), close revokes it; its id travels from open to
//! close in the ephemeral resource's private data, and nothing of it is
//! written to state or to a saved plan. What it shares with the ephemeral
//! database token is in `token.rs`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::api::{CreateManagementTokenRequest, ManagementToken};
use crate::framework::diag::Diagnostic;
use crate::framework::schema::{Attribute, Schema};
use crate::framework::value::{Type, Value};
use crate::provider::client::{ClientError, ManagementApiClient};
use crate::provider::token_kind::ManagementTokens;

use super::token::{EphemeralToken, EphemeralTokenKind};

/// The ephemeral `influxdb3_management_token`.
pub(crate) type EphemeralManagementToken = EphemeralToken<ManagementTokens>;

#[async_trait]
impl EphemeralTokenKind for ManagementTokens {
    type CreateRequest = CreateManagementTokenRequest;

    const PRIVATE_KEY: &'static str = "management_token_id";

    const REVOKE_HINT: &'static str = "Revoke it now with `terraform apply -invoke` of an \
         influxdb3_revoke_management_token action or `influxctl management revoke`.";

    fn schema() -> Schema {
        schema()
    }

    fn create_request(
        _config: &Value,
        description: String,
        expires_at: DateTime<Utc>,
    ) -> Result<CreateManagementTokenRequest, Diagnostic> {
        Ok(CreateManagementTokenRequest {
            description,
            expires_at: Some(expires_at),
        })
    }

    async fn create(
        client: &ManagementApiClient,
        body: &CreateManagementTokenRequest,
    ) -> Result<ManagementToken, ClientError> {
        client.create_management_token(body).await
    }

    fn configured_values(_config: &Value) -> Vec<(&'static str, Value)> {
        Vec::new()
    }
}

/// The ephemeral resource's schema; descriptions are the single source of the docs.
pub(crate) fn schema() -> Schema {
    Schema::new(
        0,
        "A management token that exists only for one Terraform run (Terraform 1.10 and later). \
         Terraform mints it when it needs it (during plan and again during apply) and revokes it \
         when it is done; it also expires on its own after `expires_in`, should Terraform never \
         get to revoke it. Nothing of it is written to the state or to a saved plan. Use its \
         `access_token` to configure another (aliased) `influxdb3` provider for the run's work.",
        vec![
            Attribute::required("description", Type::String)
                .description("What the token is for, 1 to 255 characters."),
            Attribute::optional_computed("expires_in", Type::String).description(
                "How long the token lives at most, as a duration such as `30m`, `1h` or `1h30m` \
                 (hours, minutes, seconds; 1m to 8784h). Defaults to `1h`. Terraform revokes the \
                 token earlier, when it closes the ephemeral resource.",
            ),
            Attribute::computed("id", Type::String).description("The token's id (a UUID)."),
            Attribute::computed("access_token", Type::String)
                .sensitive()
                .description("The secret token string, for the `token` of a provider block."),
            Attribute::computed("expires_at", Type::String)
                .description("When the token expires on its own (RFC 3339)."),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::super::token::kind_tests;
    use super::*;

    fn config(description: &str, expires_in: Option<&str>) -> Value {
        Value::object([
            ("description", Value::string(description)),
            ("expires_in", expires_in.map_or(Value::Null, Value::string)),
            ("id", Value::Null),
            ("access_token", Value::Null),
            ("expires_at", Value::Null),
        ])
    }

    #[test]
    fn schema_is_valid() {
        kind_tests::schema_is_valid::<ManagementTokens>();
    }

    #[tokio::test]
    async fn validate_points_at_the_bad_attribute() {
        kind_tests::validate_points_at_the_bad_attribute::<ManagementTokens>(config(
            " ",
            Some("1 day"),
        ))
        .await;
        let ephemeral = EphemeralManagementToken::new(Default::default());
        use crate::framework::ephemeral_resource::EphemeralResource as _;
        assert!(
            ephemeral
                .validate_config(&config("ci", None))
                .await
                .is_empty()
        );
    }

    #[tokio::test]
    async fn close_without_private_data_does_nothing() {
        kind_tests::close_without_private_data_does_nothing::<ManagementTokens>().await;
    }

    #[test]
    fn private_data_names_the_token() {
        kind_tests::private_data_names_the_token::<ManagementTokens>();
    }
}
