//! Request and response pairs, one per RPC, named after the RPC.

use std::collections::BTreeMap;

use super::{AttributePath, Diagnostic, Schema};

/// A value encoded by Terraform: msgpack (always, from Terraform) or JSON.
/// Both empty means null.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DynamicValue {
    /// msgpack encoding.
    pub msgpack: Vec<u8>,
    /// JSON encoding (never sent by Terraform; accepted for completeness).
    pub json: Vec<u8>,
}

impl DynamicValue {
    /// A msgpack-encoded value.
    pub fn msgpack(bytes: Vec<u8>) -> Self {
        Self {
            msgpack: bytes,
            json: Vec::new(),
        }
    }
}

/// State as stored by Terraform, serialised by the schema version that wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawState {
    /// JSON encoding.
    pub json: Vec<u8>,
    /// Pre-0.12 flatmap state; unused by protocol-6 providers.
    pub flatmap: BTreeMap<String, String>,
}

/// What the client (Terraform) supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClientCapabilities {
    /// The provider may defer actions.
    pub deferral_allowed: bool,
    /// Write-only attributes are supported.
    pub write_only_attributes_allowed: bool,
}

/// What the provider supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ServerCapabilities {
    /// Terraform calls `PlanResourceChange` for destroys too.
    pub plan_destroy: bool,
    /// Terraform may skip `GetProviderSchema` and reuse a cached schema.
    pub get_provider_schema_optional: bool,
    /// The provider implements `MoveResourceState`.
    pub move_resource_state: bool,
}

/// `GetProviderSchema` response.
#[derive(Debug, Clone, Default)]
pub struct GetProviderSchemaResponse {
    /// The provider block's schema.
    pub provider: Schema,
    /// Resource schemas by type name.
    pub resource_schemas: BTreeMap<String, Schema>,
    /// Data source schemas by type name.
    pub data_source_schemas: BTreeMap<String, Schema>,
    /// Ephemeral resource schemas by type name (Terraform 1.10+).
    pub ephemeral_resource_schemas: BTreeMap<String, Schema>,
    /// List resource schemas (of the `config` block) by type name (Terraform 1.14+).
    pub list_resource_schemas: BTreeMap<String, Schema>,
    /// Action schemas (of the `config` block) by type name (Terraform 1.14+).
    pub action_schemas: BTreeMap<String, Schema>,
    /// Capabilities.
    pub server_capabilities: ServerCapabilities,
    /// Problems.
    pub diagnostics: Vec<Diagnostic>,
}

/// `GetMetadata` response.
#[derive(Debug, Clone, Default)]
pub struct GetMetadataResponse {
    /// Capabilities.
    pub server_capabilities: ServerCapabilities,
    /// Resource type names.
    pub resources: Vec<String>,
    /// Data source type names.
    pub data_sources: Vec<String>,
    /// Ephemeral resource type names.
    pub ephemeral_resources: Vec<String>,
    /// List resource type names.
    pub list_resources: Vec<String>,
    /// Action type names.
    pub actions: Vec<String>,
    /// Problems.
    pub diagnostics: Vec<Diagnostic>,
}

/// `ValidateProviderConfig` request.
#[derive(Debug, Clone, Default)]
pub struct ValidateProviderConfigRequest {
    /// The provider block; may contain unknowns.
    pub config: DynamicValue,
}

/// `ValidateProviderConfig` response.
#[derive(Debug, Clone, Default)]
pub struct ValidateProviderConfigResponse {
    /// Problems.
    pub diagnostics: Vec<Diagnostic>,
}

/// `ConfigureProvider` request.
#[derive(Debug, Clone, Default)]
pub struct ConfigureProviderRequest {
    /// The Terraform CLI version, e.g. `1.15.5`.
    pub terraform_version: String,
    /// The provider block; may contain unknowns.
    pub config: DynamicValue,
    /// Client capabilities.
    pub client_capabilities: ClientCapabilities,
}

/// `ConfigureProvider` response.
#[derive(Debug, Clone, Default)]
pub struct ConfigureProviderResponse {
    /// Problems.
    pub diagnostics: Vec<Diagnostic>,
}

/// `StopProvider` response.
#[derive(Debug, Clone, Default)]
pub struct StopProviderResponse {
    /// Non-empty when stopping failed.
    pub error: String,
}

/// `ValidateResourceConfig` request.
#[derive(Debug, Clone, Default)]
pub struct ValidateResourceConfigRequest {
    /// The resource type.
    pub type_name: String,
    /// The resource block; may contain unknowns.
    pub config: DynamicValue,
    /// Client capabilities.
    pub client_capabilities: ClientCapabilities,
}

/// `ValidateResourceConfig` response.
#[derive(Debug, Clone, Default)]
pub struct ValidateResourceConfigResponse {
    /// Problems.
    pub diagnostics: Vec<Diagnostic>,
}

/// `UpgradeResourceState` request.
#[derive(Debug, Clone, Default)]
pub struct UpgradeResourceStateRequest {
    /// The resource type.
    pub type_name: String,
    /// The schema version that wrote `raw_state`.
    pub version: i64,
    /// The stored state.
    pub raw_state: RawState,
}

/// `MoveResourceState` request (protocol 6.5, Terraform 1.8+): a `moved`
/// block from a resource of another type or provider.
#[derive(Debug, Clone, Default)]
pub struct MoveResourceStateRequest {
    /// The source resource's provider address.
    pub source_provider_address: String,
    /// The source resource type.
    pub source_type_name: String,
    /// The source resource's schema version.
    pub source_schema_version: i64,
    /// The source resource's stored state (JSON only).
    pub source_state: RawState,
    /// The target resource type (one of this provider's).
    pub target_type_name: String,
    /// The source resource's private data.
    pub source_private: Vec<u8>,
}

