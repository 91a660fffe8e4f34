//! `influxdb3_table`: a table of a database.
//!
//! The Management API can create, delete, rename and undelete tables, but
//! has no way to list or read them. So:
//! - create makes the table and records what was asked;
//! - read cannot see a table deleted, renamed or given another template
//!   outside Terraform; it only sees the table's database: when the database
//!   is gone (deleted), the table is gone with it;
//! - every argument forces a replacement (there is no update);
//! - import (`DATABASE:TABLE`) checks that the database exists, not that the
//!   table does, and cannot learn the table's partition template.
//!
//! Destroy deletes the table; one the API no longer knows counts as deleted.

use std::sync::Arc;

use async_trait::async_trait;

use crate::api::{CreateTableRequest, Table};
use crate::framework::diag::Diagnostics;
use crate::framework::model::{Model, ToValue};
use crate::framework::resource::{
    CreateRequest, CreateResponse, DeleteRequest, DeleteResponse, ImportResponse, PlanContext,
    ReadRequest, ReadResponse, Resource, ResourceWithImport, ResourceWithMoveState,
};
use crate::framework::schema::{Attribute, Schema, Validator};
use crate::framework::value::{Type, Value};
use crate::provider::ProviderData;
use crate::provider::client::ManagementApiClient;
use crate::provider::diagnostics::api_error;
use crate::provider::product::ProductScope;

use super::cluster_resource::{
    check_plan, delete, import_by_database, read_by_database, require_client,
};
use super::database::is_valid_name;
use super::moved_from_go_provider::bucket_from_json;
use super::partition_template::{self, PartitionPartModel};

/// The product family of `influxdb3_table`, and its self-hosted counterpart.
const PRODUCT: ProductScope = ProductScope::cloud(
    "resource",
    "influxdb3_table",
    &["influxdb3_self_hosted_table"],
);

/// The `influxdb3_table` resource.
#[derive(Debug)]
pub(crate) struct TableResource {
    data: Arc<ProviderData>,
}

impl TableResource {
    pub(crate) fn new(data: Arc<ProviderData>) -> Self {
        Self { data }
    }
}

crate::model! {
    /// The state of one table, schema version 0.
    pub(crate) struct TableModel {
        pub(crate) database_name: String => |name| Attribute::required(name, Type::String)
            .requires_replace()
            .validator(Validator::string_matches(
                "a database name: 1 to 64 characters of letters, digits, `_`, `-` and `/`, starting with a letter or a digit",
                is_valid_name,
            ))
            .description("The database the table belongs to. Changing it replaces the table."),
        pub(crate) name: String => |name| Attribute::required(name, Type::String)
            .requires_replace()
            .validator(Validator::string_matches(
                "a table name: not empty, no control characters, not starting with `_` (reserved for system tables)",
                is_valid_table_name,
            ))
            .description("The table (measurement) name: not empty, without control characters, not starting with `_`. Changing it replaces the table (a new, empty one)."),
        pub(crate) partition_template: Option<Vec<PartitionPartModel>> => |_| partition_template::attribute("table"),
        pub(crate) id: Option<String> => |name| Attribute::computed(name, Type::String)
            .use_state_for_unknown()
            .description("`DATABASE:TABLE`, the database name and the table name; also the import id."),
        pub(crate) account_id: Option<String> => |name| Attribute::computed(name, Type::String)
            .use_state_for_unknown()
            .description("The Cloud Dedicated account of the table; null on Clustered."),
        pub(crate) cluster_id: Option<String> => |name| Attribute::computed(name, Type::String)
            .use_state_for_unknown()
            .description("The Cloud Dedicated cluster of the table; null on Clustered."),
    }
}

/// The id (and import id) of table `name` of `database`: `database:name`
/// (a database name has no `:`, so the first one separates them).
pub(crate) fn table_id(database: &str, name: &str) -> String {
    format!("{database}:{name}")
}

/// Whether `name` is a table name the API accepts.
pub(crate) fn is_valid_table_name(name: &str) -> bool {
    !name.trim().is_empty() && !name.chars().any(char::is_control) && !name.starts_with('_')
}

impl TableModel {
    fn from_api(table: &Table, asked: &TableModel) -> Self {
        Self {
            id: Some(table_id(&table.database_name, &table.name)),
            database_name: table.database_name.clone(),
            name: table.name.clone(),
            // The response's template may be the database's one the table
            // inherits: keep what was configured.
            partition_template: asked.partition_template.clone(),
            account_id: table.account_id.map(|id| id.to_string()),
            cluster_id: table.cluster_id.map(|id| id.to_string()),
        }
    }
}

