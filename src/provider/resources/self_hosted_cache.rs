//! What `influxdb3_self_hosted_last_cache` and
//! `influxdb3_self_hosted_distinct_cache` share: one generic resource over a
//! [`CacheSpec`]. A cache cannot be changed, so every argument forces a
//! replacement; arguments left unset take the server's values, read back
//! after the create from the database's system table (`system.last_caches`,
//! `system.distinct_caches`), which is also how read and import find a cache.
//! A cache missing from it, or a database the query cannot find, is gone.

use std::marker::PhantomData;
use std::sync::Arc;

use async_trait::async_trait;

use super::self_hosted_common::{
    Check, check_attribute, client_for_read, destroyed, refreshed, require_client, string_attr,
};
use super::self_hosted_database::check_database_name;
use super::self_hosted_table_schema::check_table_name;
use crate::framework::diag::{Diagnostic, Diagnostics};
use crate::framework::path::Path;
use crate::framework::resource::{
    CreateRequest, CreateResponse, DeleteRequest, DeleteResponse, ImportResponse, PlanContext,
    ReadRequest, ReadResponse, Resource, ResourceWithImport,
};
use crate::framework::schema::{Attribute, Schema, Validator};
use crate::framework::value::{Type, Value};
use crate::provider::ProviderData;
use crate::provider::client::ClientError;
use crate::provider::diagnostics::self_hosted_api_error;
use crate::provider::product::ProductScope;
use crate::provider::v3_client::{CacheKind, V3Client};

/// One kind of cache.
#[async_trait]
pub(crate) trait CacheSpec: Send + Sync + 'static {
    /// A row of the kind's system table.
    type Row: Send + Sync;
    const TYPE_NAME: &'static str;
    const KIND: CacheKind;
    /// "Last Value Cache" or "Distinct Value Cache", for diagnostics.
    const NOUN: &'static str;
    /// The schema: [`identity_attributes`] plus the kind's own.
    fn schema() -> Schema;
    /// Checks of the kind's own attributes.
    fn validate(config: &Value, diagnostics: &mut Diagnostics);
    /// Creates the cache `config` describes.
    async fn create(client: &V3Client, config: &Value) -> Result<(), ClientError>;
    /// The rows of the system table of `db`; `None` without that database.
    async fn rows(client: &V3Client, db: &str) -> Result<Option<Vec<Self::Row>>, ClientError>;
    /// The `(table, name)` of a row.
    fn row_identity(row: &Self::Row) -> (&str, &str);
    /// The kind's own attributes: the configured value where there is one,
    /// else the row's (`config` is `None` on import).
    fn own_attributes(config: Option<&Value>, row: &Self::Row) -> Vec<(&'static str, Value)>;
}

/// A cache resource of the kind `S`.
pub(crate) struct SelfHostedCacheResource<S> {
    data: Arc<ProviderData>,
    kind: PhantomData<fn() -> S>,
}

impl<S> std::fmt::Debug for SelfHostedCacheResource<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SelfHostedCacheResource")
            .finish_non_exhaustive()
    }
}

impl<S: CacheSpec> SelfHostedCacheResource<S> {
    /// The product family of the resource; the Cloud products have no caches.
    const PRODUCT: ProductScope = ProductScope::self_hosted("resource", S::TYPE_NAME, &[]);

    pub(crate) fn new(data: Arc<ProviderData>) -> Self {
        Self {
            data,
            kind: PhantomData,
        }
    }

    /// The row of `table`/`name` in `db`: `Ok(None)` when the cache, its table
    /// or its database is gone.
    async fn find(
        client: &V3Client,
        db: &str,
        table: &str,
        name: &str,
    ) -> Result<Option<S::Row>, ClientError> {
        let rows = S::rows(client, db).await?.unwrap_or_default();
        Ok(rows
            .into_iter()
            .find(|row| S::row_identity(row) == (table, name)))
    }
}

