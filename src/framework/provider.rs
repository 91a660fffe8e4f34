//! The provider trait: its configuration and the types it offers.

use std::sync::Arc;

use async_trait::async_trait;
use tokio_util::sync::CancellationToken;

use super::action::Action;
use super::data_source::DataSource;
use super::diag::Diagnostics;
use super::ephemeral_resource::EphemeralResource;
use super::list_resource::ListResource;
use super::resource::Resource;
use super::schema::Schema;
use super::value::Value;

/// A provider: a configuration block plus resource and data source types.
#[async_trait]
pub trait Provider: Send + Sync + 'static {
    /// The provider type name (`influxdb3`); resource names start with it.
    fn type_name(&self) -> &'static str;

    /// The schema of the `provider` block.
    fn schema(&self) -> Schema;

    /// Checks the `provider` block, which may contain unknown values. Default: accepts all.
    async fn validate_config(&self, _config: &Value) -> Diagnostics {
        Diagnostics::new()
    }

    /// Configures the provider for the rest of the process. Called once per
    /// process before any resource operation.
    async fn configure(&self, request: ConfigureRequest) -> Diagnostics;

    /// Every resource type.
    fn resources(&self) -> Vec<Arc<dyn Resource>>;

    /// Every data source type.
    fn data_sources(&self) -> Vec<Arc<dyn DataSource>>;

    /// Every ephemeral resource type (Terraform 1.10+). Default: none.
    fn ephemeral_resources(&self) -> Vec<Arc<dyn EphemeralResource>> {
        Vec::new()
    }

    /// Every list resource type (Terraform 1.14+). Default: none.
    fn list_resources(&self) -> Vec<Arc<dyn ListResource>> {
        Vec::new()
    }

    /// Every action type (Terraform 1.14+). Default: none.
    fn actions(&self) -> Vec<Arc<dyn Action>> {
        Vec::new()
    }
}

/// Input of [`Provider::configure`].
#[derive(Debug, Clone)]
pub struct ConfigureRequest {
    /// The `provider` block. May contain unknowns when it depends on resources
    /// not yet created.
    pub config: Value,
    /// The Terraform CLI version, e.g. `1.15.5`.
    pub terraform_version: String,
    /// Cancelled when Terraform calls `StopProvider` (Ctrl-C): in-flight and
    /// later network calls should end promptly.
    pub stop: CancellationToken,
}
