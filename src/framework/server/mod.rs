//! The engine: runs each RPC for a [`Provider`], one file per RPC.
//!
//! [`FrameworkServer`] implements the plugin layer's [`ProviderServer`]. Each
//! handler has the same shape: decode the request's values by the schema,
//! look up the resource, call the user's implementation, check what it
//! returned against Terraform's rules, encode the response. User code never
//! sees msgpack.

mod action;
mod apply_resource_change;
mod attribute_validation;
mod codec;
mod configure_provider;
mod consistency;
mod ephemeral_resource;
mod get_provider_schema;
mod identity;
mod import_resource_state;
mod list_resource;
mod move_resource_state;
mod newer_kinds;
mod plan_resource_change;
mod planning;
mod read_data_source;
mod read_resource;
mod upgrade_resource_state;
mod validate;

use std::collections::BTreeMap;
use std::sync::Arc;

use async_trait::async_trait;
use tokio_util::sync::CancellationToken;

use crate::plugin::protocol as p;
use crate::plugin::protocol::ProviderServer;

use super::data_source::DataSource;
use super::diag::Diagnostics;
use super::provider::Provider;
use super::resource::Resource;
use super::schema::Schema;

/// Serves a [`Provider`] over the plugin protocol.
pub struct FrameworkServer<P: Provider> {
    provider: Arc<P>,
    provider_schema: Schema,
    resources: BTreeMap<String, (Arc<dyn Resource>, Schema)>,
    data_sources: BTreeMap<String, (Arc<dyn DataSource>, Schema)>,
    newer: newer_kinds::NewerKinds,
    stop: CancellationToken,
}

