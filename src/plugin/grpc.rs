//! The gRPC service `tfplugin6.Provider` adapted onto a [`ProviderServer`]
//! (go-plugin's auxiliary services are in `go_plugin_services.rs`, the
//! handlers of protocol 6.7+ in `grpc_newer.rs`).
//!
//! Every provider handler has the same shape: convert the request in, call the
//! [`ProviderServer`] under a panic guard, convert the response out. A panic in
//! a handler becomes an error diagnostic naming the RPC (and a log line), not a
//! dropped connection.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Instant;

use futures_util::FutureExt as _;
use tonic::codegen::BoxStream;
use tonic::{Request, Response, Status};

use super::convert::*;
use super::grpc_newer::{newer_metadata_out, newer_schemas_out};
use super::proto::tfplugin6 as pb;
use super::protocol::{self as p, ProviderServer};

/// Runs `handler`; if it panics, logs it and answers with `on_panic(diagnostic)`.
///
/// At trace level it logs how long the handler took (`rpc NAME handled in N µs`),
/// the provider's side of the per-RPC breakdown in BENCHMARKS.md.
pub(super) async fn guarded<T>(
    rpc: &'static str,
    handler: impl Future<Output = T>,
    on_panic: impl FnOnce(Vec<p::Diagnostic>) -> T,
) -> T {
    let started = log::log_enabled!(log::Level::Trace).then(Instant::now);
    let outcome = AssertUnwindSafe(handler).catch_unwind().await;
    if let Some(started) = started {
        log::trace!("rpc {rpc} handled in {} µs", started.elapsed().as_micros());
    }
    match outcome {
        Ok(response) => response,
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            log::error!("panic in {rpc}: {message}");
            on_panic(vec![p::Diagnostic {
                severity: p::Severity::Error,
                summary: "Provider Internal Error".to_string(),
                detail: format!(
                    "The provider panicked while handling {rpc}. This is a bug in the provider; \
                     please report it with the provider's log (TF_LOG=debug)."
                ),
                attribute: None,
            }])
        }
    }
}

/// `tfplugin6.Provider` backed by a [`ProviderServer`].
#[derive(Debug)]
pub(crate) struct ProviderService<S> {
    pub(super) server: Arc<S>,
}

impl<S: ProviderServer> ProviderService<S> {
    pub(crate) fn new(server: Arc<S>) -> Self {
        Self { server }
    }
}

#[tonic::async_trait]
impl<S: ProviderServer> pb::provider_server::Provider for ProviderService<S> {
    async fn get_metadata(
        &self,
        _request: Request<pb::get_metadata::Request>,
    ) -> Result<Response<pb::get_metadata::Response>, Status> {
        let response = guarded("GetMetadata", self.server.get_metadata(), |diagnostics| {
            p::GetMetadataResponse {
                diagnostics,
                ..Default::default()
            }
        })
        .await;
        let mut out = pb::get_metadata::Response::default();
        newer_metadata_out(
            &mut out,
            response.ephemeral_resources,
            response.list_resources,
            response.actions,
        );
        Ok(Response::new(pb::get_metadata::Response {
            server_capabilities: Some(server_capabilities_out(response.server_capabilities)),
            diagnostics: diagnostics_out(response.diagnostics),
            resources: response
                .resources
                .into_iter()
                .map(|type_name| pb::get_metadata::ResourceMetadata { type_name })
                .collect(),
            data_sources: response
                .data_sources
                .into_iter()
                .map(|type_name| pb::get_metadata::DataSourceMetadata { type_name })
                .collect(),
            ..out
        }))
    }

    async fn get_provider_schema(
        &self,
        _request: Request<pb::get_provider_schema::Request>,
    ) -> Result<Response<pb::get_provider_schema::Response>, Status> {
        let response = guarded(
            "GetProviderSchema",
            self.server.get_provider_schema(),
            |diagnostics| p::GetProviderSchemaResponse {
                diagnostics,
                ..Default::default()
            },
        )
        .await;
        let mut out = pb::get_provider_schema::Response::default();
        newer_schemas_out(
            &mut out,
            response.ephemeral_resource_schemas,
            response.list_resource_schemas,
            response.action_schemas,
        );
        Ok(Response::new(pb::get_provider_schema::Response {
            // Terraform errors with "missing provider schema" when this is absent.
            provider: Some(schema_out(response.provider)),
            resource_schemas: response
                .resource_schemas
                .into_iter()
                .map(|(name, schema)| (name, schema_out(schema)))
                .collect(),
            data_source_schemas: response
                .data_source_schemas
                .into_iter()
                .map(|(name, schema)| (name, schema_out(schema)))
                .collect(),
            diagnostics: diagnostics_out(response.diagnostics),
            server_capabilities: Some(server_capabilities_out(response.server_capabilities)),
            ..out
        }))
    }

