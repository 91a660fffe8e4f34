//! `data "influxdb3_management_token"`: one token by id, revoked or not; what
//! a management token is to the data sources (`influxdb3_management_token`
//! and `influxdb3_management_tokens`, generic in `token.rs`).

use async_trait::async_trait;
use uuid::Uuid;

use crate::api::ManagementToken;
use crate::framework::schema::Attribute;
use crate::framework::value::{Type, Value};
use crate::provider::ProviderData;
use crate::provider::client::{ClientError, ManagementApiClient};
use crate::provider::resources::format_time;
use crate::provider::token_kind::ManagementTokens;

use super::token::{TokenDataSource, TokenDataSourceKind};

/// The attributes that describe a token, shared with `influxdb3_management_tokens`.
fn token_attributes() -> Vec<Attribute> {
    vec![
        Attribute::computed("description", Type::String).description("What the token is for."),
        Attribute::computed("token_prefix", Type::String)
            .description("The first characters of the secret, safe to show."),
        Attribute::computed("created_at", Type::String)
            .description("When the token was created (RFC 3339)."),
        Attribute::computed("created_by", Type::String)
            .description("The id of the identity that created it."),
        Attribute::computed("expires_at", Type::String)
            .description("When the token expires (RFC 3339); null if it never does."),
        Attribute::computed("revoked_at", Type::String)
            .description("When the token was revoked (RFC 3339); null while it is active."),
    ]
}

/// A token's attributes as values (without `id`).
fn token_values(token: &ManagementToken) -> Vec<(&'static str, Value)> {
    let time = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map_or(Value::Null, |t| Value::string(format_time(t)))
    };
    vec![
        ("description", Value::string(token.description.clone())),
        ("token_prefix", Value::string(token.token_prefix.clone())),
        ("created_at", Value::string(format_time(token.created_at))),
        ("created_by", Value::string(token.created_by.to_string())),
        ("expires_at", time(token.expires_at)),
        ("revoked_at", time(token.revoked_at)),
    ]
}

/// The `influxdb3_management_token` data source.
pub(crate) type ManagementTokenDataSource = TokenDataSource<ManagementTokens>;

#[async_trait]
impl TokenDataSourceKind for ManagementTokens {
    const ALL_TYPE_NAME: &'static str = "influxdb3_management_tokens";
    const ONE_DESCRIPTION: &'static str = "Looks up one management token by id, including \
         revoked and expired ones. The secret is never available here.";
    const ALL_DESCRIPTION: &'static str = "Lists the management tokens of the account (Cloud \
         Dedicated) or cluster (Clustered), oldest first. Secrets are never available here.";
    const TOKENS_DESCRIPTION: &'static str = "The tokens, each with `id`, `description`, \
         `token_prefix`, `created_at`, `created_by`, `expires_at` and `revoked_at`.";

    fn token_attributes() -> Vec<Attribute> {
        token_attributes()
    }

    fn token_values(token: &ManagementToken) -> Vec<(&'static str, Value)> {
        token_values(token)
    }

    /// One request for the token.
    async fn find(
        _data: &ProviderData,
        client: &ManagementApiClient,
        id: Uuid,
    ) -> Result<Option<ManagementToken>, ClientError> {
        client.get_management_token(id).await
    }

    /// One list request, not the cached list.
    async fn all(
        _data: &ProviderData,
        client: &ManagementApiClient,
    ) -> Result<Vec<ManagementToken>, ClientError> {
        client.list_management_tokens().await
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::framework::data_source::DataSource as _;

    #[test]
    fn values_match_the_schema() {
        let token = ManagementToken {
            account_id: None,
            id: Uuid::new_v4(),
            description: "d".into(),
            token_prefix: "M.V1.abcd".into(),
            created_at: chrono::Utc::now(),
            created_by: Uuid::new_v4(),
            expires_at: None,
            revoked_at: Some(chrono::Utc::now()),
            access_token: None,
        };
        let source = ManagementTokenDataSource::new(Arc::new(ProviderData::default()));
        let schema = source.schema();
        schema.validate().unwrap();
        assert!(schema.attribute("access_token").is_none());
        let mut values = vec![("id", Value::string(token.id.to_string()))];
        values.extend(token_values(&token));
        Value::object(values)
            .conforms_to(&schema.block.value_type())
            .unwrap();
    }
}
