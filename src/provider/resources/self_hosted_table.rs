//! `influxdb3_self_hosted_table`: a table of a database of a self-hosted
//! InfluxDB 3 Core or Enterprise server.
//!
//! Create makes the table with its tags, fields and (Enterprise) retention
//! period; a change of `retention_period` is an in-place update, any other
//! change a replacement; destroy soft-deletes it. The API lists no tables, so
//! read and import ask `information_schema.columns` through the SQL endpoint:
//! no rows, or a database the query cannot find, means the table is gone.

use std::sync::Arc;

use async_trait::async_trait;

use super::self_hosted_common::{
    client_for_read, destroyed, refreshed, require_client, string_attr, updated,
};
use super::self_hosted_table_schema::{TableModel, check_table_name, schema, validate};
use crate::framework::diag::{Diagnostic, Diagnostics};
use crate::framework::path::Path;
use crate::framework::resource::{
    CreateRequest, CreateResponse, DeleteRequest, DeleteResponse, ImportResponse, PlanContext,
    ReadRequest, ReadResponse, Resource, ResourceWithImport, UpdateRequest, UpdateResponse,
};
use crate::framework::schema::Schema;
use crate::framework::value::Value;
use crate::provider::ProviderData;
use crate::provider::diagnostics::self_hosted_api_error;
use crate::provider::product::{ProductScope, SelfHostedProduct};

/// The product family of the resource, and its Cloud counterpart.
pub(super) const PRODUCT: ProductScope = ProductScope::self_hosted(
    "resource",
    "influxdb3_self_hosted_table",
    &["influxdb3_table"],
);

/// The `influxdb3_self_hosted_table` resource.
#[derive(Debug)]
pub(crate) struct SelfHostedTableResource {
    data: Arc<ProviderData>,
}

impl SelfHostedTableResource {
    pub(crate) fn new(data: Arc<ProviderData>) -> Self {
        Self { data }
    }
}

fn no_fields_configured(config: &Value) -> bool {
    config.get_attr("fields").is_none_or(Value::is_null)
}

#[async_trait]
impl Resource for SelfHostedTableResource {
    fn type_name(&self) -> String {
        "influxdb3_self_hosted_table".to_string()
    }

    fn schema(&self) -> Schema {
        schema()
    }

    async fn validate_config(&self, config: &Value) -> Diagnostics {
        let mut diagnostics = Diagnostics::new();
        validate(config, &mut diagnostics);
        diagnostics
    }

    async fn modify_plan(&self, plan: &mut PlanContext) {
        if let Some(diagnostic) = self.data.wrong_product_for(&PRODUCT) {
            plan.diagnostics.push(diagnostic);
            return;
        }
        let retention = plan.config.get_attr("retention_period");
        if let Ok(Some(client)) = self.data.v3_client()
            && client.product() == SelfHostedProduct::Core
            && retention.is_some_and(|value| !value.is_null())
        {
            plan.diagnostics.attribute_error(
                Path::root("retention_period"),
                "Enterprise-Only Attribute",
                "A table's own retention period is a feature of InfluxDB 3 Enterprise; this \
                 provider is configured for InfluxDB 3 Core (`product = \"core\"`). Remove \
                 `retention_period` (the database's retention period applies to its tables), \
                 or use a provider with `product = \"enterprise\"`.",
            );
        }
    }