    async fn get_resource_identity_schemas(
        &self,
        _request: Request<pb::get_resource_identity_schemas::Request>,
    ) -> Result<Response<pb::get_resource_identity_schemas::Response>, Status> {
        Ok(Response::new(
            self.handle_get_resource_identity_schemas().await,
        ))
    }

    async fn upgrade_resource_identity(
        &self,
        request: Request<pb::upgrade_resource_identity::Request>,
    ) -> Result<Response<pb::upgrade_resource_identity::Response>, Status> {
        Ok(Response::new(
            self.handle_upgrade_resource_identity(request.into_inner())
                .await,
        ))
    }

    async fn validate_ephemeral_resource_config(
        &self,
        request: Request<pb::validate_ephemeral_resource_config::Request>,
    ) -> Result<Response<pb::validate_ephemeral_resource_config::Response>, Status> {
        Ok(Response::new(
            self.handle_validate_ephemeral_resource_config(request.into_inner())
                .await,
        ))
    }

    async fn open_ephemeral_resource(
        &self,
        request: Request<pb::open_ephemeral_resource::Request>,
    ) -> Result<Response<pb::open_ephemeral_resource::Response>, Status> {
        Ok(Response::new(
            self.handle_open_ephemeral_resource(request.into_inner())
                .await,
        ))
    }

    async fn renew_ephemeral_resource(
        &self,
        request: Request<pb::renew_ephemeral_resource::Request>,
    ) -> Result<Response<pb::renew_ephemeral_resource::Response>, Status> {
        Ok(Response::new(
            self.handle_renew_ephemeral_resource(request.into_inner())
                .await,
        ))
    }

    async fn close_ephemeral_resource(
        &self,
        request: Request<pb::close_ephemeral_resource::Request>,
    ) -> Result<Response<pb::close_ephemeral_resource::Response>, Status> {
        Ok(Response::new(
            self.handle_close_ephemeral_resource(request.into_inner())
                .await,
        ))
    }

    async fn validate_list_resource_config(
        &self,
        request: Request<pb::validate_list_resource_config::Request>,
    ) -> Result<Response<pb::validate_list_resource_config::Response>, Status> {
        Ok(Response::new(
            self.handle_validate_list_resource_config(request.into_inner())
                .await,
        ))
    }

    async fn list_resource(
        &self,
        request: Request<pb::list_resource::Request>,
    ) -> Result<Response<BoxStream<pb::list_resource::Event>>, Status> {
        Ok(Response::new(
            self.handle_list_resource(request.into_inner()).await,
        ))
    }

    async fn validate_action_config(
        &self,
        request: Request<pb::validate_action_config::Request>,
    ) -> Result<Response<pb::validate_action_config::Response>, Status> {
        Ok(Response::new(
            self.handle_validate_action_config(request.into_inner())
                .await,
        ))
    }

    async fn plan_action(
        &self,
        request: Request<pb::plan_action::Request>,
    ) -> Result<Response<pb::plan_action::Response>, Status> {
        Ok(Response::new(
            self.handle_plan_action(request.into_inner()).await,
        ))
    }

    async fn invoke_action(
        &self,
        request: Request<pb::invoke_action::Request>,
    ) -> Result<Response<BoxStream<pb::invoke_action::Event>>, Status> {
        Ok(Response::new(
            self.handle_invoke_action(request.into_inner()).await,
        ))
    }

    async fn validate_provider_config(
        &self,
        request: Request<pb::validate_provider_config::Request>,
    ) -> Result<Response<pb::validate_provider_config::Response>, Status> {
        let request = request.into_inner();
        let request = p::ValidateProviderConfigRequest {
            config: dynamic_value_in(request.config),
        };
        let response = guarded(
            "ValidateProviderConfig",
            self.server.validate_provider_config(request),
            |diagnostics| p::ValidateProviderConfigResponse { diagnostics },
        )
        .await;
        Ok(Response::new(pb::validate_provider_config::Response {
            diagnostics: diagnostics_out(response.diagnostics),
        }))
    }

    async fn configure_provider(
        &self,
        request: Request<pb::configure_provider::Request>,
    ) -> Result<Response<pb::configure_provider::Response>, Status> {
        let request = request.into_inner();
        let request = p::ConfigureProviderRequest {
            terraform_version: request.terraform_version,
            config: dynamic_value_in(request.config),
            client_capabilities: client_capabilities_in(request.client_capabilities),
        };
        let response = guarded(
            "ConfigureProvider",
            self.server.configure_provider(request),
            |diagnostics| p::ConfigureProviderResponse { diagnostics },
        )
        .await;
        Ok(Response::new(pb::configure_provider::Response {
            diagnostics: diagnostics_out(response.diagnostics),
        }))
    }

