//! `influxdb3_self_hosted_database`: a database of a self-hosted InfluxDB 3
//! Core or Enterprise server.
//!
//! Create makes the database (with its retention period); a change of
//! `retention_period` is an in-place update; destroy deletes it with the API's
//! soft delete (the server keeps the data under a new name until it is hard
//! deleted, and the name is free for a new database at once). Read treats a
//! database that is no longer listed as gone. Import takes the name.

use std::sync::Arc;

use async_trait::async_trait;

use crate::api::v3::{CreateDatabaseRequest, INTERNAL_DATABASE};
use crate::framework::diag::Diagnostics;
use crate::framework::identity::ResourceWithIdentity;
use crate::framework::path::Path;
use crate::framework::resource::{
    CreateRequest, CreateResponse, DeleteRequest, DeleteResponse, ImportResponse, PlanContext,
    ReadRequest, ReadResponse, Resource, ResourceWithImport, UpdateRequest, UpdateResponse,
};
use crate::framework::schema::{Attribute, Schema};
use crate::framework::value::{Type, Value};
use crate::provider::ProviderData;

use super::retention_period;
use super::self_hosted_common::{
    check_attribute, client_for_read, destroyed, refreshed, require_client, string_attr, updated,
};
use crate::provider::diagnostics::self_hosted_api_error;
use crate::provider::product::ProductScope;

/// The product family of the resource, and its Cloud counterpart.
const PRODUCT: ProductScope = ProductScope::self_hosted(
    "resource",
    "influxdb3_self_hosted_database",
    &["influxdb3_database"],
);

/// The longest database name the servers accept.
const MAX_NAME_CHARS: usize = 64;

/// The `influxdb3_self_hosted_database` resource.
#[derive(Debug)]
pub(crate) struct SelfHostedDatabaseResource {
    data: Arc<ProviderData>,
}

impl SelfHostedDatabaseResource {
    pub(crate) fn new(data: Arc<ProviderData>) -> Self {
        Self { data }
    }
}

/// The published rule (`CreateDatabaseRequest.db`): letters, digits and
/// hyphens, starting and ending with a letter or digit, at most 64 characters.
pub(crate) fn check_database_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("The database name must not be empty.".into());
    }
    if name == INTERNAL_DATABASE {
        return Err("`_internal` is the server's own database; choose another name.".into());
    }
    let length = name.chars().count();
    if length > MAX_NAME_CHARS {
        return Err(format!(
            "The database name has {length} characters; at most {MAX_NAME_CHARS} are allowed."
        ));
    }
    let bytes = name.as_bytes();
    let allowed = bytes
        .iter()
        .all(|byte| byte.is_ascii_alphanumeric() || *byte == b'-');
    let ends = bytes.first().is_some_and(u8::is_ascii_alphanumeric)
        && bytes.last().is_some_and(u8::is_ascii_alphanumeric);
    if !allowed || !ends {
        return Err(format!(
            "{name:?} is not a valid database name: use letters, digits and hyphens, starting \
             and ending with a letter or digit (no underscores)."
        ));
    }
    Ok(())
}

/// The state of database `name`.
pub(crate) fn state(name: &str, retention_period: Option<&str>) -> Value {
    Value::object([
        ("name", Value::string(name)),
        ("id", Value::string(name)),
        (
            "retention_period",
            retention_period.map_or(Value::Null, Value::string),
        ),
    ])
}

#[async_trait]
impl Resource for SelfHostedDatabaseResource {
    fn type_name(&self) -> String {
        "influxdb3_self_hosted_database".to_string()
    }

    fn schema(&self) -> Schema {
        schema()
    }

    async fn validate_config(&self, config: &Value) -> Diagnostics {
        let mut diagnostics = Diagnostics::new();
        check_attribute(
            config,
            "name",
            "Invalid Database Name",
            check_database_name,
            &mut diagnostics,
        );
        check_attribute(
            config,
            "retention_period",
            "Invalid Retention Period",
            retention_period::check_self_hosted,
            &mut diagnostics,
        );
        diagnostics
    }

    async fn modify_plan(&self, plan: &mut PlanContext) {
        // A provider configured for another product fails the plan.
        if let Some(diagnostic) = self.data.wrong_product_for(&PRODUCT) {
            plan.diagnostics.push(diagnostic);
            return;
        }
        // A plan that creates the database: the list (cached, the request a
        // refresh makes anyway) must load, so a refused provider token fails the
        // plan, and must not hold the name, which the create would be refused.
        let (Ok(Some(client)), None, Some(name)) = (
            self.data.v3_client(),
            &plan.prior,
            string_attr(&plan.config, "name").map(str::to_owned),
        ) else {
            return;
        };
        match self.data.listed_self_hosted_databases(&client).await {
            Ok(names) if names.contains(&name) => {
                plan.diagnostics.attribute_error(
                    Path::root("name"),
                    "Database Exists",
                    format!(
                        "The server has a database named {name:?} already. Import it \
                         (`terraform import influxdb3_self_hosted_database.<name> {name}`) to \
                         manage it, or choose another name."
                    ),
                );
            }
            Ok(_) => {}
            Err(error) => plan
                .diagnostics
                .push(self_hosted_api_error("Error Planning Database", &error)),
        }
    }