/// `database`, `table`, `name` (all required, forcing a replacement) and `id`.
pub(crate) fn identity_attributes(noun: &str) -> Vec<Attribute> {
    vec![
        Attribute::required("database", Type::String)
            .requires_replace()
            .description("The name of the database that holds the table."),
        Attribute::required("table", Type::String)
            .requires_replace()
            .description("The name of the table the cache belongs to."),
        Attribute::required("name", Type::String)
            .requires_replace()
            .description(format!(
                "The {noun}'s name, unique among the table's caches of this kind; no `/`."
            )),
        Attribute::computed("id", Type::String)
            .use_state_for_unknown()
            .description("`DATABASE/TABLE/NAME`, the import id."),
    ]
}

/// An optional list of column names, taking the server's value when unset.
pub(crate) fn server_default_columns(name: &str, description: &str) -> Attribute {
    Attribute::optional_computed(name, Type::list(Type::String))
        .requires_replace()
        .use_state_for_unknown()
        .description(description)
}

/// An optional whole number from `min` to `max`, taking the server's value
/// when unset.
pub(crate) fn server_default_number(
    name: &str,
    min: i64,
    max: i64,
    description: &str,
) -> Attribute {
    Attribute::optional_computed(name, Type::Number)
        .requires_replace()
        .use_state_for_unknown()
        .validator(Validator::int_range(min, max))
        .description(description)
}

/// The `database`, `table` and `name` of a configuration.
pub(crate) fn target(config: &Value) -> (String, String, String) {
    let text = |name| string_attr(config, name).unwrap_or_default().to_owned();
    (text("database"), text("table"), text("name"))
}

/// The strings of the list attribute `name`; `None` when null or not known.
pub(crate) fn string_list(value: &Value, name: &str) -> Option<Vec<String>> {
    value
        .get_attr(name)?
        .as_elements()?
        .iter()
        .map(|element| element.as_str().map(str::to_owned))
        .collect()
}

/// The whole number of attribute `name`; `None` when null or not known.
pub(crate) fn whole_number(value: &Value, name: &str) -> Option<u64> {
    value.get_attr(name)?.as_number()?.as_u64()
}

/// The configured value of `name` when it is set, else `fallback`.
pub(crate) fn configured_or(config: Option<&Value>, name: &str, fallback: Value) -> Value {
    match config.and_then(|config| config.get_attr(name)) {
        Some(value) if !value.is_null() => value.clone(),
        _ => fallback,
    }
}

pub(crate) fn strings_value(items: &[String]) -> Value {
    Value::list(items.iter().map(Value::string))
}

/// Column names in a list attribute: non-empty, none repeated.
pub(crate) fn check_columns(config: &Value, name: &str, diagnostics: &mut Diagnostics) {
    let Some(columns) = string_list(config, name) else {
        return;
    };
    for (index, column) in columns.iter().enumerate() {
        let problem = if column.is_empty() {
            "A column name must not be empty.".to_owned()
        } else if columns[..index].contains(column) {
            format!("Column {column:?} is repeated.")
        } else {
            continue;
        };
        diagnostics.attribute_error(
            Path::root(name).index(index as i64),
            "Invalid Column",
            problem,
        );
    }
}

/// `DATABASE/TABLE/NAME`: the database up to the first `/`, the name after the
/// last, the table between (a table name may hold a `/`).
fn parse_import_id(id: &str) -> Result<(&str, &str, &str), Diagnostic> {
    let invalid = |problem: String| {
        Diagnostic::error(
            "Invalid Import ID",
            format!(
                "{problem} Import a cache with `DATABASE/TABLE/NAME`, for example \
                 `sensors/cpu/cpu_latest`."
            ),
        )
    };
    let (Some((database, rest)), Some((_, name))) = (id.split_once('/'), id.rsplit_once('/'))
    else {
        return Err(invalid("The id has fewer than two `/`.".to_owned()));
    };
    let Some((table, _)) = rest.rsplit_once('/') else {
        return Err(invalid("The id has fewer than two `/`.".to_owned()));
    };
    check_database_name(database).map_err(invalid)?;
    check_table_name(table).map_err(invalid)?;
    check_cache_name(name).map_err(invalid)?;
    Ok((database, table, name))
}

