//! `data "influxdb3_database_token"`: one database token by id, revoked or not;
//! what a database token is to the data sources (`influxdb3_database_token`
//! and `influxdb3_database_tokens`, generic in `token.rs`).

use async_trait::async_trait;
use uuid::Uuid;

use crate::api::DatabaseToken;
use crate::framework::model::{Model, ToValue};
use crate::framework::schema::{Attribute, NestedObject};
use crate::framework::value::{Type, Value};
use crate::provider::ProviderData;
use crate::provider::client::{ClientError, ManagementApiClient};
use crate::provider::resources::{PermissionModel, format_time, from_api_permissions};
use crate::provider::token_kind::DatabaseTokens;

use super::token::{TokenDataSource, TokenDataSourceKind};

/// The attributes that describe a database token (without `id`), shared with
/// `influxdb3_database_tokens`. No secret: the API only shows it at creation.
fn token_attributes() -> Vec<Attribute> {
    vec![
        Attribute::computed("description", Type::String).description("What the token is for."),
        Attribute::computed_nested(
            "permissions",
            NestedObject::set(
                PermissionModel::attributes()
                    .into_iter()
                    .map(|a| Attribute::computed(a.name, a.ty).description(a.description))
                    .collect(),
            ),
        )
        .description("What the token may do: `action` (`read` or `write`) on `resource` (a database name or `*`)."),
        Attribute::computed("created_at", Type::String)
            .description("When the token was created (RFC 3339)."),
        Attribute::computed("expires_at", Type::String)
            .description("When the token expires (RFC 3339); null if it never does."),
        Attribute::computed("revoked_at", Type::String)
            .description("When the token was revoked (RFC 3339); null while it is active."),
        Attribute::computed("account_id", Type::String)
            .description("The Cloud Dedicated account; null on Clustered."),
        Attribute::computed("cluster_id", Type::String)
            .description("The Cloud Dedicated cluster; null on Clustered."),
    ]
}

/// A token's attributes as values (without `id`).
fn token_values(token: &DatabaseToken) -> Vec<(&'static str, Value)> {
    let time = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map_or(Value::Null, |t| Value::string(format_time(t)))
    };
    let uuid = |id: Option<Uuid>| id.map_or(Value::Null, |id| Value::string(id.to_string()));
    vec![
        ("description", Value::string(token.description.clone())),
        (
            "permissions",
            from_api_permissions(&token.permissions).to_value(),
        ),
        ("created_at", Value::string(format_time(token.created_at))),
        ("expires_at", time(token.expires_at)),
        ("revoked_at", time(token.revoked_at)),
        ("account_id", uuid(token.account_id)),
        ("cluster_id", uuid(token.cluster_id)),
    ]
}

/// The `influxdb3_database_token` data source.
pub(crate) type DatabaseTokenDataSource = TokenDataSource<DatabaseTokens>;

#[async_trait]
impl TokenDataSourceKind for DatabaseTokens {
    const ALL_TYPE_NAME: &'static str = "influxdb3_database_tokens";
    const ONE_DESCRIPTION: &'static str = "Looks up one database token by id, including revoked \
         and expired ones (with `revoked_at`). The secret is never available here.";
    const ALL_DESCRIPTION: &'static str = "Lists the database tokens of the cluster, oldest first. Secrets are never available \
         here.";
    const TOKENS_DESCRIPTION: &'static str = "The tokens, each with `id`, `description`, \
         `permissions` (a set of `{ action, resource }`), `created_at`, `expires_at`, \
         `revoked_at`, `account_id` and `cluster_id`.";

    fn token_attributes() -> Vec<Attribute> {
        token_attributes()
    }

    fn token_values(token: &DatabaseToken) -> Vec<(&'static str, Value)> {
        token_values(token)
    }

    /// The cached list every refresh reads.
    async fn find(
        data: &ProviderData,
        client: &ManagementApiClient,
        id: Uuid,
    ) -> Result<Option<DatabaseToken>, ClientError> {
        data.listed_database_token(client, id).await
    }

    /// The cached list every refresh reads.
    async fn all(
        data: &ProviderData,
        client: &ManagementApiClient,
    ) -> Result<Vec<DatabaseToken>, ClientError> {
        let tokens = data.database_token_list(client).await?;
        Ok(tokens.values().cloned().collect())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::framework::data_source::DataSource as _;
    use crate::framework::path::Path;

    #[tokio::test]
    async fn a_bad_id_is_an_error_on_id_and_the_schema_has_no_secret() {
        let source = DatabaseTokenDataSource::new(Arc::new(ProviderData::default()));
        let schema = source.schema();
        schema.validate().unwrap();
        assert!(schema.attribute("access_token").is_none());
        let diagnostics = source
            .validate_config(&Value::object([("id", Value::string("nope"))]))
            .await;
        assert_eq!(
            diagnostics.iter().next().and_then(|d| d.path.clone()),
            Some(Path::root("id"))
        );
    }

    #[test]
    fn values_match_the_schema() {
        let token = DatabaseToken {
            account_id: None,
            cluster_id: None,
            id: Uuid::new_v4(),
            description: "d".into(),
            permissions: vec![],
            created_at: chrono::Utc::now(),
            expires_at: None,
            revoked_at: Some(chrono::Utc::now()),
            access_token: None,
        };
        let source = DatabaseTokenDataSource::new(Arc::new(ProviderData::default()));
        let mut values = vec![("id", Value::string(token.id.to_string()))];
        values.extend(token_values(&token));
        let value = Value::object(values);
        value
            .conforms_to(&source.schema().block.value_type())
            .unwrap();
    }
}
