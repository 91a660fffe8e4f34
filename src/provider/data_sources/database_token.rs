//! `data "influxdb3_database_token"`: one database token by id, revoked or not.

use std::sync::Arc;

use async_trait::async_trait;
use uuid::Uuid;

use crate::api::DatabaseToken;
use crate::framework::data_source::{DataSource, DataSourceReadResponse};
use crate::framework::diag::Diagnostics;
use crate::framework::model::{Model, ToValue};
use crate::framework::path::Path;
use crate::framework::schema::{Attribute, NestedObject, Schema};
use crate::framework::value::{Type, Value};
use crate::provider::ProviderData;
use crate::provider::diagnostics::api_error;
use crate::provider::resources::{PermissionModel, format_time, from_api_permissions};

/// The attributes that describe a database token (without `id`), shared with
/// `influxdb3_database_tokens`. No secret: the API only shows it at creation.
pub(super) fn token_attributes() -> Vec<Attribute> {
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

/// A token's attributes as values, `id` first.
pub(super) fn token_values(token: &DatabaseToken) -> Vec<(&'static str, Value)> {
    let time = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map_or(Value::Null, |t| Value::string(format_time(t)))
    };
    let uuid = |id: Option<Uuid>| id.map_or(Value::Null, |id| Value::string(id.to_string()));
    vec![
        ("id", Value::string(token.id.to_string())),
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
#[derive(Debug)]
pub(crate) struct DatabaseTokenDataSource {
    data: Arc<ProviderData>,
}

impl DatabaseTokenDataSource {
    pub(crate) fn new(data: Arc<ProviderData>) -> Self {
        Self { data }
    }
}

#[async_trait]
impl DataSource for DatabaseTokenDataSource {
    fn type_name(&self) -> String {
        "influxdb3_database_token".to_string()
    }

    fn schema(&self) -> Schema {
        let mut attributes =
            vec![Attribute::required("id", Type::String).description("The token's id (a UUID).")];
        attributes.extend(token_attributes());
        Schema::new(
            0,
            "Looks up one database token by id, including revoked and expired ones (with \
             `revoked_at`). The secret is never available here.",
            attributes,
        )
    }

    async fn validate_config(&self, config: &Value) -> Diagnostics {
        let mut diagnostics = Diagnostics::new();
        if let Some(id) = config.get_attr("id").and_then(Value::as_str)
            && Uuid::parse_str(id).is_err()
        {
            diagnostics.attribute_error(
                Path::root("id"),
                "Invalid Database Token ID",
                format!("{id:?} is not a UUID."),
            );
        }
        diagnostics
    }

    async fn read(&self, config: Value) -> DataSourceReadResponse {
        const SUMMARY: &str = "Error Reading Database Token";
        let mut diagnostics = Diagnostics::new();
        let fail = |diagnostics| DataSourceReadResponse {
            state: None,
            diagnostics,
        };
        let client = match self.data.require_client(SUMMARY) {
            Ok(client) => client,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                return fail(diagnostics);
            }
        };
        let id_text = config
            .get_attr("id")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let Ok(id) = Uuid::parse_str(id_text) else {
            diagnostics.attribute_error(
                Path::root("id"),
                "Invalid Database Token ID",
                format!("{id_text:?} is not a UUID."),
            );
            return fail(diagnostics);
        };
        match self.data.listed_database_token(&client, id).await {
            Ok(Some(token)) => {
                let mut values = token_values(&token);
                // Keep the id as written (the same UUID in another case).
                values[0].1 = Value::string(id_text);
                DataSourceReadResponse {
                    state: Some(Value::object(values)),
                    diagnostics,
                }
            }
            Ok(None) => {
                diagnostics.attribute_error(
                    Path::root("id"),
                    "Database Token Not Found",
                    format!("No database token with id {id} exists in this cluster."),
                );
                fail(diagnostics)
            }
            Err(error) => {
                diagnostics.push(api_error(SUMMARY, &error));
                fail(diagnostics)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let value = Value::object(token_values(&token));
        value
            .conforms_to(&source.schema().block.value_type())
            .unwrap();
    }
}
