//! Data sources of the self-hosted products (InfluxDB 3 Core and Enterprise):
//!
//! - `influxdb3_self_hosted_tokens`: every token of the server, from
//!   `system.tokens`, without secrets.
//! - `influxdb3_self_hosted_databases`: the names of the active databases.

use std::sync::Arc;

use async_trait::async_trait;

use crate::framework::data_source::{DataSource, DataSourceReadResponse};
use crate::framework::diag::Diagnostics;
use crate::framework::schema::{Attribute, Schema};
use crate::framework::value::{Number, Type, Value};
use crate::provider::ProviderData;
use crate::provider::diagnostics::self_hosted_api_error;
use crate::provider::product::ProductScope;

/// The product families of the two data sources, and their Cloud
/// counterparts.
const TOKENS: ProductScope = ProductScope::self_hosted(
    "data source",
    "influxdb3_self_hosted_tokens",
    &["influxdb3_management_tokens", "influxdb3_database_tokens"],
);
const DATABASES: ProductScope = ProductScope::self_hosted(
    "data source",
    "influxdb3_self_hosted_databases",
    &["influxdb3_databases"],
);

/// `influxdb3_self_hosted_tokens`.
#[derive(Debug)]
pub(crate) struct SelfHostedTokensDataSource {
    data: Arc<ProviderData>,
}

impl SelfHostedTokensDataSource {
    pub(crate) fn new(data: Arc<ProviderData>) -> Self {
        Self { data }
    }
}

fn token_object_type() -> Type {
    Type::object([
        ("token_id", Type::Number),
        ("name", Type::String),
        ("admin", Type::Bool),
        ("permissions", Type::String),
        ("created_at", Type::String),
        ("expires_at", Type::String),
    ])
}

fn optional_string(value: Option<String>) -> Value {
    value.map_or(Value::Null, Value::string)
}

fn failed(diagnostics: Diagnostics) -> DataSourceReadResponse {
    DataSourceReadResponse {
        state: None,
        diagnostics,
    }
}

#[async_trait]
impl DataSource for SelfHostedTokensDataSource {
    fn type_name(&self) -> String {
        "influxdb3_self_hosted_tokens".to_string()
    }

    fn schema(&self) -> Schema {
        Schema::new(
            0,
            "Lists the tokens of a self-hosted InfluxDB 3 Core or Enterprise server (what \
             `influxdb3 show tokens` shows, from the `system.tokens` table), expired ones \
             included. Secrets are never available here.",
            vec![
                Attribute::computed("tokens", Type::list(token_object_type())).description(
                    "The tokens, each with `token_id`, `name`, `admin` (whether it is an admin \
                     token), `permissions` (as the server writes them; `*:*:*` for admin \
                     tokens), `created_at` and `expires_at` (null if never).",
                ),
            ],
        )
    }

    async fn read(&self, _config: Value) -> DataSourceReadResponse {
        const SUMMARY: &str = "Error Listing Tokens";
        let mut diagnostics = Diagnostics::new();
        let client = match self.data.require_v3_client_for(&TOKENS, SUMMARY) {
            Ok(client) => client,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                return failed(diagnostics);
            }
        };
        match client.list_tokens().await {
            Ok(rows) => {
                let tokens = rows.into_iter().map(|row| {
                    Value::object([
                        ("token_id", Value::number(Number::from_u64(row.token_id))),
                        ("admin", Value::bool(row.is_admin())),
                        ("name", Value::string(row.name)),
                        ("permissions", optional_string(row.permissions)),
                        ("created_at", optional_string(row.created_at)),
                        ("expires_at", optional_string(row.expiry)),
                    ])
                });
                DataSourceReadResponse {
                    state: Some(Value::object([("tokens", Value::list(tokens))])),
                    diagnostics,
                }
            }
            Err(error) => {
                diagnostics.push(self_hosted_api_error(SUMMARY, &error));
                failed(diagnostics)
            }
        }
    }
}

/// `influxdb3_self_hosted_databases`.
#[derive(Debug)]
pub(crate) struct SelfHostedDatabasesDataSource {
    data: Arc<ProviderData>,
}

impl SelfHostedDatabasesDataSource {
    pub(crate) fn new(data: Arc<ProviderData>) -> Self {
        Self { data }
    }
}

#[async_trait]
impl DataSource for SelfHostedDatabasesDataSource {
    fn type_name(&self) -> String {
        "influxdb3_self_hosted_databases".to_string()
    }

    fn schema(&self) -> Schema {
        Schema::new(
            0,
            "Lists the active databases of a self-hosted InfluxDB 3 Core or Enterprise server, \
             the server's own `_internal` included. Deleted databases are not listed.",
            vec![
                Attribute::computed("names", Type::list(Type::String))
                    .description("The database names, in the server's order."),
            ],
        )
    }

    async fn read(&self, _config: Value) -> DataSourceReadResponse {
        const SUMMARY: &str = "Error Listing Databases";
        let mut diagnostics = Diagnostics::new();
        let client = match self.data.require_v3_client_for(&DATABASES, SUMMARY) {
            Ok(client) => client,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                return failed(diagnostics);
            }
        };
        match client.list_databases().await {
            Ok(names) => DataSourceReadResponse {
                state: Some(Value::object([(
                    "names",
                    Value::list(names.into_iter().map(Value::string)),
                )])),
                diagnostics,
            },
            Err(error) => {
                diagnostics.push(self_hosted_api_error(SUMMARY, &error));
                failed(diagnostics)
            }
        }
    }
}
