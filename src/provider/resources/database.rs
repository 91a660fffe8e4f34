//! `influxdb3_database`: a database of a cluster as code.
//!
//! Create makes it; `max_tables`, `max_columns_per_table` and
//! `retention_period` change in place (one PATCH with what changed); `name`
//! and `partition_template` force a replacement. Read looks the database up
//! in the cluster's database list, shared by every read of the command
//! (`ProviderData::listed_database`); a database that is not listed
//! (deleted) is gone. Destroy deletes it. Import takes the name.

use std::sync::Arc;

use async_trait::async_trait;

use crate::api::{CreateDatabaseRequest, Database, UpdateDatabaseRequest};
use crate::framework::diag::Diagnostics;
use crate::framework::identity::ResourceWithIdentity;
use crate::framework::model::{Model, ToValue};
use crate::framework::resource::{
    CreateRequest, CreateResponse, DeleteRequest, DeleteResponse, ImportResponse, PlanContext,
    ReadRequest, ReadResponse, Resource, ResourceWithImport, ResourceWithMoveState, UpdateRequest,
    UpdateResponse,
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
use super::partition_template::{self, PartitionPartModel};
use super::retention_period;

/// The product family of `influxdb3_database`, and its self-hosted counterpart.
pub(super) const PRODUCT: ProductScope = ProductScope::cloud(
    "resource",
    "influxdb3_database",
    &["influxdb3_self_hosted_database"],
);

/// The longest database name, in characters.
const MAX_NAME_CHARS: usize = 64;

/// The `influxdb3_database` resource.
#[derive(Debug)]
pub(crate) struct DatabaseResource {
    pub(super) data: Arc<ProviderData>,
}

impl DatabaseResource {
    pub(crate) fn new(data: Arc<ProviderData>) -> Self {
        Self { data }
    }
}

crate::model! {
    /// The state of one database, schema version 0.
    pub(crate) struct DatabaseModel {
        pub(crate) name: String => |name| Attribute::required(name, Type::String)
            .requires_replace()
            .validator(name_validator())
            .description("The database name: 1 to 64 characters of letters, digits, `_`, `-` and `/`, starting with a letter or a digit. Unique in the cluster. Changing it replaces the database (a new, empty one)."),
        pub(crate) max_tables: Option<i64> => |name| Attribute::optional_computed(name, Type::Number)
            .use_state_for_unknown()
            .validator(Validator::int_range(1, i64::from(i32::MAX)))
            .description("The most tables the database may hold, at least 1. Unset: the API's default (500) at creation, then whatever the API has. Changes in place."),
        pub(crate) max_columns_per_table: Option<i64> => |name| Attribute::optional_computed(name, Type::Number)
            .use_state_for_unknown()
            .validator(Validator::int_range(1, i64::from(i32::MAX)))
            .description("The most columns a table of the database may have, at least 1. Unset: the API's default (200) at creation, then whatever the API has. Changes in place."),
        pub(crate) retention_period: Option<String> => |name| Attribute::optional_computed(name, Type::String)
            .use_state_for_unknown()
            .validator(retention_period::validator())
            .semantic_equality(retention_period::semantic_equality())
            .description("How long data is kept: a duration such as `\"30d\"`, `\"720h\"` or `\"1h30m\"` (units `ns`, `us`, `ms`, `s`, `m`, `h`, `d`, `w`); `\"0s\"` keeps data forever. Two spellings of the same duration are equal (no change is planned). Unset: the API's default (forever) at creation. Changes in place."),
        pub(crate) partition_template: Option<Vec<PartitionPartModel>> => |_| partition_template::attribute("database"),
        pub(crate) id: Option<String> => |name| Attribute::computed(name, Type::String)
            .use_state_for_unknown()
            .description("The database's name, which is how the API identifies a database."),
        pub(crate) account_id: Option<String> => |name| Attribute::computed(name, Type::String)
            .use_state_for_unknown()
            .description("The Cloud Dedicated account of the database; null on Clustered."),
        pub(crate) cluster_id: Option<String> => |name| Attribute::computed(name, Type::String)
            .use_state_for_unknown()
            .description("The Cloud Dedicated cluster of the database; null on Clustered."),
    }
}

impl DatabaseModel {
    /// The state of `database` as the API returned it.
    pub(crate) fn from_api(database: &Database) -> Self {
        Self {
            name: database.name.clone(),
            max_tables: Some(i64::from(database.max_tables)),
            max_columns_per_table: Some(i64::from(database.max_columns_per_table)),
            retention_period: Some(retention_period::format(database.retention_period)),
            partition_template: database
                .partition_template
                .as_deref()
                .map(partition_template::from_api),
            id: Some(database.name.clone()),
            account_id: database.account_id.map(|id| id.to_string()),
            cluster_id: database.cluster_id.map(|id| id.to_string()),
        }
    }
}

/// The state of a database as a listing shows it.
pub(crate) fn database_state(database: &Database) -> Value {
    DatabaseModel::from_api(database).to_value()
}

/// Whether `name` is a database name the API accepts.
pub(crate) fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_NAME_CHARS
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'-' | b'/'))
}