fn check_cache_name(name: &str) -> Result<(), String> {
    if name.is_empty() || name.contains('/') || name.chars().any(char::is_control) {
        return Err("A cache name must be non-empty, without `/` or control characters.".into());
    }
    Ok(())
}

impl<S: CacheSpec> SelfHostedCacheResource<S> {
    fn state(database: &str, config: Option<&Value>, row: &S::Row) -> Value {
        let (table, name) = S::row_identity(row);
        let mut attributes = vec![
            ("database", Value::string(database)),
            ("table", Value::string(table)),
            ("name", Value::string(name)),
            ("id", Value::string(format!("{database}/{table}/{name}"))),
        ];
        attributes.extend(S::own_attributes(config, row));
        Value::object(attributes)
    }
}

#[async_trait]
impl<S: CacheSpec> Resource for SelfHostedCacheResource<S> {
    fn type_name(&self) -> String {
        S::TYPE_NAME.to_string()
    }

    fn schema(&self) -> Schema {
        S::schema()
    }

    async fn validate_config(&self, config: &Value) -> Diagnostics {
        let mut diagnostics = Diagnostics::new();
        let checks: [(&str, &str, Check); 3] = [
            ("database", "Invalid Database Name", check_database_name),
            ("table", "Invalid Table Name", check_table_name),
            ("name", "Invalid Cache Name", check_cache_name),
        ];
        for (attribute, summary, check) in checks {
            check_attribute(config, attribute, summary, check, &mut diagnostics);
        }
        S::validate(config, &mut diagnostics);
        diagnostics
    }

    async fn modify_plan(&self, plan: &mut PlanContext) {
        if let Some(diagnostic) = self.data.wrong_product_for(&Self::PRODUCT) {
            plan.diagnostics.push(diagnostic);
        }
    }

