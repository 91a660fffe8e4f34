//! `list "influxdb3_self_hosted_database"`: the databases of a self-hosted
//! InfluxDB 3 server for `terraform query`, each with its identity (`{ name
//! }`), its name as display name and, when asked, its state. Reads the same
//! per-process database list (`GET /api/v3/configure/database`) as every
//! refresh; the server's own `_internal` database is never listed.

use std::sync::Arc;

use async_trait::async_trait;

use crate::api::v3::INTERNAL_DATABASE;
use crate::framework::diag::Diagnostics;
use crate::framework::list_resource::{ListRequest, ListResource, ListResults};
use crate::framework::schema::Schema;
use crate::provider::ProviderData;
use crate::provider::diagnostics::self_hosted_api_error;
use crate::provider::product::ProductScope;
use crate::provider::resources::{self_hosted_database_state, self_hosted_identity};

use super::results::{failed, listed};

/// The product family of the list resource, and its Cloud counterpart.
const PRODUCT: ProductScope = ProductScope::self_hosted(
    "list resource",
    "influxdb3_self_hosted_database",
    &["influxdb3_database"],
);

/// The `influxdb3_self_hosted_database` list resource.
#[derive(Debug)]
pub(crate) struct SelfHostedDatabaseList {
    data: Arc<ProviderData>,
}

impl SelfHostedDatabaseList {
    pub(crate) fn new(data: Arc<ProviderData>) -> Self {
        Self { data }
    }
}

#[async_trait]
impl ListResource for SelfHostedDatabaseList {
    fn type_name(&self) -> String {
        "influxdb3_self_hosted_database".to_string()
    }

    fn config_schema(&self) -> Schema {
        config_schema()
    }

    async fn list(&self, request: ListRequest) -> ListResults {
        const SUMMARY: &str = "Error Listing Databases";
        let mut diagnostics = Diagnostics::new();
        let client = match self.data.require_v3_client_for(&PRODUCT, SUMMARY) {
            Ok(client) => client,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                return failed(diagnostics);
            }
        };
        let names = match self.data.listed_self_hosted_databases(&client).await {
            Ok(names) => names,
            Err(error) => {
                diagnostics.push(self_hosted_api_error(SUMMARY, &error));
                return failed(diagnostics);
            }
        };
        let mut names: Vec<&String> = names
            .iter()
            .filter(|name| name.as_str() != INTERNAL_DATABASE)
            .collect();
        names.sort();
        // The list shows no retention period: null, as after an import.
        let state_and_name = |name: &String| (self_hosted_database_state(name, None), name.clone());
        let what = "self-hosted databases";
        listed(&request, names, state_and_name, self_hosted_identity, what)
    }
}

/// The schema of the `config` block of a `list "influxdb3_self_hosted_database"` block.
pub(crate) fn config_schema() -> Schema {
    Schema::new(
        0,
        "Lists the databases of a self-hosted InfluxDB 3 Core or Enterprise server for \
         `terraform query` (Terraform 1.14 and later), leaving out the server's own `_internal` \
         database: each database's identity (`name`), its name as display name, and, with \
         `include_resource = true`, its attributes (`retention_period` is null: the server's \
         list does not show it). `terraform query -generate-config-out=FILE` writes `import` \
         and `resource` blocks that bring the listed databases under management.",
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
        let list = SelfHostedDatabaseList::new(Arc::new(ProviderData::default()));
        super::super::results::assert_lists_one_error(&list, Value::object::<&str>([])).await;
    }
}
