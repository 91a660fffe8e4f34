//! The resource identity of `influxdb3_database_token` (Terraform 1.12+):
//! `{ account_id, cluster_id, id }`. `account_id` and `cluster_id` are those of
//! the provider's configuration on Cloud Dedicated, and null on Clustered. The
//! identity is derived from the state's `id` and the provider's configuration, so
//! a read always returns the identity the create or import returned.

use async_trait::async_trait;
use uuid::Uuid;

use crate::framework::diag::Diagnostics;
use crate::framework::identity::{IdentityAttribute, IdentitySchema, ResourceWithIdentity};
use crate::framework::path::Path;
use crate::framework::value::{Type, Value};

use super::DatabaseTokenResource;
use super::token_lifecycle;
use crate::provider::token_kind::DatabaseTokens;

/// The identity schema (version 0).
pub(crate) fn identity_schema() -> IdentitySchema {
    IdentitySchema {
        version: 0,
        attributes: vec![
            IdentityAttribute::optional_for_import(
                "account_id",
                Type::String,
                "The Cloud Dedicated account of the token; null on Clustered. When given in an \
                 import, it must be the provider's account.",
            ),
            IdentityAttribute::optional_for_import(
                "cluster_id",
                Type::String,
                "The Cloud Dedicated cluster of the token; null on Clustered. When given in an \
                 import, it must be the provider's cluster.",
            ),
            IdentityAttribute::required_for_import(
                "id",
                Type::String,
                "The database token's id (a UUID).",
            ),
        ],
    }
}

fn optional_uuid(id: Option<Uuid>) -> Value {
    id.map_or(Value::Null, |id| Value::string(id.to_string()))
}

/// The identity of database token `id` in `account` and `cluster` (`None` on
/// Clustered).
pub(crate) fn identity_value(id: &str, account: Option<Uuid>, cluster: Option<Uuid>) -> Value {
    Value::object([
        ("account_id", optional_uuid(account)),
        ("cluster_id", optional_uuid(cluster)),
        ("id", Value::string(id)),
    ])
}

#[async_trait]
impl ResourceWithIdentity for DatabaseTokenResource {
    fn identity_schema(&self) -> IdentitySchema {
        identity_schema()
    }

    fn identity(&self, state: &Value) -> Option<Value> {
        let id = state.get_attr("id").and_then(Value::as_str)?;
        // Without a configured client (configuration not known yet) the
        // account is unknown too: no identity rather than a different one.
        let client = self.data.client().ok().flatten()?;
        Some(identity_value(id, client.account_id(), client.cluster_id()))
    }

    async fn import_id(&self, identity: &Value) -> Result<String, Diagnostics> {
        let id = token_lifecycle::identity_token_id::<DatabaseTokens>(identity)?;
        let mut diagnostics = Diagnostics::new();
        if let Ok(Some(client)) = self.data.client() {
            let configured = [
                ("account_id", client.account_id()),
                ("cluster_id", client.cluster_id()),
            ];
            for (name, configured) in configured {
                let Some(given) = identity.get_attr(name).and_then(Value::as_str) else {
                    continue;
                };
                let configured = configured.map(|id| id.to_string());
                if configured.as_deref() != Some(given) {
                    diagnostics.attribute_error(
                        Path::root(name),
                        "Import Identity Of Another Cluster",
                        format!(
                            "The identity's {name} is {given:?}, but the provider is configured \
                             for {}. Import with the provider of that cluster, or leave {name} out.",
                            configured.map_or("none (Clustered)".to_string(), |id| format!("{id:?}"))
                        ),
                    );
                }
            }
            if diagnostics.has_error() {
                return Err(diagnostics);
            }
        }
        Ok(id)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::provider::ProviderData;

    #[test]
    fn identity_type_has_account_cluster_and_id() {
        let ty = identity_schema().value_type();
        let value = identity_value("0d4b6c5e-0000-4000-8000-000000000000", None, None);
        value.conforms_to(&ty).unwrap();
        assert!(value.get_attr("cluster_id").unwrap().is_null());
    }

    #[tokio::test]
    async fn import_identity_needs_a_uuid() {
        let resource = DatabaseTokenResource::new(Arc::new(ProviderData::default()));
        let bad = identity_value("not-a-uuid", None, None);
        let diagnostics = resource.import_id(&bad).await.unwrap_err();
        assert_eq!(
            diagnostics.iter().next().unwrap().path,
            Some(Path::root("id"))
        );
        let id = Uuid::new_v4().to_string();
        let good = identity_value(&format!(" {id} "), None, None);
        assert_eq!(resource.import_id(&good).await.unwrap(), id);
    }
}