/// A state the Go provider `thulasirajkomminar/influxdb3` wrote, brought to
/// this provider by `terraform state replace-provider` (same type name, same
/// schema version): no `id`, and a bucket part's tag and count in JSON text
/// in `value`. Read turns it into this provider's form; any other state is
/// returned as it is.
fn from_replaced_provider(state: Value) -> Value {
    let Ok(mut model) = TableModel::from_value_root(&state) else {
        return state;
    };
    let mut changed = model.id.is_none();
    for part in model.partition_template.iter_mut().flatten() {
        if part.r#type == "bucket"
            && part.number_of_buckets.is_none()
            && let Some((tag, buckets)) = bucket_from_json(&part.value)
        {
            part.value = tag;
            part.number_of_buckets = Some(buckets);
            changed = true;
        }
    }
    if !changed {
        return state;
    }
    model.id = Some(table_id(&model.database_name, &model.name));
    model.to_value()
}

#[async_trait]
impl Resource for TableResource {
    fn type_name(&self) -> String {
        "influxdb3_table".to_string()
    }

    fn schema(&self) -> Schema {
        schema()
    }

    async fn validate_config(&self, config: &Value) -> Diagnostics {
        let mut diagnostics = Diagnostics::new();
        partition_template::validate(config, &mut diagnostics);
        diagnostics
    }

    async fn modify_plan(&self, plan: &mut PlanContext) {
        // Every argument forces a replacement: there is no update to adjust.
        check_plan(&self.data, &PRODUCT, plan, "Error Creating Table").await;
    }

    async fn create(&self, request: CreateRequest) -> CreateResponse {
        let client = match require_client(&self.data, &PRODUCT, "Error Creating Table") {
            Ok(client) => client,
            Err(diagnostics) => {
                return CreateResponse {
                    state: None,
                    diagnostics,
                };
            }
        };
        let mut diagnostics = Diagnostics::new();
        let config = match TableModel::from_value_root(&request.config) {
            Ok(config) => config,
            Err(problems) => {
                return CreateResponse {
                    state: None,
                    diagnostics: problems,
                };
            }
        };
        let body = CreateTableRequest {
            name: config.name.clone(),
            partition_template: config
                .partition_template
                .as_deref()
                .map(partition_template::to_api),
        };
        let created = client.create_table(&config.database_name, &body).await;
        self.data.databases_changed();
        match created {
            Ok(table) => {
                log::info!(
                    "created table {:?} of {:?}",
                    table.name,
                    table.database_name
                );
                let mut model = TableModel::from_api(&table, &config);
                if model.account_id.is_none() && model.cluster_id.is_none() {
                    // A create recovered after a retry does not know them: ask the list.
                    if let Ok(Some(database)) = self
                        .data
                        .listed_database(&client, &config.database_name)
                        .await
                    {
                        model.account_id = database.account_id.map(|id| id.to_string());
                        model.cluster_id = database.cluster_id.map(|id| id.to_string());
                    }
                }
                CreateResponse {
                    state: Some(model.to_value()),
                    diagnostics,
                }
            }
            Err(error) => {
                let mut diagnostic = api_error("Error Creating Table", &error);
                match error.status() {
                    Some(404) => diagnostic.detail.push_str(&format!(
                        " The cluster has no database named {:?}: create it first (reference \
                         influxdb3_database.NAME.name in database_name so Terraform does).",
                        config.database_name
                    )),
                    Some(409) => diagnostic.detail.push_str(&format!(
                        " The table already exists: import it (`terraform import ADDRESS {}`).",
                        table_id(&config.database_name, &config.name)
                    )),
                    _ => {}
                }
                diagnostics.push(diagnostic);
                CreateResponse {
                    state: None,
                    diagnostics,
                }
            }
        }
    }

    async fn read(&self, request: ReadRequest) -> ReadResponse {
        // No API reads a table: only its database's deletion can be seen.
        let what = ("table", "database_name", "Error Reading Table");
        read_by_database(&self.data, &PRODUCT, request.state, what, |state, _| {
            from_replaced_provider(state)
        })
        .await
    }

    async fn delete(&self, request: DeleteRequest) -> DeleteResponse {
        let attr = |name| request.state.get_attr(name).and_then(Value::as_str);
        let target = attr("database_name")
            .zip(attr("name"))
            .map(|(database, name)| {
                (
                    format!("table {name:?} of {database:?}"),
                    move |client: ManagementApiClient| async move {
                        client.delete_table(database, name).await
                    },
                )
            });
        delete(&self.data, &PRODUCT, "Error Deleting Table", target).await
    }