fn name_validator() -> Validator {
    Validator::string_matches(
        "a database name: 1 to 64 characters of letters, digits, `_`, `-` and `/`, \
         starting with a letter or a digit",
        is_valid_name,
    )
}

fn model_of(value: &Value, diagnostics: &mut Diagnostics) -> Option<DatabaseModel> {
    match DatabaseModel::from_value_root(value) {
        Ok(model) => Some(model),
        Err(problems) => {
            diagnostics.extend(problems);
            None
        }
    }
}

fn narrow(value: Option<i64>) -> Option<i32> {
    value.and_then(|n| i32::try_from(n).ok())
}

/// The PATCH body: only what differs between `prior` and `planned`.
fn changes(prior: &DatabaseModel, planned: &DatabaseModel) -> UpdateDatabaseRequest {
    let nanos = |text: &Option<String>| {
        text.as_deref()
            .and_then(|t| retention_period::parse(t).ok())
    };
    UpdateDatabaseRequest {
        max_tables: narrow(planned.max_tables).filter(|_| planned.max_tables != prior.max_tables),
        max_columns_per_table: narrow(planned.max_columns_per_table)
            .filter(|_| planned.max_columns_per_table != prior.max_columns_per_table),
        retention_period: nanos(&planned.retention_period)
            .filter(|planned| Some(*planned) != nanos(&prior.retention_period)),
    }
}

#[async_trait]
impl Resource for DatabaseResource {
    fn type_name(&self) -> String {
        "influxdb3_database".to_string()
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
        if !check_plan(&self.data, &PRODUCT, plan, "Error Creating Database").await {
            return;
        }
        // An update keeps the database where it is: its account and cluster,
        // null on Clustered (which use-state-for-unknown leaves unknown), stay.
        if let (Some(prior), Value::Object(planned)) = (&plan.prior, &mut plan.planned) {
            for name in ["account_id", "cluster_id"] {
                if let Some(value) = prior.get_attr(name) {
                    planned.insert(name.to_string(), value.clone());
                }
            }
        }
    }

