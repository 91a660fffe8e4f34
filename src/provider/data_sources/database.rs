//! `data "influxdb3_database"`: one database of the cluster, by name, and
//! `data "influxdb3_databases"`: all of them. Both read the cluster's
//! database list shared by every read of the command.

use std::sync::Arc;

use async_trait::async_trait;

use crate::framework::data_source::{DataSource, DataSourceReadResponse};
use crate::framework::diag::Diagnostics;
use crate::framework::path::Path;
use crate::framework::schema::{Attribute, Schema};
use crate::framework::value::{Type, Value};
use crate::provider::ProviderData;
use crate::provider::diagnostics::api_error;
use crate::provider::product::ProductScope;
use crate::provider::resources::{database_state, partition_template_type};

/// The attributes of a database in both data sources, `name` first.
fn database_attributes(name: Attribute) -> Vec<Attribute> {
    vec![
        name,
        Attribute::computed("id", Type::String)
            .description("The database's name, which is how the API identifies a database."),
        Attribute::computed("max_tables", Type::Number)
            .description("The most tables the database may hold."),
        Attribute::computed("max_columns_per_table", Type::Number)
            .description("The most columns a table of the database may have."),
        Attribute::computed("retention_period", Type::String).description(
            "How long data is kept, as a duration in its largest whole unit (`\"30d\"`, \
             `\"90m\"`); `\"0s\"` is forever.",
        ),
        Attribute::computed("partition_template", partition_template_type()).description(
            "The partition template, a list of `{ type, value, number_of_buckets }`; null for \
             the default (by day).",
        ),
        Attribute::computed("account_id", Type::String)
            .description("The Cloud Dedicated account; null on Clustered."),
        Attribute::computed("cluster_id", Type::String)
            .description("The Cloud Dedicated cluster; null on Clustered."),
    ]
}

fn object_type() -> Type {
    Type::object(
        database_attributes(Attribute::computed("name", Type::String))
            .into_iter()
            .map(|attribute| (attribute.name, attribute.ty)),
    )
}

/// The product families of the two data sources; Core and Enterprise list
/// their databases with `influxdb3_self_hosted_databases`.
const DATABASE: ProductScope = ProductScope::cloud(
    "data source",
    "influxdb3_database",
    &["influxdb3_self_hosted_databases"],
);
const DATABASES: ProductScope = ProductScope::cloud(
    "data source",
    "influxdb3_databases",
    &["influxdb3_self_hosted_databases"],
);

fn failed(diagnostics: Diagnostics) -> DataSourceReadResponse {
    DataSourceReadResponse {
        state: None,
        diagnostics,
    }
}

/// The `influxdb3_database` data source.
#[derive(Debug)]
pub(crate) struct DatabaseDataSource {
    data: Arc<ProviderData>,
}

impl DatabaseDataSource {
    pub(crate) fn new(data: Arc<ProviderData>) -> Self {
        Self { data }
    }
}

#[async_trait]
impl DataSource for DatabaseDataSource {
    fn type_name(&self) -> String {
        "influxdb3_database".to_string()
    }

    fn schema(&self) -> Schema {
        Schema::new(
            0,
            "One database of the cluster, by name: its limits, retention period and partition \
             template. Fails when the cluster has no such database.",
            database_attributes(
                Attribute::required("name", Type::String).description("The database name."),
            ),
        )
    }

    async fn read(&self, config: Value) -> DataSourceReadResponse {
        const SUMMARY: &str = "Error Reading Database";
        let mut diagnostics = Diagnostics::new();
        let client = match self.data.require_client_for(&DATABASE, SUMMARY) {
            Ok(client) => client,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                return failed(diagnostics);
            }
        };
        let name = config
            .get_attr("name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        match self.data.listed_database(&client, name).await {
            Ok(Some(database)) => DataSourceReadResponse {
                state: Some(database_state(&database)),
                diagnostics,
            },
            Ok(None) => {
                diagnostics.attribute_error(
                    Path::root("name"),
                    "Database Not Found",
                    format!("The cluster has no database named {name:?}."),
                );
                failed(diagnostics)
            }
            Err(error) => {
                diagnostics.push(api_error(SUMMARY, &error));
                failed(diagnostics)
            }
        }
    }
}

/// The `influxdb3_databases` data source.
#[derive(Debug)]
pub(crate) struct DatabasesDataSource {
    data: Arc<ProviderData>,
}

impl DatabasesDataSource {
    pub(crate) fn new(data: Arc<ProviderData>) -> Self {
        Self { data }
    }
}

#[async_trait]
impl DataSource for DatabasesDataSource {
    fn type_name(&self) -> String {
        "influxdb3_databases".to_string()
    }

    fn schema(&self) -> Schema {
        Schema::new(
            0,
            "Lists the databases of the cluster (deleted ones are not listed), by name.",
            vec![
                Attribute::computed("databases", Type::list(object_type())).description(
                    "The databases, sorted by name, each with `name`, `id`, `max_tables`, \
                     `max_columns_per_table`, `retention_period`, `partition_template`, \
                     `account_id` and `cluster_id`.",
                ),
            ],
        )
    }

    async fn read(&self, _config: Value) -> DataSourceReadResponse {
        const SUMMARY: &str = "Error Listing Databases";
        let mut diagnostics = Diagnostics::new();
        let client = match self.data.require_client_for(&DATABASES, SUMMARY) {
            Ok(client) => client,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                return failed(diagnostics);
            }
        };
        match self.data.database_list(&client).await {
            Ok(databases) => {
                let mut listed: Vec<_> = databases.values().collect();
                listed.sort_by(|a, b| a.name.cmp(&b.name));
                let state = Value::object([(
                    "databases",
                    Value::list(listed.into_iter().map(database_state)),
                )]);
                DataSourceReadResponse {
                    state: Some(state),
                    diagnostics,
                }
            }
            Err(error) => {
                diagnostics.push(api_error(SUMMARY, &error));
                failed(diagnostics)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_are_valid_and_states_fit_them() {
        let data = Arc::new(ProviderData::default());
        DatabaseDataSource::new(data.clone())
            .schema()
            .validate()
            .unwrap();
        DatabasesDataSource::new(data).schema().validate().unwrap();
        let database = crate::api::Database {
            account_id: None,
            cluster_id: None,
            id: None,
            name: "db".into(),
            max_tables: 1,
            max_columns_per_table: 2,
            retention_period: 0,
            partition_template: None,
        };
        database_state(&database)
            .conforms_to(&object_type())
            .unwrap();
    }

    #[tokio::test]
    async fn an_unconfigured_provider_is_an_error() {
        let data = Arc::new(ProviderData::default());
        let read = DatabasesDataSource::new(data)
            .read(Value::object([("databases", Value::Null)]))
            .await;
        assert!(read.diagnostics.has_error());
    }
}
