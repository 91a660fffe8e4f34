//! The resource identity of `influxdb3_database` (Terraform 1.12+):
//! `{ account_id, cluster_id, name }`, the first two null on Clustered. It is
//! derived from the state, so it is the same for the same database in every
//! response.

use async_trait::async_trait;

use crate::framework::diag::Diagnostics;
use crate::framework::identity::{IdentityAttribute, IdentitySchema, ResourceWithIdentity};
use crate::framework::path::Path;
use crate::framework::value::{Type, Value};

use super::database::{DatabaseResource, is_valid_name};

/// The identity schema (version 0).
pub(crate) fn identity_schema() -> IdentitySchema {
    IdentitySchema {
        version: 0,
        attributes: vec![
            IdentityAttribute::optional_for_import(
                "account_id",
                Type::String,
                "The Cloud Dedicated account of the database; null on Clustered. When given \
                 in an import, it must be the provider's account.",
            ),
            IdentityAttribute::optional_for_import(
                "cluster_id",
                Type::String,
                "The Cloud Dedicated cluster of the database; null on Clustered. When given \
                 in an import, it must be the provider's cluster.",
            ),
            IdentityAttribute::required_for_import("name", Type::String, "The database name."),
        ],
    }
}

/// The identity of a database state (or listed database).
pub(crate) fn database_identity(state: &Value) -> Option<Value> {
    let attr = |name: &str| state.get_attr(name).cloned().unwrap_or(Value::Null);
    let (name, account, cluster) = (attr("name"), attr("account_id"), attr("cluster_id"));
    if name.as_str().is_none() || !account.is_known() || !cluster.is_known() {
        return None;
    }
    Some(Value::object([
        ("account_id", account),
        ("cluster_id", cluster),
        ("name", name),
    ]))
}

#[async_trait]
impl ResourceWithIdentity for DatabaseResource {
    fn identity_schema(&self) -> IdentitySchema {
        identity_schema()
    }

    fn identity(&self, state: &Value) -> Option<Value> {
        database_identity(state)
    }

    async fn import_id(&self, identity: &Value) -> Result<String, Diagnostics> {
        let mut diagnostics = Diagnostics::new();
        let name = identity
            .get_attr("name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim();
        if !is_valid_name(name) {
            diagnostics.attribute_error(
                Path::root("name"),
                "Invalid Import Identity",
                format!("{name:?} is not a database name."),
            );
            return Err(diagnostics);
        }
        // A given account or cluster must be the provider's: compare with the
        // database the provider's API lists under that name.
        let given = |key: &str| identity.get_attr(key).and_then(Value::as_str);
        if (given("account_id").is_some() || given("cluster_id").is_some())
            && let Ok(Some(client)) = self.data.client()
            && let Ok(Some(database)) = self.data.listed_database(&client, name).await
        {
            for (key, actual) in [
                ("account_id", database.account_id),
                ("cluster_id", database.cluster_id),
            ] {
                let actual = actual.map(|id| id.to_string());
                if let Some(wanted) = given(key)
                    && actual.as_deref() != Some(wanted)
                {
                    diagnostics.attribute_error(
                        Path::root(key),
                        "Import Identity Of Another Cluster",
                        format!(
                            "The identity names {key} {wanted:?}, but the provider's database \
                             {name:?} has {}. Import with the provider of that cluster, or \
                             leave {key} out.",
                            actual.map_or("none (Clustered)".to_string(), |a| format!("{a:?}"))
                        ),
                    );
                }
            }
            if diagnostics.has_error() {
                return Err(diagnostics);
            }
        }
        Ok(name.to_string())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::provider::ProviderData;

    #[test]
    fn identity_comes_from_the_state() {
        let state = Value::object([
            ("name", Value::string("metrics")),
            ("account_id", Value::Null),
            ("cluster_id", Value::Null),
            ("max_tables", Value::number(5)),
        ]);
        let identity = database_identity(&state).unwrap();
        identity
            .conforms_to(&identity_schema().value_type())
            .unwrap();
        assert_eq!(identity.get_attr("name"), Some(&Value::string("metrics")));
        let planned = Value::object([
            ("name", Value::string("metrics")),
            ("account_id", Value::Unknown),
            ("cluster_id", Value::Unknown),
        ]);
        assert_eq!(database_identity(&planned), None);
    }

    #[tokio::test]
    async fn import_identity_needs_a_database_name() {
        let resource = DatabaseResource::new(Arc::new(ProviderData::default()));
        let bad = Value::object([
            ("name", Value::string("no spaces")),
            ("account_id", Value::Null),
            ("cluster_id", Value::Null),
        ]);
        let problems = resource.import_id(&bad).await.unwrap_err();
        assert_eq!(
            problems.iter().next().unwrap().path,
            Some(Path::root("name"))
        );
        let good = Value::object([
            ("name", Value::string(" metrics ")),
            ("account_id", Value::Null),
            ("cluster_id", Value::Null),
        ]);
        assert_eq!(resource.import_id(&good).await.unwrap(), "metrics");
    }
}