/// `MoveResourceState` response.
#[derive(Debug, Clone, Default)]
pub struct MoveResourceStateResponse {
    /// The target resource's state.
    pub target_state: DynamicValue,
    /// Problems.
    pub diagnostics: Vec<Diagnostic>,
    /// The target resource's private data.
    pub target_private: Vec<u8>,
}

/// `UpgradeResourceState` response.
#[derive(Debug, Clone, Default)]
pub struct UpgradeResourceStateResponse {
    /// The state under the current schema.
    pub upgraded_state: DynamicValue,
    /// Problems.
    pub diagnostics: Vec<Diagnostic>,
}

/// `ReadResource` request.
#[derive(Debug, Clone, Default)]
pub struct ReadResourceRequest {
    /// The resource type.
    pub type_name: String,
    /// The state to refresh.
    pub current_state: DynamicValue,
    /// Opaque provider data stored with the state.
    pub private: Vec<u8>,
    /// Client capabilities.
    pub client_capabilities: ClientCapabilities,
}

/// `ReadResource` response.
#[derive(Debug, Clone, Default)]
pub struct ReadResourceResponse {
    /// The refreshed state; null means the object is gone.
    pub new_state: DynamicValue,
    /// Problems.
    pub diagnostics: Vec<Diagnostic>,
    /// Opaque provider data to store.
    pub private: Vec<u8>,
}

/// `PlanResourceChange` request.
#[derive(Debug, Clone, Default)]
pub struct PlanResourceChangeRequest {
    /// The resource type.
    pub type_name: String,
    /// The current state; null for a create.
    pub prior_state: DynamicValue,
    /// Terraform's merge of configuration and prior state; null for a destroy.
    pub proposed_new_state: DynamicValue,
    /// The configuration; null for a destroy.
    pub config: DynamicValue,
    /// Opaque provider data of the prior state.
    pub prior_private: Vec<u8>,
    /// Client capabilities.
    pub client_capabilities: ClientCapabilities,
}

/// `PlanResourceChange` response.
#[derive(Debug, Clone, Default)]
pub struct PlanResourceChangeResponse {
    /// The planned state.
    pub planned_state: DynamicValue,
    /// Attributes whose change forces a replacement.
    pub requires_replace: Vec<AttributePath>,
    /// Opaque provider data for the apply.
    pub planned_private: Vec<u8>,
    /// Problems.
    pub diagnostics: Vec<Diagnostic>,
}

/// `ApplyResourceChange` request.
#[derive(Debug, Clone, Default)]
pub struct ApplyResourceChangeRequest {
    /// The resource type.
    pub type_name: String,
    /// The current state; null for a create.
    pub prior_state: DynamicValue,
    /// The planned state; null for a delete.
    pub planned_state: DynamicValue,
    /// The configuration; null for a delete.
    pub config: DynamicValue,
    /// Opaque provider data from the plan.
    pub planned_private: Vec<u8>,
}

/// `ApplyResourceChange` response.
#[derive(Debug, Clone, Default)]
pub struct ApplyResourceChangeResponse {
    /// The new state; null after a delete.
    pub new_state: DynamicValue,
    /// Opaque provider data to store.
    pub private: Vec<u8>,
    /// Problems.
    pub diagnostics: Vec<Diagnostic>,
}

/// `ImportResourceState` request.
#[derive(Debug, Clone, Default)]
pub struct ImportResourceStateRequest {
    /// The resource type.
    pub type_name: String,
    /// The id the user gave; empty when importing by identity.
    pub id: String,
    /// Client capabilities.
    pub client_capabilities: ClientCapabilities,
    /// The identity an `import {}` block gave (Terraform 1.12+), instead of `id`.
    pub identity: Option<DynamicValue>,
}

/// One imported object.
#[derive(Debug, Clone, Default)]
pub struct ImportedResource {
    /// Its resource type.
    pub type_name: String,
    /// Its state, usually only the id set.
    pub state: DynamicValue,
    /// Opaque provider data.
    pub private: Vec<u8>,
}

/// `ImportResourceState` response.
#[derive(Debug, Clone, Default)]
pub struct ImportResourceStateResponse {
    /// The imported objects; Terraform uses the first.
    pub imported_resources: Vec<ImportedResource>,
    /// Problems.
    pub diagnostics: Vec<Diagnostic>,
}

/// `ValidateDataResourceConfig` request.
#[derive(Debug, Clone, Default)]
pub struct ValidateDataResourceConfigRequest {
    /// The data source type.
    pub type_name: String,
    /// The data block; may contain unknowns.
    pub config: DynamicValue,
}

/// `ValidateDataResourceConfig` response.
#[derive(Debug, Clone, Default)]
pub struct ValidateDataResourceConfigResponse {
    /// Problems.
    pub diagnostics: Vec<Diagnostic>,
}

/// `ReadDataSource` request.
#[derive(Debug, Clone, Default)]
pub struct ReadDataSourceRequest {
    /// The data source type.
    pub type_name: String,
    /// The data block, wholly known.
    pub config: DynamicValue,
    /// Client capabilities.
    pub client_capabilities: ClientCapabilities,
}

/// `ReadDataSource` response.
#[derive(Debug, Clone, Default)]
pub struct ReadDataSourceResponse {
    /// The data source's state, wholly known.
    pub state: DynamicValue,
    /// Problems.
    pub diagnostics: Vec<Diagnostic>,
}