    async fn stop_provider(
        &self,
        _request: Request<pb::stop_provider::Request>,
    ) -> Result<Response<pb::stop_provider::Response>, Status> {
        let response = guarded("StopProvider", self.server.stop_provider(), |_| {
            p::StopProviderResponse {
                error: "the provider panicked while stopping".to_string(),
            }
        })
        .await;
        Ok(Response::new(pb::stop_provider::Response {
            error: response.error,
        }))
    }

    async fn validate_resource_config(
        &self,
        request: Request<pb::validate_resource_config::Request>,
    ) -> Result<Response<pb::validate_resource_config::Response>, Status> {
        let request = request.into_inner();
        let request = p::ValidateResourceConfigRequest {
            type_name: request.type_name,
            config: dynamic_value_in(request.config),
            client_capabilities: client_capabilities_in(request.client_capabilities),
        };
        let response = guarded(
            "ValidateResourceConfig",
            self.server.validate_resource_config(request),
            |diagnostics| p::ValidateResourceConfigResponse { diagnostics },
        )
        .await;
        Ok(Response::new(pb::validate_resource_config::Response {
            diagnostics: diagnostics_out(response.diagnostics),
        }))
    }

    async fn upgrade_resource_state(
        &self,
        request: Request<pb::upgrade_resource_state::Request>,
    ) -> Result<Response<pb::upgrade_resource_state::Response>, Status> {
        let request = request.into_inner();
        let request = p::UpgradeResourceStateRequest {
            type_name: request.type_name,
            version: request.version,
            raw_state: raw_state_in(request.raw_state),
        };
        let response = guarded(
            "UpgradeResourceState",
            self.server.upgrade_resource_state(request),
            |diagnostics| p::UpgradeResourceStateResponse {
                diagnostics,
                ..Default::default()
            },
        )
        .await;
        Ok(Response::new(pb::upgrade_resource_state::Response {
            upgraded_state: dynamic_value_out(response.upgraded_state),
            diagnostics: diagnostics_out(response.diagnostics),
        }))
    }

    async fn read_resource(
        &self,
        request: Request<pb::read_resource::Request>,
    ) -> Result<Response<pb::read_resource::Response>, Status> {
        let request = request.into_inner();
        let private = request.private.clone();
        let type_name = request.type_name.clone();
        let request = p::ReadResourceRequest {
            type_name: request.type_name,
            current_state: dynamic_value_in(request.current_state),
            private: request.private,
            client_capabilities: client_capabilities_in(request.client_capabilities),
        };
        let response = guarded(
            "ReadResource",
            self.server.read_resource(request),
            |diagnostics| p::ReadResourceResponse {
                diagnostics,
                private,
                ..Default::default()
            },
        )
        .await;
        let mut diagnostics = response.diagnostics;
        let new_identity = self
            .identity_of(&type_name, &response.new_state, &mut diagnostics)
            .await;
        Ok(Response::new(pb::read_resource::Response {
            new_state: dynamic_value_out(response.new_state),
            diagnostics: diagnostics_out(diagnostics),
            private: response.private,
            new_identity,
            ..Default::default()
        }))
    }

    async fn plan_resource_change(
        &self,
        request: Request<pb::plan_resource_change::Request>,
    ) -> Result<Response<pb::plan_resource_change::Response>, Status> {
        let request = request.into_inner();
        let type_name = request.type_name.clone();
        let request = p::PlanResourceChangeRequest {
            type_name: request.type_name,
            prior_state: dynamic_value_in(request.prior_state),
            proposed_new_state: dynamic_value_in(request.proposed_new_state),
            config: dynamic_value_in(request.config),
            prior_private: request.prior_private,
            client_capabilities: client_capabilities_in(request.client_capabilities),
        };
        let response = guarded(
            "PlanResourceChange",
            self.server.plan_resource_change(request),
            |diagnostics| p::PlanResourceChangeResponse {
                diagnostics,
                ..Default::default()
            },
        )
        .await;
        let mut diagnostics = response.diagnostics;
        let planned_identity = self
            .identity_of(&type_name, &response.planned_state, &mut diagnostics)
            .await;
        Ok(Response::new(pb::plan_resource_change::Response {
            planned_identity,
            planned_state: dynamic_value_out(response.planned_state),
            requires_replace: response
                .requires_replace
                .into_iter()
                .map(attribute_path_out)
                .collect(),
            planned_private: response.planned_private,
            diagnostics: diagnostics_out(diagnostics),
            // Must stay false: true is reserved for the legacy SDK and disables Terraform's checks.
            legacy_type_system: false,
            ..Default::default()
        }))
    }

