//! The gRPC services: `tfplugin6.Provider` adapted onto a [`ProviderServer`],
//! and go-plugin's `GRPCController`, `GRPCStdio` and `GRPCBroker`.
//!
//! Every provider handler has the same shape: convert the request in, call the
//! [`ProviderServer`] under a panic guard, convert the response out. A panic in
//! a handler becomes an error diagnostic naming the RPC (and a log line), not a
//! dropped connection.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use futures_util::{FutureExt as _, StreamExt as _};
use tokio_util::sync::CancellationToken;
use tonic::{Request, Response, Status};

use super::convert::*;
use super::proto::go_plugin;
use super::proto::tfplugin6 as pb;
use super::protocol::{self as p, ProviderServer};

/// Runs `handler`; if it panics, logs it and answers with `on_panic(diagnostic)`.
async fn guarded<T>(
    rpc: &'static str,
    handler: impl Future<Output = T>,
    on_panic: impl FnOnce(Vec<p::Diagnostic>) -> T,
) -> T {
    match AssertUnwindSafe(handler).catch_unwind().await {
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
    server: Arc<S>,
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
            ..Default::default()
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
            ..Default::default()
        }))
    }

    async fn get_resource_identity_schemas(
        &self,
        _request: Request<pb::get_resource_identity_schemas::Request>,
    ) -> Result<Response<pb::get_resource_identity_schemas::Response>, Status> {
        // No resource of this provider has an identity schema (yet).
        Ok(Response::new(
            pb::get_resource_identity_schemas::Response::default(),
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
        Ok(Response::new(pb::read_resource::Response {
            new_state: dynamic_value_out(response.new_state),
            diagnostics: diagnostics_out(response.diagnostics),
            private: response.private,
            ..Default::default()
        }))
    }

    async fn plan_resource_change(
        &self,
        request: Request<pb::plan_resource_change::Request>,
    ) -> Result<Response<pb::plan_resource_change::Response>, Status> {
        let request = request.into_inner();
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
        Ok(Response::new(pb::plan_resource_change::Response {
            planned_state: dynamic_value_out(response.planned_state),
            requires_replace: response
                .requires_replace
                .into_iter()
                .map(attribute_path_out)
                .collect(),
            planned_private: response.planned_private,
            diagnostics: diagnostics_out(response.diagnostics),
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
        Ok(Response::new(pb::apply_resource_change::Response {
            new_state: dynamic_value_out(response.new_state),
            private: response.private,
            diagnostics: diagnostics_out(response.diagnostics),
            legacy_type_system: false,
            ..Default::default()
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
        Ok(Response::new(pb::import_resource_state::Response {
            imported_resources: response
                .imported_resources
                .into_iter()
                .map(|imported| pb::import_resource_state::ImportedResource {
                    type_name: imported.type_name,
                    state: dynamic_value_out(imported.state),
                    private: imported.private,
                    identity: None,
                })
                .collect(),
            diagnostics: diagnostics_out(response.diagnostics),
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

/// `plugin.GRPCController`: `Shutdown` ends the process (Terraform waits 2 s,
/// then kills it).
#[derive(Debug)]
pub(crate) struct ControllerService {
    pub(crate) shutdown: CancellationToken,
}

#[tonic::async_trait]
impl go_plugin::grpc_controller_server::GrpcController for ControllerService {
    async fn shutdown(
        &self,
        _request: Request<go_plugin::Empty>,
    ) -> Result<Response<go_plugin::Empty>, Status> {
        log::debug!("received GRPCController.Shutdown");
        self.shutdown.cancel();
        Ok(Response::new(go_plugin::Empty {}))
    }
}

/// `plugin.GRPCStdio`: this provider never writes to stdout/stderr through
/// the stream (logs go to stderr directly), so the stream stays open and
/// silent until shutdown.
#[derive(Debug)]
pub(crate) struct StdioService {
    pub(crate) shutdown: CancellationToken,
}

#[tonic::async_trait]
impl go_plugin::grpc_stdio_server::GrpcStdio for StdioService {
    async fn stream_stdio(
        &self,
        _request: Request<()>,
    ) -> Result<Response<tonic::codegen::BoxStream<go_plugin::StdioData>>, Status> {
        let shutdown = self.shutdown.clone();
        let stream = futures_util::stream::once(async move { shutdown.cancelled_owned().await })
            .filter_map(|()| async { None });
        Ok(Response::new(Box::pin(stream)))
    }
}

/// `plugin.GRPCBroker`: Terraform providers broker no extra connections; the
/// stream is accepted, drained and closed at shutdown.
#[derive(Debug)]
pub(crate) struct BrokerService {
    pub(crate) shutdown: CancellationToken,
}

#[tonic::async_trait]
impl go_plugin::grpc_broker_server::GrpcBroker for BrokerService {
    async fn start_stream(
        &self,
        request: Request<tonic::Streaming<go_plugin::ConnInfo>>,
    ) -> Result<Response<tonic::codegen::BoxStream<go_plugin::ConnInfo>>, Status> {
        let mut incoming = request.into_inner();
        let shutdown = self.shutdown.clone();
        let stream = futures_util::stream::once(async move {
            loop {
                tokio::select! {
                    () = shutdown.cancelled() => break,
                    message = incoming.next() => if message.is_none() { break },
                }
            }
        })
        .filter_map(|()| async { None });
        Ok(Response::new(Box::pin(stream)))
    }
}
