//! `GetProviderSchema` and `GetMetadata`.

use crate::framework::provider::Provider;
use crate::plugin::protocol as p;

use super::FrameworkServer;

/// What this engine supports: destroy plans go through the provider (so
/// resources see them), and `MoveResourceState` (a resource without the
/// ability answers with an error diagnostic).
pub(super) const CAPABILITIES: p::ServerCapabilities = p::ServerCapabilities {
    plan_destroy: true,
    get_provider_schema_optional: false,
    move_resource_state: true,
};

pub(super) fn run<P: Provider>(server: &FrameworkServer<P>) -> p::GetProviderSchemaResponse {
    p::GetProviderSchemaResponse {
        provider: server.provider_schema.to_protocol(),
        resource_schemas: server
            .resources
            .iter()
            .map(|(name, (_, schema))| (name.clone(), schema.to_protocol()))
            .collect(),
        data_source_schemas: server
            .data_sources
            .iter()
            .map(|(name, (_, schema))| (name.clone(), schema.to_protocol()))
            .collect(),
        server_capabilities: CAPABILITIES,
        diagnostics: Vec::new(),
    }
}

pub(super) fn metadata<P: Provider>(server: &FrameworkServer<P>) -> p::GetMetadataResponse {
    p::GetMetadataResponse {
        server_capabilities: CAPABILITIES,
        resources: server.resources.keys().cloned().collect(),
        data_sources: server.data_sources.keys().cloned().collect(),
        diagnostics: Vec::new(),
    }
}