    async fn create(&self, request: CreateRequest) -> CreateResponse {
        let summary = format!("Error Creating {}", S::NOUN);
        let mut diagnostics = Diagnostics::new();
        let client = match require_client(&self.data, &Self::PRODUCT, &summary) {
            Ok(client) => client,
            Err(diagnostics) => {
                return CreateResponse {
                    state: None,
                    diagnostics,
                };
            }
        };
        let config = &request.config;
        let (database, table, name) = (
            string_attr(config, "database").unwrap_or_default(),
            string_attr(config, "table").unwrap_or_default(),
            string_attr(config, "name").unwrap_or_default(),
        );
        if let Err(error) = S::create(&client, config).await {
            let mut diagnostic = self_hosted_api_error(&summary, &error);
            if matches!(error.status(), Some(400 | 409)) {
                diagnostic.detail.push_str(&format!(
                    " If the cache exists already, import it with `terraform import {}.<name> \
                     {database}/{table}/{name}` instead.",
                    S::TYPE_NAME
                ));
            }
            diagnostics.push(diagnostic);
            return CreateResponse {
                state: None,
                diagnostics,
            };
        }
        log::info!("created {} {database:?}/{table:?}/{name:?}", S::NOUN);
        // The values the server chose for what the configuration left unset.
        match Self::find(&client, database, table, name).await {
            Ok(Some(row)) => CreateResponse {
                state: Some(Self::state(database, Some(config), &row)),
                diagnostics,
            },
            Ok(None) => {
                diagnostics.error(
                    summary,
                    format!(
                        "The server accepted the {} but does not list it in its system table; \
                         refresh, or import it with {database}/{table}/{name}.",
                        S::NOUN
                    ),
                );
                CreateResponse {
                    state: None,
                    diagnostics,
                }
            }
            Err(error) => {
                diagnostics.push(self_hosted_api_error(&summary, &error));
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
        let client = match client_for_read(&self.data, &Self::PRODUCT, &prior) {
            Ok(client) => client,
            Err(response) => return response,
        };
        let (Some(database), Some(table), Some(name)) = (
            string_attr(&prior, "database"),
            string_attr(&prior, "table"),
            string_attr(&prior, "name"),
        ) else {
            return ReadResponse {
                state: None,
                diagnostics,
            };
        };
        let found = Self::find(&client, database, table, name).await;
        let looked_up = found.map(|row| {
            if row.is_none() {
                log::info!(
                    "{} {database:?}/{table:?}/{name:?} no longer exists; removing it from state",
                    S::NOUN
                );
            }
            // The state keeps its own values: a cache cannot change.
            row.map(|_| prior.clone())
        });
        refreshed(prior, looked_up, &format!("Error Reading {}", S::NOUN))
    }

    async fn delete(&self, request: DeleteRequest) -> DeleteResponse {
        let summary = format!("Error Deleting {}", S::NOUN);
        let diagnostics = Diagnostics::new();
        let client = match require_client(&self.data, &Self::PRODUCT, &summary) {
            Ok(client) => client,
            Err(diagnostics) => return DeleteResponse { diagnostics },
        };
        let (Some(database), Some(table), Some(name)) = (
            string_attr(&request.state, "database"),
            string_attr(&request.state, "table"),
            string_attr(&request.state, "name"),
        ) else {
            return DeleteResponse { diagnostics };
        };
        let deleted = client.delete_cache(S::KIND, database, table, name).await;
        let what = format!("{} {database:?}/{table:?}/{name:?}", S::NOUN);
        destroyed(deleted, &what, &summary)
    }

    fn as_import(&self) -> Option<&dyn ResourceWithImport> {
        Some(self)
    }
}

#[async_trait]
impl<S: CacheSpec> ResourceWithImport for SelfHostedCacheResource<S> {
    async fn import_state(&self, id: &str) -> ImportResponse {
        let summary = format!("Error Importing {}", S::NOUN);
        let mut diagnostics = Diagnostics::new();
        let (database, table, name) = match parse_import_id(id.trim()) {
            Ok(parts) => parts,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                return ImportResponse {
                    state: None,
                    diagnostics,
                };
            }
        };
        let client = match require_client(&self.data, &Self::PRODUCT, &summary) {
            Ok(client) => client,
            Err(diagnostics) => {
                return ImportResponse {
                    state: None,
                    diagnostics,
                };
            }
        };
        match Self::find(&client, database, table, name).await {
            Ok(Some(row)) => {
                return ImportResponse {
                    state: Some(Self::state(database, None, &row)),
                    diagnostics,
                };
            }
            Ok(None) => diagnostics.error(
                format!("Cannot Import Non-Existent {}", S::NOUN),
                format!(
                    "The server lists no {} named {name:?} on table {table:?} of database \
                     {database:?}.",
                    S::NOUN
                ),
            ),
            Err(error) => diagnostics.push(self_hosted_api_error(&summary, &error)),
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

    #[test]
    fn import_ids_name_a_database_a_table_and_a_cache() {
        assert_eq!(
            parse_import_id("sensors/cpu/latest").ok(),
            Some(("sensors", "cpu", "latest"))
        );
        assert_eq!(
            parse_import_id("sensors/a/b/latest").ok(),
            Some(("sensors", "a/b", "latest"))
        );
        for bad in [
            "sensors",
            "sensors/cpu",
            "sensors//latest",
            "sensors/cpu/",
            "my_db/cpu/x",
        ] {
            assert!(parse_import_id(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn column_lists_are_checked() {
        let config = Value::object([(
            "columns",
            Value::list([Value::string("a"), Value::string(""), Value::string("a")]),
        )]);
        let mut diagnostics = Diagnostics::new();
        check_columns(&config, "columns", &mut diagnostics);
        let text = format!("{diagnostics:?}");
        assert!(
            text.contains("must not be empty") && text.contains("repeated"),
            "{text}"
        );
    }
}