    fn as_import(&self) -> Option<&dyn ResourceWithImport> {
        Some(self)
    }

    fn as_move_state(&self) -> Option<&dyn ResourceWithMoveState> {
        Some(self)
    }
}

#[async_trait]
impl ResourceWithImport for TableResource {
    async fn import_state(&self, id: &str) -> ImportResponse {
        let mut diagnostics = Diagnostics::new();
        let parsed = id
            .split_once(':')
            .filter(|(database, table)| is_valid_name(database) && is_valid_table_name(table));
        let Some((database, table)) = parsed else {
            diagnostics.error(
                "Invalid Import Id",
                format!(
                    "{id:?} is not DATABASE:TABLE. Import a table by its database name and its \
                     name, separated by a colon: `terraform import influxdb3_table.NAME mydb:cpu`."
                ),
            );
            return ImportResponse {
                state: None,
                diagnostics,
            };
        };
        let summaries = (
            "Error Importing Table",
            "Cannot Import Table Of A Non-Existent Database",
        );
        import_by_database(&self.data, &PRODUCT, database, summaries, |found| {
            TableModel {
                id: Some(table_id(database, table)),
                database_name: database.to_string(),
                name: table.to_string(),
                // The API cannot tell: see the module documentation.
                partition_template: None,
                account_id: found.account_id.map(|id| id.to_string()),
                cluster_id: found.cluster_id.map(|id| id.to_string()),
            }
            .to_value()
        })
        .await
    }
}

/// The resource schema; descriptions are the single source of the docs.
pub(crate) fn schema() -> Schema {
    Schema::new(
        0,
        "A table of a database. The Management API has no way to read a table, so Terraform \
         cannot see a table deleted, renamed or changed outside Terraform: it only sees that \
         the table's database was deleted (the table then shows up as deleted too). Every \
         argument forces a replacement. Import (`DATABASE:TABLE`) checks only that the \
         database exists, and cannot learn the table's partition template: import a table \
         whose configuration has no `partition_template`, or add \
         `lifecycle { ignore_changes = [partition_template] }`, else the next plan replaces \
         it. Destroying the resource deletes the table.",
        TableModel::attributes(),
    )
}

#[async_trait]
impl ResourceWithMoveState for TableResource {
    async fn move_state(
        &self,
        request: crate::framework::resource::MoveStateRequest,
    ) -> Option<crate::framework::resource::MoveStateResponse> {
        super::moved_from_go_provider::move_table(&request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_is_valid() {
        schema().validate().unwrap();
    }

    #[test]
    fn state_of_the_go_provider_reads_as_ours() {
        let go_state = Value::object([
            ("database_name", Value::string("d")),
            ("name", Value::string("t")),
            ("id", Value::Null),
            ("account_id", Value::Null),
            ("cluster_id", Value::Null),
            (
                "partition_template",
                Value::list([Value::object([
                    ("type", Value::string("bucket")),
                    (
                        "value",
                        Value::string(r#"{"tagName":"host","numberOfBuckets":10}"#),
                    ),
                    ("number_of_buckets", Value::Null),
                ])]),
            ),
        ]);
        let ours = from_replaced_provider(go_state);
        assert_eq!(ours.get_attr("id"), Some(&Value::string("d:t")));
        let part = &ours
            .get_attr("partition_template")
            .unwrap()
            .as_elements()
            .unwrap()[0];
        assert_eq!(part.get_attr("value"), Some(&Value::string("host")));
        assert_eq!(part.get_attr("number_of_buckets"), Some(&Value::number(10)));
        assert_eq!(from_replaced_provider(ours.clone()), ours);
    }

    #[test]
    fn table_names() {
        assert!(is_valid_table_name("cpu"));
        assert!(is_valid_table_name("a:b/c"));
        for bad in ["", " ", "_system", "a\nb"] {
            assert!(!is_valid_table_name(bad), "{bad:?}");
        }
    }

    #[tokio::test]
    async fn import_ids_are_database_colon_table() {
        let resource = TableResource::new(Arc::new(ProviderData::default()));
        for bad in ["cpu", "my db:cpu", "db:", ":cpu", "db:_x"] {
            let response = resource.import_state(bad).await;
            assert!(response.diagnostics.has_error(), "{bad}");
            assert_eq!(
                response.diagnostics.iter().next().unwrap().summary,
                "Invalid Import Id",
                "{bad}"
            );
        }
        assert_eq!(table_id("logs/app", "a:b"), "logs/app:a:b");
    }
}
