//! `list "influxdb3_database"`: the cluster's databases for `terraform
//! query`, each with its identity, its name as display name and, when
//! asked, its state.

use std::sync::Arc;

use async_trait::async_trait;

use crate::api::Database;
use crate::framework::diag::Diagnostics;
use crate::framework::list_resource::{ListRequest, ListResource, ListResults};
use crate::framework::schema::Schema;
use crate::provider::ProviderData;
use crate::provider::diagnostics::api_error;
use crate::provider::product::ProductScope;
use crate::provider::resources::{database_identity, database_state};

use super::results::{failed, listed};
/// The product family of the list resource, and its self-hosted counterpart.
const PRODUCT: ProductScope = ProductScope::cloud(
    "list resource",
    "influxdb3_database",
    &["influxdb3_self_hosted_database"],
);

/// The `influxdb3_database` list resource.
#[derive(Debug)]
pub(crate) struct DatabaseList {
    data: Arc<ProviderData>,
}

impl DatabaseList {
    pub(crate) fn new(data: Arc<ProviderData>) -> Self {
        Self { data }
    }
}

#[async_trait]
impl ListResource for DatabaseList {
    fn type_name(&self) -> String {
        "influxdb3_database".to_string()
    }

    fn config_schema(&self) -> Schema {
        config_schema()
    }

    async fn list(&self, request: ListRequest) -> ListResults {
        const SUMMARY: &str = "Error Listing Databases";
        let mut diagnostics = Diagnostics::new();
        let client = match self.data.require_client_for(&PRODUCT, SUMMARY) {
            Ok(client) => client,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                return failed(diagnostics);
            }
        };
        let databases = match self.data.database_list(&client).await {
            Ok(databases) => databases,
            Err(error) => {
                diagnostics.push(api_error(SUMMARY, &error));
                return failed(diagnostics);
            }
        };
        let mut databases: Vec<&Database> = databases.values().collect();
        databases.sort_by(|a, b| a.name.cmp(&b.name));
        let state_and_name =
            |database: &Database| (database_state(database), database.name.clone());
        listed(
            &request,
            databases,
            state_and_name,
            database_identity,
            "databases",
        )
    }
}

/// The schema of the `config` block of a `list "influxdb3_database"` block.
pub(crate) fn config_schema() -> Schema {
    Schema::new(
        0,
        "Lists the cluster's databases for `terraform query` (Terraform 1.14 and later): each \
         database's identity (`account_id`, `cluster_id`, `name`), its name as display name, \
         and, with `include_resource = true`, its attributes. `terraform query \
         -generate-config-out=FILE` writes `import` and `resource` blocks that bring the \
         listed databases under management.",
        vec![],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::value::Value;

    #[test]
    fn config_schema_is_valid() {
        config_schema().validate().unwrap();
    }

    #[tokio::test]
    async fn an_unconfigured_provider_lists_one_error() {
        let list = DatabaseList::new(Arc::new(ProviderData::default()));
        super::super::results::assert_lists_one_error(&list, Value::object::<&str>([])).await;
    }
}