    async fn create(&self, request: CreateRequest) -> CreateResponse {
        const SUMMARY: &str = "Error Creating Database";
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
        let name = string_attr(&request.config, "name").unwrap_or_default();
        let retention_period = string_attr(&request.config, "retention_period");
        let body = CreateDatabaseRequest {
            db: name.to_owned(),
            retention_period: retention_period.map(str::to_owned),
        };
        let created = client.create_database(&body).await;
        self.data.self_hosted_databases_changed();
        match created {
            Ok(()) => {
                log::info!("created database {name:?}");
                CreateResponse {
                    state: Some(state(name, retention_period)),
                    diagnostics,
                }
            }
            Err(error) => {
                let mut diagnostic = self_hosted_api_error(SUMMARY, &error);
                if error.status() == Some(409) {
                    diagnostic.detail.push_str(&format!(
                        " A database named {name:?} exists already: import it with \
                         `terraform import` instead."
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
        let diagnostics = Diagnostics::new();
        let prior = request.state;
        let client = match client_for_read(&self.data, &PRODUCT, &prior) {
            Ok(client) => client,
            Err(response) => return response,
        };
        let Some(name) = string_attr(&prior, "name").map(str::to_owned) else {
            return ReadResponse {
                state: None,
                diagnostics,
            };
        };
        let listed = self.data.listed_self_hosted_databases(&client).await;
        let looked_up = listed.map(|names| {
            if names.contains(&name) {
                // The list does not show retention periods: the state keeps its own.
                Some(state(&name, string_attr(&prior, "retention_period")))
            } else {
                log::info!("database {name:?} no longer exists; removing it from state");
                None
            }
        });
        refreshed(prior, looked_up, "Error Reading Database")
    }

    async fn update(&self, request: UpdateRequest) -> UpdateResponse {
        const SUMMARY: &str = "Error Updating Database";
        let client = match require_client(&self.data, &PRODUCT, SUMMARY) {
            Ok(client) => client,
            Err(diagnostics) => {
                return UpdateResponse {
                    state: Some(request.prior),
                    diagnostics,
                };
            }
        };
        let name = string_attr(&request.prior, "name").unwrap_or_default();
        let retention_period = string_attr(&request.config, "retention_period");
        let outcome = client.set_database_retention(name, retention_period).await;
        updated(
            outcome,
            || state(name, retention_period),
            request.prior.clone(),
            SUMMARY,
        )
    }

    async fn delete(&self, request: DeleteRequest) -> DeleteResponse {
        const SUMMARY: &str = "Error Deleting Database";
        let diagnostics = Diagnostics::new();
        let client = match require_client(&self.data, &PRODUCT, SUMMARY) {
            Ok(client) => client,
            Err(diagnostics) => return DeleteResponse { diagnostics },
        };
        let Some(name) = string_attr(&request.state, "name") else {
            return DeleteResponse { diagnostics };
        };
        let deleted = client.delete_database(name).await;
        self.data.self_hosted_databases_changed();
        destroyed(deleted, &format!("database {name:?}"), SUMMARY)
    }

    fn as_import(&self) -> Option<&dyn ResourceWithImport> {
        Some(self)
    }

    fn as_identity(&self) -> Option<&dyn ResourceWithIdentity> {
        Some(self)
    }
}

#[async_trait]
impl ResourceWithImport for SelfHostedDatabaseResource {
    async fn import_state(&self, id: &str) -> ImportResponse {
        const SUMMARY: &str = "Error Importing Database";
        let mut diagnostics = Diagnostics::new();
        let name = id.trim();
        let client = match require_client(&self.data, &PRODUCT, SUMMARY) {
            Ok(client) => client,
            Err(diagnostics) => {
                return ImportResponse {
                    state: None,
                    diagnostics,
                };
            }
        };
        match self.data.listed_self_hosted_databases(&client).await {
            Ok(names) if names.iter().any(|listed| listed == name) => {
                return ImportResponse {
                    state: Some(state(name, None)),
                    diagnostics,
                };
            }
            Ok(_) => diagnostics.error(
                "Cannot Import Non-Existent Database",
                format!("The server has no database named {name:?}."),
            ),
            Err(error) => diagnostics.push(self_hosted_api_error(SUMMARY, &error)),
        }
        ImportResponse {
            state: None,
            diagnostics,
        }
    }
}

/// The resource schema; descriptions are the single source of the docs.
pub(crate) fn schema() -> Schema {
    Schema::new(
        0,
        "A database of a self-hosted InfluxDB 3 Core or Enterprise server (`product = \"core\"` \
         or `\"enterprise\"`). Destroying it deletes the database with the API's soft delete: \
         the server stops listing it, keeps its data under a new name (`NAME-<timestamp>`) until \
         it is hard-deleted, and the name can be used again at once. A database deleted outside \
         Terraform shows up as gone and is created again on the next apply. Import with the \
         database's name.",
        vec![
            Attribute::required("name", Type::String)
                .requires_replace()
                .description(
                    "The database name: letters, digits and hyphens, starting and ending with a \
                     letter or digit, at most 64 characters. Changing it replaces the database \
                     (and deletes the old one).",
                ),
            Attribute::optional("retention_period", Type::String).description(
                "How long data is kept, as a duration such as `7d`, `30d`, `52w` or `1h30m` \
                 (units s, m, h, d, w, y). Unset keeps data forever. Changed in place. The \
                 server's list of databases does not show it, so a change made outside \
                 Terraform is not detected; it is null after an import.",
            ),
            Attribute::computed("id", Type::String)
                .use_state_for_unknown()
                .description("The database name."),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_is_valid() {
        schema().validate().unwrap();
    }

    #[test]
    fn names_follow_the_published_rule() {
        for ok in ["a", "sensors", "sensor-data-2", "A1"] {
            assert!(check_database_name(ok).is_ok(), "{ok}");
        }
        let long = "a".repeat(65);
        for bad in ["", "-a", "a-", "my_db", "a b", "_internal", long.as_str()] {
            assert!(check_database_name(bad).is_err(), "{bad}");
        }
    }
}
