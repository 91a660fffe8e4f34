//! Hand-written types of the tfplugin6 protocol, and the [`ProviderServer`] trait.
//!
//! These mirror the protobuf messages closely (like terraform-plugin-go's
//! `tfprotov6`), but carry no prost or tonic types: the layer above (the
//! framework) is written against these, and the conversions to and from the
//! generated code live in `plugin::convert`. Values stay encoded
//! ([`DynamicValue`]): decoding them needs a schema, which is the framework's
//! business.

mod diagnostics;
mod requests;
mod schema;

pub use diagnostics::{AttributePath, AttributePathStep, Diagnostic, Severity};
pub use requests::*;
pub use schema::{
    NestedBlockNesting, ObjectNesting, Schema, SchemaAttribute, SchemaBlock, SchemaNestedBlock,
    SchemaObject, StringKind,
};

/// The RPCs of protocol 6 that a provider implements.
///
/// Terraform calls them concurrently; an implementation must be `Send + Sync`.
/// Every method answers with a response carrying diagnostics: user-facing
/// problems are diagnostics, never transport errors. RPCs not listed here are
/// answered `Unimplemented` by the transport, which Terraform tolerates for the
/// features this provider does not advertise.
#[async_trait::async_trait]
pub trait ProviderServer: Send + Sync + 'static {
    /// Every schema of the provider; called once per Terraform process that needs them.
    async fn get_provider_schema(&self) -> GetProviderSchemaResponse;
    /// The resource and data source type names, for clients that ask (Terraform 1.15 does not).
    async fn get_metadata(&self) -> GetMetadataResponse;
    /// Checks the provider block, which may still contain unknown values.
    async fn validate_provider_config(
        &self,
        request: ValidateProviderConfigRequest,
    ) -> ValidateProviderConfigResponse;
    /// Configures the provider before any resource operation of the process.
    async fn configure_provider(
        &self,
        request: ConfigureProviderRequest,
    ) -> ConfigureProviderResponse;
    /// Asks the provider to cancel in-flight work (Terraform's Ctrl-C).
    async fn stop_provider(&self) -> StopProviderResponse;
    /// Checks a resource block.
    async fn validate_resource_config(
        &self,
        request: ValidateResourceConfigRequest,
    ) -> ValidateResourceConfigResponse;
    /// Turns stored JSON state into a value of the current schema.
    async fn upgrade_resource_state(
        &self,
        request: UpgradeResourceStateRequest,
    ) -> UpgradeResourceStateResponse;
    /// Refreshes a resource from the remote system.
    async fn read_resource(&self, request: ReadResourceRequest) -> ReadResourceResponse;
    /// Plans a create, update or destroy.
    async fn plan_resource_change(
        &self,
        request: PlanResourceChangeRequest,
    ) -> PlanResourceChangeResponse;
    /// Carries out a planned change.
    async fn apply_resource_change(
        &self,
        request: ApplyResourceChangeRequest,
    ) -> ApplyResourceChangeResponse;
    /// Imports an existing remote object by id.
    async fn import_resource_state(
        &self,
        request: ImportResourceStateRequest,
    ) -> ImportResourceStateResponse;
    /// Checks a data source block.
    async fn validate_data_resource_config(
        &self,
        request: ValidateDataResourceConfigRequest,
    ) -> ValidateDataResourceConfigResponse;
    /// Reads a data source.
    async fn read_data_source(&self, request: ReadDataSourceRequest) -> ReadDataSourceResponse;
    /// Takes over the state of a resource of another type (`moved` blocks
    /// across types). The default refuses with an error diagnostic.
    async fn move_resource_state(
        &self,
        request: MoveResourceStateRequest,
    ) -> MoveResourceStateResponse {
        MoveResourceStateResponse {
            diagnostics: vec![Diagnostic {
                severity: Severity::Error,
                summary: "Unable to Move Resource State".to_string(),
                detail: format!(
                    "This provider cannot move state from {} into {}.",
                    request.source_type_name, request.target_type_name
                ),
                attribute: None,
            }],
            ..Default::default()
        }
    }
}
