//! The data source trait.

use async_trait::async_trait;

use super::diag::Diagnostics;
use super::schema::Schema;
use super::value::Value;

/// A data source type.
#[async_trait]
pub trait DataSource: Send + Sync + 'static {
    /// The full type name (`influxdb3_management_tokens`).
    fn type_name(&self) -> String;

    /// The schema.
    fn schema(&self) -> Schema;

    /// Checks a configuration that may contain unknowns. Default: accepts all.
    async fn validate_config(&self, _config: &Value) -> Diagnostics {
        Diagnostics::new()
    }

    /// Reads the data. `config` is wholly known. The state returned must be
    /// wholly known and non-null.
    async fn read(&self, config: Value) -> DataSourceReadResponse;
}

/// Output of [`DataSource::read`].
#[derive(Debug, Default)]
pub struct DataSourceReadResponse {
    /// The data source's state.
    pub state: Option<Value>,
    /// Problems.
    pub diagnostics: Diagnostics,
}