    async fn create(&self, request: CreateRequest) -> CreateResponse {
        const SUMMARY: &str = "Error Creating Table";
        let mut diagnostics = Diagnostics::new();
        let client = match require_client(&self.data, &PRODUCT, SUMMARY) {
            Ok(client) => client,
            Err(diagnostics) => {
                return CreateResponse {
                    state: None,
                    diagnostics,
                };
            }
        };
        let Some(model) = TableModel::from_value(&request.config) else {
            diagnostics.error(SUMMARY, "The table's configuration is not wholly known.");
            return CreateResponse {
                state: None,
                diagnostics,
            };
        };
        match client.create_table(&model.create_request()).await {
            Ok(()) => {
                log::info!("created table {:?}", model.id());
                CreateResponse {
                    state: Some(model.state(no_fields_configured(&request.config))),
                    diagnostics,
                }
            }
            Err(error) => {
                let mut diagnostic = self_hosted_api_error(SUMMARY, &error);
                match error.status() {
                    Some(404) => diagnostic.detail.push_str(&format!(
                        " The server has no database named {:?}: create it first (for \
                         example with influxdb3_self_hosted_database, referenced so Terraform \
                         orders the two).",
                        model.database
                    )),
                    Some(400 | 409) => diagnostic.detail.push_str(&format!(
                        " If the table exists already, import it with `terraform import \
                         influxdb3_self_hosted_table.<name> {}` instead.",
                        model.id()
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
        let diagnostics = Diagnostics::new();
        let prior = request.state;
        let client = match client_for_read(&self.data, &PRODUCT, &prior) {
            Ok(client) => client,
            Err(response) => return response,
        };
        let (Some(database), Some(name)) = (
            string_attr(&prior, "database").map(str::to_owned),
            string_attr(&prior, "name").map(str::to_owned),
        ) else {
            return ReadResponse {
                state: None,
                diagnostics,
            };
        };
        let looked_up = client.table_columns(&database, &name).await.map(|found| {
            let what = match found {
                // Columns added by writes are not compared: the state keeps its own.
                Some(columns) if !columns.is_empty() => return Some(prior.clone()),
                Some(_) => "it no longer exists",
                None => "its database no longer exists",
            };
            log::info!("table {database:?}/{name:?}: {what}; removing it from state");
            None
        });
        refreshed(prior, looked_up, "Error Reading Table")
    }

    async fn update(&self, request: UpdateRequest) -> UpdateResponse {
        const SUMMARY: &str = "Error Updating Table";
        let mut diagnostics = Diagnostics::new();
        let client = match require_client(&self.data, &PRODUCT, SUMMARY) {
            Ok(client) => client,
            Err(diagnostics) => {
                return UpdateResponse {
                    state: Some(request.prior),
                    diagnostics,
                };
            }
        };
        let (Some(model), Some(database), Some(name)) = (
            TableModel::from_value(&request.config),
            string_attr(&request.prior, "database"),
            string_attr(&request.prior, "name"),
        ) else {
            diagnostics.error(SUMMARY, "The table's configuration is not wholly known.");
            return UpdateResponse {
                state: Some(request.prior),
                diagnostics,
            };
        };
        let period = model.retention_period.as_deref();
        let outcome = client.set_table_retention(database, name, period).await;
        updated(
            outcome,
            || model.state(no_fields_configured(&request.config)),
            request.prior.clone(),
            SUMMARY,
        )
    }

    async fn delete(&self, request: DeleteRequest) -> DeleteResponse {
        const SUMMARY: &str = "Error Deleting Table";
        let diagnostics = Diagnostics::new();
        let client = match require_client(&self.data, &PRODUCT, SUMMARY) {
            Ok(client) => client,
            Err(diagnostics) => return DeleteResponse { diagnostics },
        };
        let (Some(database), Some(name)) = (
            string_attr(&request.state, "database"),
            string_attr(&request.state, "name"),
        ) else {
            return DeleteResponse { diagnostics };
        };
        let deleted = client.delete_table(database, name).await;
        destroyed(deleted, &format!("table {database:?}/{name:?}"), SUMMARY)
    }

    fn as_import(&self) -> Option<&dyn ResourceWithImport> {
        Some(self)
    }
}

/// `DATABASE/TABLE` split at the first `/` (database names have none).
fn parse_import_id(id: &str) -> Result<(&str, &str), Diagnostic> {
    let invalid = |problem: String| {
        Diagnostic::error(
            "Invalid Import ID",
            format!("{problem} Import a table with `DATABASE/TABLE`, for example `sensors/cpu`."),
        )
    };
    let Some((database, table)) = id.split_once('/') else {
        return Err(invalid("The id has no `/`.".to_owned()));
    };
    super::self_hosted_database::check_database_name(database).map_err(invalid)?;
    check_table_name(table).map_err(invalid)?;
    Ok((database, table))
}

#[async_trait]
impl ResourceWithImport for SelfHostedTableResource {
    async fn import_state(&self, id: &str) -> ImportResponse {
        const SUMMARY: &str = "Error Importing Table";
        let mut diagnostics = Diagnostics::new();
        let (database, table) = match parse_import_id(id.trim()) {
            Ok(parts) => parts,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                return ImportResponse {
                    state: None,
                    diagnostics,
                };
            }
        };
        let client = match require_client(&self.data, &PRODUCT, SUMMARY) {
            Ok(client) => client,
            Err(diagnostics) => {
                return ImportResponse {
                    state: None,
                    diagnostics,
                };
            }
        };
        match client.table_columns(database, table).await {
            Ok(Some(columns)) if !columns.is_empty() => {
                let model = TableModel::from_columns(database, table, &columns);
                return ImportResponse {
                    state: Some(model.state(model.fields.is_empty())),
                    diagnostics,
                };
            }
            Ok(None) => diagnostics.error(
                "Cannot Import Non-Existent Table",
                format!("The server has no database named {database:?}."),
            ),
            Ok(Some(_)) => diagnostics.error(
                "Cannot Import Non-Existent Table",
                format!("The database {database:?} has no table named {table:?}."),
            ),
            Err(error) => diagnostics.push(self_hosted_api_error(SUMMARY, &error)),
        }
        ImportResponse {
            state: None,
            diagnostics,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::v3_tables::ColumnRow;

    #[test]
    fn schema_is_valid() {
        schema()
            .validate()
            .unwrap_or_else(|error| panic!("{error:?}"));
    }

    #[test]
    fn import_ids_name_a_database_and_a_table() {
        assert_eq!(
            parse_import_id("sensors/cpu").ok(),
            Some(("sensors", "cpu"))
        );
        assert_eq!(
            parse_import_id("sensors/a/b").ok(),
            Some(("sensors", "a/b"))
        );
        for bad in ["sensors", "/cpu", "sensors/", "my_db/cpu"] {
            assert!(parse_import_id(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn configurations_are_checked_on_their_attributes() {
        let config = Value::object([
            ("database", Value::string("sensors")),
            ("name", Value::string("cpu")),
            (
                "tags",
                Value::list([
                    Value::string("host"),
                    Value::string("host"),
                    Value::string("time"),
                ]),
            ),
            ("fields", Value::map([("host", Value::string("float64"))])),
            ("retention_period", Value::string("7 days")),
            ("id", Value::Null),
        ]);
        let mut diagnostics = Diagnostics::new();
        validate(&config, &mut diagnostics);
        let text = format!("{diagnostics:?}");
        for expected in [
            "Invalid Tag",
            "is repeated",
            "`time`",
            "both a tag and a field",
        ] {
            assert!(text.contains(expected), "{expected}: {text}");
        }
        assert!(text.contains("Invalid Retention Period"), "{text}");
    }

    #[test]
    fn an_import_reads_tags_and_fields_from_the_columns() {
        let row = |column: &str, data_type: &str| ColumnRow {
            table_name: "cpu".to_owned(),
            column_name: column.to_owned(),
            data_type: data_type.to_owned(),
        };
        let columns = [
            row("region", "Dictionary(Int32, Utf8)"),
            row("usage", "Float64"),
            row("host", "Dictionary(Int32, Utf8)"),
            row("count", "UInt64"),
            row("time", "Timestamp(Nanosecond, None)"),
        ];
        let model = TableModel::from_columns("sensors", "cpu", &columns);
        assert_eq!(model.tags, vec!["region", "host"]);
        assert_eq!(
            model.fields,
            vec![
                ("count".to_owned(), "uint64".to_owned()),
                ("usage".to_owned(), "float64".to_owned())
            ]
        );
        assert_eq!(model.id(), "sensors/cpu");
    }
}