impl<P: Provider> std::fmt::Debug for FrameworkServer<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FrameworkServer")
            .field("provider", &self.provider.type_name())
            .field("resources", &self.resources.keys().collect::<Vec<_>>())
            .field(
                "data_sources",
                &self.data_sources.keys().collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl<P: Provider> FrameworkServer<P> {
    /// Collects the provider's schemas and types.
    pub fn new(provider: P) -> Self {
        let provider = Arc::new(provider);
        let resources = provider
            .resources()
            .into_iter()
            .map(|resource| (resource.type_name(), (resource.clone(), resource.schema())))
            .collect();
        let data_sources = provider
            .data_sources()
            .into_iter()
            .map(|data_source| {
                (
                    data_source.type_name(),
                    (data_source.clone(), data_source.schema()),
                )
            })
            .collect();
        Self {
            provider_schema: provider.schema(),
            newer: newer_kinds::NewerKinds::collect(&*provider),
            provider,
            resources,
            data_sources,
            stop: CancellationToken::new(),
        }
    }

    /// Cancelled when Terraform calls `StopProvider`.
    pub fn stop_token(&self) -> CancellationToken {
        self.stop.clone()
    }

    fn resource(&self, type_name: &str) -> Result<&(Arc<dyn Resource>, Schema), Diagnostics> {
        self.resources
            .get(type_name)
            .ok_or_else(|| unknown_type("resource", type_name))
    }

    fn data_source(&self, type_name: &str) -> Result<&(Arc<dyn DataSource>, Schema), Diagnostics> {
        self.data_sources
            .get(type_name)
            .ok_or_else(|| unknown_type("data source", type_name))
    }
}

fn unknown_type(kind: &str, type_name: &str) -> Diagnostics {
    let mut diagnostics = Diagnostics::new();
    diagnostics.error(
        format!("Unknown {} Type", if kind == "resource" { "Resource" } else { "Data Source" }),
        format!("This provider has no {kind} type {type_name:?}. This is a bug in Terraform or the provider."),
    );
    diagnostics
}

#[async_trait]
impl<P: Provider> ProviderServer for FrameworkServer<P> {
    async fn get_provider_schema(&self) -> p::GetProviderSchemaResponse {
        get_provider_schema::run(self)
    }

    async fn get_metadata(&self) -> p::GetMetadataResponse {
        get_provider_schema::metadata(self)
    }

    async fn validate_provider_config(
        &self,
        request: p::ValidateProviderConfigRequest,
    ) -> p::ValidateProviderConfigResponse {
        validate::provider_config(self, request).await
    }

    async fn configure_provider(
        &self,
        request: p::ConfigureProviderRequest,
    ) -> p::ConfigureProviderResponse {
        configure_provider::run(self, request).await
    }

    async fn stop_provider(&self) -> p::StopProviderResponse {
        log::debug!("StopProvider: cancelling in-flight work");
        self.stop.cancel();
        p::StopProviderResponse::default()
    }

    async fn validate_resource_config(
        &self,
        request: p::ValidateResourceConfigRequest,
    ) -> p::ValidateResourceConfigResponse {
        validate::resource_config(self, request).await
    }

    async fn upgrade_resource_state(
        &self,
        request: p::UpgradeResourceStateRequest,
    ) -> p::UpgradeResourceStateResponse {
        upgrade_resource_state::run(self, request).await
    }

    async fn read_resource(&self, request: p::ReadResourceRequest) -> p::ReadResourceResponse {
        read_resource::run(self, request).await
    }

    async fn plan_resource_change(
        &self,
        request: p::PlanResourceChangeRequest,
    ) -> p::PlanResourceChangeResponse {
        plan_resource_change::run(self, request).await
    }

    async fn apply_resource_change(
        &self,
        request: p::ApplyResourceChangeRequest,
    ) -> p::ApplyResourceChangeResponse {
        apply_resource_change::run(self, request).await
    }

    async fn import_resource_state(
        &self,
        mut request: p::ImportResourceStateRequest,
    ) -> p::ImportResourceStateResponse {
        if let Err(diagnostics) = identity::resolve_import_id(self, &mut request).await {
            return p::ImportResourceStateResponse {
                diagnostics: diagnostics.into_protocol(),
                ..Default::default()
            };
        }
        import_resource_state::run(self, request).await
    }

    async fn validate_data_resource_config(
        &self,
        request: p::ValidateDataResourceConfigRequest,
    ) -> p::ValidateDataResourceConfigResponse {
        validate::data_resource_config(self, request).await
    }

    async fn read_data_source(
        &self,
        request: p::ReadDataSourceRequest,
    ) -> p::ReadDataSourceResponse {
        read_data_source::run(self, request).await
    }

    async fn get_resource_identity_schemas(&self) -> p::GetResourceIdentitySchemasResponse {
        identity::schemas(self)
    }

    async fn upgrade_resource_identity(
        &self,
        request: p::UpgradeResourceIdentityRequest,
    ) -> p::UpgradeResourceIdentityResponse {
        identity::upgrade(self, request)
    }

    async fn resource_identity(
        &self,
        type_name: &str,
        state: &p::DynamicValue,
    ) -> p::ResourceIdentityResponse {
        identity::of_state(self, type_name, state)
    }

    async fn validate_ephemeral_resource_config(
        &self,
        request: p::ValidateEphemeralResourceConfigRequest,
    ) -> p::ValidateEphemeralResourceConfigResponse {
        ephemeral_resource::validate(self, request).await
    }

    async fn open_ephemeral_resource(
        &self,
        request: p::OpenEphemeralResourceRequest,
    ) -> p::OpenEphemeralResourceResponse {
        ephemeral_resource::open(self, request).await
    }

    async fn renew_ephemeral_resource(
        &self,
        request: p::RenewEphemeralResourceRequest,
    ) -> p::RenewEphemeralResourceResponse {
        ephemeral_resource::renew(self, request).await
    }

    async fn close_ephemeral_resource(
        &self,
        request: p::CloseEphemeralResourceRequest,
    ) -> p::CloseEphemeralResourceResponse {
        ephemeral_resource::close(self, request).await
    }

    async fn validate_list_resource_config(
        &self,
        request: p::ValidateListResourceConfigRequest,
    ) -> p::ValidateListResourceConfigResponse {
        list_resource::validate(self, request).await
    }

    async fn list_resource(
        &self,
        request: p::ListResourceRequest,
    ) -> p::EventStream<p::ListResourceEvent> {
        list_resource::list(self, request).await
    }

    async fn validate_action_config(
        &self,
        request: p::ValidateActionConfigRequest,
    ) -> p::ValidateActionConfigResponse {
        action::validate(self, request).await
    }

    async fn plan_action(&self, request: p::PlanActionRequest) -> p::PlanActionResponse {
        action::plan(self, request).await
    }

    async fn invoke_action(
        &self,
        request: p::InvokeActionRequest,
    ) -> p::EventStream<p::InvokeActionEvent> {
        action::invoke(self, request).await
    }

    async fn move_resource_state(
        &self,
        request: p::MoveResourceStateRequest,
    ) -> p::MoveResourceStateResponse {
        move_resource_state::run(self, request).await
    }
}

#[cfg(test)]
mod nested_tests;
#[cfg(test)]
mod newer_kinds_tests;
#[cfg(test)]
mod planning_tests;
#[cfg(test)]
mod state_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod validation_tests;