    async fn create(&self, request: CreateRequest) -> CreateResponse {
        let client = match require_client(&self.data, &PRODUCT, "Error Creating Database") {
            Ok(client) => client,
            Err(diagnostics) => {
                return CreateResponse {
                    state: None,
                    diagnostics,
                };
            }
        };
        let mut diagnostics = Diagnostics::new();
        let Some(config) = model_of(&request.config, &mut diagnostics) else {
            return CreateResponse {
                state: None,
                diagnostics,
            };
        };
        let body = CreateDatabaseRequest {
            name: config.name.clone(),
            max_tables: narrow(config.max_tables),
            max_columns_per_table: narrow(config.max_columns_per_table),
            retention_period: config
                .retention_period
                .as_deref()
                .and_then(|text| retention_period::parse(text).ok()),
            partition_template: config
                .partition_template
                .as_deref()
                .map(partition_template::to_api),
        };
        let created = client.create_database(&body).await;
        self.data.databases_changed();
        match created {
            Ok(database) => {
                log::info!("created database {:?}", database.name);
                CreateResponse {
                    state: Some(DatabaseModel::from_api(&database).to_value()),
                    diagnostics,
                }
            }
            Err(error) => {
                let mut diagnostic = api_error("Error Creating Database", &error);
                if error.status() == Some(409) {
                    diagnostic.detail.push_str(&format!(
                        " A database named {:?} already exists: import it \
                         (`terraform import ADDRESS {}`) or choose another name.",
                        body.name, body.name
                    ));
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
        let what = ("database", "name", "Error Reading Database");
        read_by_database(&self.data, &PRODUCT, request.state, what, |_, database| {
            DatabaseModel::from_api(&database).to_value()
        })
        .await
    }

    async fn update(&self, request: UpdateRequest) -> UpdateResponse {
        let mut diagnostics = Diagnostics::new();
        let (Some(prior), Some(planned)) = (
            model_of(&request.prior, &mut diagnostics),
            model_of(&request.planned, &mut diagnostics),
        ) else {
            return UpdateResponse {
                state: Some(request.prior),
                diagnostics,
            };
        };
        let body = changes(&prior, &planned);
        if body.is_empty() {
            return UpdateResponse {
                state: Some(request.planned),
                diagnostics,
            };
        }
        let client = match require_client(&self.data, &PRODUCT, "Error Updating Database") {
            Ok(client) => client,
            Err(diagnostics) => {
                return UpdateResponse {
                    state: Some(request.prior),
                    diagnostics,
                };
            }
        };
        let updated = client.update_database(&prior.name, &body).await;
        self.data.databases_changed();
        match updated {
            Ok(database) => {
                let mut model = DatabaseModel::from_api(&database);
                // The update response carries no partition template; it cannot change.
                model.partition_template = prior.partition_template;
                model.account_id = model.account_id.or(prior.account_id);
                model.cluster_id = model.cluster_id.or(prior.cluster_id);
                UpdateResponse {
                    state: Some(model.to_value()),
                    diagnostics,
                }
            }
            Err(error) => {
                diagnostics.push(api_error("Error Updating Database", &error));
                UpdateResponse {
                    state: Some(request.prior),
                    diagnostics,
                }
            }
        }
    }

    async fn delete(&self, request: DeleteRequest) -> DeleteResponse {
        let name = request.state.get_attr("name").and_then(Value::as_str);
        let target = name.map(|name| {
            (format!("database {name:?}"), move |client: ManagementApiClient| async move {
                client.delete_database(name).await
            })
        });
        delete(&self.data, &PRODUCT, "Error Deleting Database", target).await
    }

    fn as_import(&self) -> Option<&dyn ResourceWithImport> {
        Some(self)
    }

    fn as_identity(&self) -> Option<&dyn ResourceWithIdentity> {
        Some(self)
    }

    fn as_move_state(&self) -> Option<&dyn ResourceWithMoveState> {
        Some(self)
    }
}

#[async_trait]
impl ResourceWithImport for DatabaseResource {
    async fn import_state(&self, id: &str) -> ImportResponse {
        let mut diagnostics = Diagnostics::new();
        let name = id.trim();
        if !is_valid_name(name) {
            diagnostics.error(
                "Invalid Import Id",
                format!(
                    "{name:?} is not a database name. Import a database by its name: \
                     `terraform import influxdb3_database.NAME mydb`."
                ),
            );
            return ImportResponse {
                state: None,
                diagnostics,
            };
        }
        let summaries = (
            "Error Importing Database",
            "Cannot Import Non-Existent Database",
        );
        import_by_database(&self.data, &PRODUCT, name, summaries, |database| {
            DatabaseModel::from_api(&database).to_value()
        })
        .await
    }
}

/// The resource schema; descriptions are the single source of the docs.
pub(crate) fn schema() -> Schema {
    Schema::new(
        0,
        "A database of an InfluxDB 3 Cloud Dedicated or Clustered cluster. `max_tables`, \
         `max_columns_per_table` and `retention_period` change in place; a new `name` or \
         `partition_template` replaces the database (a new, empty one: the data of the old \
         one is deleted with it). A database deleted outside Terraform shows up as deleted \
         and is created again on the next apply. Destroying the resource deletes the database.",
        DatabaseModel::attributes(),
    )
}

#[cfg(test)]
#[path = "database_tests.rs"]
mod tests;

#[async_trait]
impl ResourceWithMoveState for DatabaseResource {
    async fn move_state(
        &self,
        request: crate::framework::resource::MoveStateRequest,
    ) -> Option<crate::framework::resource::MoveStateResponse> {
        super::moved_from_go_provider::move_database(&request)
    }
}