    async fn apply_resource_change(
        &self,
        request: Request<pb::apply_resource_change::Request>,
    ) -> Result<Response<pb::apply_resource_change::Response>, Status> {
        let request = request.into_inner();
        let type_name = request.type_name.clone();
        let request = p::ApplyResourceChangeRequest {
            type_name: request.type_name,
            prior_state: dynamic_value_in(request.prior_state),
            planned_state: dynamic_value_in(request.planned_state),
            config: dynamic_value_in(request.config),
            planned_private: request.planned_private,
        };
        let response = guarded(
            "ApplyResourceChange",
            self.server.apply_resource_change(request),
            |diagnostics| p::ApplyResourceChangeResponse {
                diagnostics,
                ..Default::default()
            },
        )
        .await;
        let mut diagnostics = response.diagnostics;
        let new_identity = self
            .identity_of(&type_name, &response.new_state, &mut diagnostics)
            .await;
        Ok(Response::new(pb::apply_resource_change::Response {
            new_identity,
            new_state: dynamic_value_out(response.new_state),
            private: response.private,
            diagnostics: diagnostics_out(diagnostics),
            legacy_type_system: false,
        }))
    }

    async fn import_resource_state(
        &self,
        request: Request<pb::import_resource_state::Request>,
    ) -> Result<Response<pb::import_resource_state::Response>, Status> {
        let request = request.into_inner();
        let request = p::ImportResourceStateRequest {
            type_name: request.type_name,
            id: request.id,
            client_capabilities: client_capabilities_in(request.client_capabilities),
            identity: request
                .identity
                .and_then(|identity| identity.identity_data)
                .map(|value| dynamic_value_in(Some(value))),
        };
        let response = guarded(
            "ImportResourceState",
            self.server.import_resource_state(request),
            |diagnostics| p::ImportResourceStateResponse {
                diagnostics,
                ..Default::default()
            },
        )
        .await;
        let mut diagnostics = response.diagnostics;
        let mut imported_resources = Vec::new();
        for imported in response.imported_resources {
            let identity = self
                .identity_of(&imported.type_name, &imported.state, &mut diagnostics)
                .await;
            imported_resources.push(pb::import_resource_state::ImportedResource {
                type_name: imported.type_name,
                state: dynamic_value_out(imported.state),
                private: imported.private,
                identity,
            });
        }
        Ok(Response::new(pb::import_resource_state::Response {
            imported_resources,
            diagnostics: diagnostics_out(diagnostics),
            deferred: None,
        }))
    }

    async fn move_resource_state(
        &self,
        request: Request<pb::move_resource_state::Request>,
    ) -> Result<Response<pb::move_resource_state::Response>, Status> {
        let request = request.into_inner();
        let request = p::MoveResourceStateRequest {
            source_provider_address: request.source_provider_address,
            source_type_name: request.source_type_name,
            source_schema_version: request.source_schema_version,
            source_state: raw_state_in(request.source_state),
            target_type_name: request.target_type_name,
            source_private: request.source_private,
        };
        let response = guarded(
            "MoveResourceState",
            self.server.move_resource_state(request),
            |diagnostics| p::MoveResourceStateResponse {
                diagnostics,
                ..Default::default()
            },
        )
        .await;
        Ok(Response::new(pb::move_resource_state::Response {
            target_state: dynamic_value_out(response.target_state),
            diagnostics: diagnostics_out(response.diagnostics),
            target_private: response.target_private,
            target_identity: None,
        }))
    }

    async fn validate_data_resource_config(
        &self,
        request: Request<pb::validate_data_resource_config::Request>,
    ) -> Result<Response<pb::validate_data_resource_config::Response>, Status> {
        let request = request.into_inner();
        let request = p::ValidateDataResourceConfigRequest {
            type_name: request.type_name,
            config: dynamic_value_in(request.config),
        };
        let response = guarded(
            "ValidateDataResourceConfig",
            self.server.validate_data_resource_config(request),
            |diagnostics| p::ValidateDataResourceConfigResponse { diagnostics },
        )
        .await;
        Ok(Response::new(pb::validate_data_resource_config::Response {
            diagnostics: diagnostics_out(response.diagnostics),
        }))
    }

    async fn read_data_source(
        &self,
        request: Request<pb::read_data_source::Request>,
    ) -> Result<Response<pb::read_data_source::Response>, Status> {
        let request = request.into_inner();
        let request = p::ReadDataSourceRequest {
            type_name: request.type_name,
            config: dynamic_value_in(request.config),
            client_capabilities: client_capabilities_in(request.client_capabilities),
        };
        let response = guarded(
            "ReadDataSource",
            self.server.read_data_source(request),
            |diagnostics| p::ReadDataSourceResponse {
                diagnostics,
                ..Default::default()
            },
        )
        .await;
        Ok(Response::new(pb::read_data_source::Response {
            state: dynamic_value_out(response.state),
            diagnostics: diagnostics_out(response.diagnostics),
            deferred: None,
        }))
    }
}
