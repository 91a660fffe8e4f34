//! `GetProviderSchema` and `GetMetadata`.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::framework::provider::Provider;
use crate::framework::schema::Schema;
use crate::plugin::protocol as p;

use super::FrameworkServer;

/// What this engine supports. `plan_destroy`: Terraform sends destroy plans
/// to `PlanResourceChange` (Terraform 1.3+), where the engine plans null at
/// once; a resource's `modify_plan` never sees them. `move_resource_state`:
/// `moved` blocks across types reach the resource's move ability (a resource
/// without it answers with an error diagnostic). `get_provider_schema_optional`:
/// the schema never changes between processes of one binary, so Terraform
/// (1.6+) may reuse the schema it already fetched instead of calling
/// `GetProviderSchema` again in every provider process it starts.
pub(super) const CAPABILITIES: p::ServerCapabilities = p::ServerCapabilities {
    plan_destroy: true,
    get_provider_schema_optional: true,
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
        ephemeral_resource_schemas: schemas_of(&server.newer.ephemeral_resources),
        list_resource_schemas: schemas_of(&server.newer.list_resources),
        action_schemas: schemas_of(&server.newer.actions),
        server_capabilities: CAPABILITIES,
        diagnostics: Vec::new(),
    }
}

fn schemas_of<T: ?Sized>(
    registry: &BTreeMap<String, (Arc<T>, Schema)>,
) -> BTreeMap<String, p::Schema> {
    registry
        .iter()
        .map(|(name, (_, schema))| (name.clone(), schema.to_protocol()))
        .collect()
}

pub(super) fn metadata<P: Provider>(server: &FrameworkServer<P>) -> p::GetMetadataResponse {
    let [ephemeral_resources, list_resources, actions] = server.newer.type_names();
    p::GetMetadataResponse {
        ephemeral_resources,
        list_resources,
        actions,
        server_capabilities: CAPABILITIES,
        resources: server.resources.keys().cloned().collect(),
        data_sources: server.data_sources.keys().cloned().collect(),
        diagnostics: Vec::new(),
    }
}
