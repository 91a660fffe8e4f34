//! The `tfplugin6.Provider` handlers of protocol 6.7 and later (ephemeral
//! resources, resource identity, list resources, actions) and their
//! conversions. `grpc.rs` delegates to these; same shape as there: convert
//! in, call the [`ProviderServer`] under the panic guard, convert out.
//! Streaming RPCs send the server's events as they come; a panic while
//! producing the stream becomes one final event carrying the diagnostic.

use std::time::SystemTime;

use futures_util::{FutureExt as _, StreamExt as _};
use tonic::codegen::BoxStream;

use super::convert::*;
use super::grpc::{ProviderService, guarded};
use super::proto::tfplugin6 as pb;
use super::protocol::{self as p, ProviderServer};

fn timestamp_out(time: Option<SystemTime>) -> Option<prost_types::Timestamp> {
    time.map(prost_types::Timestamp::from)
}

fn deferred_out(reason: Option<p::DeferredReason>) -> Option<pb::Deferred> {
    use pb::deferred::Reason;
    reason.map(|reason| pb::Deferred {
        reason: match reason {
            p::DeferredReason::Unknown => Reason::Unknown,
            p::DeferredReason::ResourceConfigUnknown => Reason::ResourceConfigUnknown,
            p::DeferredReason::ProviderConfigUnknown => Reason::ProviderConfigUnknown,
            p::DeferredReason::AbsentPrerequisite => Reason::AbsentPrereq,
        } as i32,
    })
}

fn identity_data_out(value: Option<p::DynamicValue>) -> Option<pb::ResourceIdentityData> {
    value.map(|value| pb::ResourceIdentityData {
        identity_data: dynamic_value_out(value),
    })
}

fn identity_schema_out(schema: p::ResourceIdentitySchema) -> pb::ResourceIdentitySchema {
    pb::ResourceIdentitySchema {
        version: schema.version,
        identity_attributes: schema
            .attributes
            .into_iter()
            .map(
                |attribute| pb::resource_identity_schema::IdentityAttribute {
                    name: attribute.name,
                    r#type: attribute.type_json,
                    required_for_import: attribute.required_for_import,
                    optional_for_import: attribute.optional_for_import,
                    description: attribute.description,
                },
            )
            .collect(),
    }
}

/// The schemas of the newer kinds, for `GetProviderSchema`.
pub(super) fn newer_schemas_out(
    response: &mut pb::get_provider_schema::Response,
    ephemeral: std::collections::BTreeMap<String, p::Schema>,
    list: std::collections::BTreeMap<String, p::Schema>,
    actions: std::collections::BTreeMap<String, p::Schema>,
) {
    response.ephemeral_resource_schemas = ephemeral
        .into_iter()
        .map(|(name, schema)| (name, schema_out(schema)))
        .collect();
    response.list_resource_schemas = list
        .into_iter()
        .map(|(name, schema)| (name, schema_out(schema)))
        .collect();
    response.action_schemas = actions
        .into_iter()
        .map(|(name, schema)| {
            let schema = Some(schema_out(schema));
            (name, pb::ActionSchema { schema })
        })
        .collect();
}

/// The type names of the newer kinds, for `GetMetadata`.
pub(super) fn newer_metadata_out(
    response: &mut pb::get_metadata::Response,
    ephemeral: Vec<String>,
    list: Vec<String>,
    actions: Vec<String>,
) {
    use pb::get_metadata::{ActionMetadata, EphemeralMetadata, ListResourceMetadata};
    response.ephemeral_resources = ephemeral
        .into_iter()
        .map(|type_name| EphemeralMetadata { type_name })
        .collect();
    response.list_resources = list
        .into_iter()
        .map(|type_name| ListResourceMetadata { type_name })
        .collect();
    response.actions = actions
        .into_iter()
        .map(|type_name| ActionMetadata { type_name })
        .collect();
}

fn list_event_out(event: p::ListResourceEvent) -> pb::list_resource::Event {
    pb::list_resource::Event {
        identity: identity_data_out(event.identity),
        display_name: event.display_name,
        resource_object: event.resource_object.and_then(dynamic_value_out),
        diagnostic: diagnostics_out(event.diagnostics),
    }
}

fn action_event_out(event: p::InvokeActionEvent) -> pb::invoke_action::Event {
    use pb::invoke_action::event::{Completed, Progress, Type};
    pb::invoke_action::Event {
        r#type: Some(match event {
            p::InvokeActionEvent::Progress(message) => Type::Progress(Progress { message }),
            p::InvokeActionEvent::Completed(diagnostics) => Type::Completed(Completed {
                diagnostics: diagnostics_out(diagnostics),
            }),
        }),
    }
}

/// Sends `stream`'s events; a panic while producing one ends the stream with
/// `on_panic(diagnostic)`.
fn guarded_stream<T: Send + 'static, O: Send + 'static>(
    rpc: &'static str,
    stream: p::EventStream<T>,
    out: fn(T) -> O,
    on_panic: fn(Vec<p::Diagnostic>) -> T,
) -> BoxStream<O> {
    let stream = futures_util::stream::unfold(Some(stream), move |state| async move {
        let mut stream = state?;
        let next = guarded(
            rpc,
            stream.next().map(|event| (event, false)),
            |diagnostics| (Some(on_panic(diagnostics)), true),
        )
        .await;
        match next {
            (Some(event), false) => Some((Ok(out(event)), Some(stream))),
            // After a panic: send the diagnostic, then stop (the stream may be broken).
            (Some(event), true) => Some((Ok(out(event)), None)),
            (None, _) => None,
        }
    });
    Box::pin(stream)
}

impl<S: ProviderServer> ProviderService<S> {
    /// The identity of `state` as the server computes it; problems go to `diagnostics`.
    pub(super) async fn identity_of(
        &self,
        type_name: &str,
        state: &p::DynamicValue,
        diagnostics: &mut Vec<p::Diagnostic>,
    ) -> Option<pb::ResourceIdentityData> {
        if state.msgpack.is_empty() && state.json.is_empty() {
            return None;
        }
        let response = guarded(
            "ResourceIdentity",
            self.server.resource_identity(type_name, state),
            |diagnostics| p::ResourceIdentityResponse {
                identity: None,
                diagnostics,
            },
        )
        .await;
        diagnostics.extend(response.diagnostics);
        identity_data_out(response.identity)
    }

    pub(super) async fn handle_get_resource_identity_schemas(
        &self,
    ) -> pb::get_resource_identity_schemas::Response {
        let response = guarded(
            "GetResourceIdentitySchemas",
            self.server.get_resource_identity_schemas(),
            |diagnostics| p::GetResourceIdentitySchemasResponse {
                diagnostics,
                ..Default::default()
            },
        )
        .await;
        pb::get_resource_identity_schemas::Response {
            identity_schemas: response
                .identity_schemas
                .into_iter()
                .map(|(name, schema)| (name, identity_schema_out(schema)))
                .collect(),
            diagnostics: diagnostics_out(response.diagnostics),
        }
    }

    pub(super) async fn handle_upgrade_resource_identity(
        &self,
        request: pb::upgrade_resource_identity::Request,
    ) -> pb::upgrade_resource_identity::Response {
        let request = p::UpgradeResourceIdentityRequest {
            type_name: request.type_name,
            version: request.version,
            raw_identity: raw_state_in(request.raw_identity),
        };
        let response = guarded(
            "UpgradeResourceIdentity",
            self.server.upgrade_resource_identity(request),
            |diagnostics| p::UpgradeResourceIdentityResponse {
                upgraded_identity: None,
                diagnostics,
            },
        )
        .await;
        pb::upgrade_resource_identity::Response {
            upgraded_identity: identity_data_out(response.upgraded_identity),
            diagnostics: diagnostics_out(response.diagnostics),
        }
    }

    pub(super) async fn handle_validate_ephemeral_resource_config(
        &self,
        request: pb::validate_ephemeral_resource_config::Request,
    ) -> pb::validate_ephemeral_resource_config::Response {
        let request = p::ValidateEphemeralResourceConfigRequest {
            type_name: request.type_name,
            config: dynamic_value_in(request.config),
        };
        let response = guarded(
            "ValidateEphemeralResourceConfig",
            self.server.validate_ephemeral_resource_config(request),
            |diagnostics| p::ValidateEphemeralResourceConfigResponse { diagnostics },
        )
        .await;
        pb::validate_ephemeral_resource_config::Response {
            diagnostics: diagnostics_out(response.diagnostics),
        }
    }

    pub(super) async fn handle_open_ephemeral_resource(
        &self,
        request: pb::open_ephemeral_resource::Request,
    ) -> pb::open_ephemeral_resource::Response {
        let request = p::OpenEphemeralResourceRequest {
            type_name: request.type_name,
            config: dynamic_value_in(request.config),
            client_capabilities: client_capabilities_in(request.client_capabilities),
        };
        let response = guarded(
            "OpenEphemeralResource",
            self.server.open_ephemeral_resource(request),
            |diagnostics| p::OpenEphemeralResourceResponse {
                diagnostics,
                ..Default::default()
            },
        )
        .await;
        pb::open_ephemeral_resource::Response {
            diagnostics: diagnostics_out(response.diagnostics),
            renew_at: timestamp_out(response.renew_at),
            result: dynamic_value_out(response.result),
            private: response.private,
            deferred: deferred_out(response.deferred),
        }
    }

    pub(super) async fn handle_renew_ephemeral_resource(
        &self,
        request: pb::renew_ephemeral_resource::Request,
    ) -> pb::renew_ephemeral_resource::Response {
        let request = p::RenewEphemeralResourceRequest {
            type_name: request.type_name,
            private: request.private,
        };
        let response = guarded(
            "RenewEphemeralResource",
            self.server.renew_ephemeral_resource(request),
            |diagnostics| p::RenewEphemeralResourceResponse {
                diagnostics,
                ..Default::default()
            },
        )
        .await;
        pb::renew_ephemeral_resource::Response {
            diagnostics: diagnostics_out(response.diagnostics),
            renew_at: timestamp_out(response.renew_at),
            private: response.private,
        }
    }

    pub(super) async fn handle_close_ephemeral_resource(
        &self,
        request: pb::close_ephemeral_resource::Request,
    ) -> pb::close_ephemeral_resource::Response {
        let request = p::CloseEphemeralResourceRequest {
            type_name: request.type_name,
            private: request.private,
        };
        let response = guarded(
            "CloseEphemeralResource",
            self.server.close_ephemeral_resource(request),
            |diagnostics| p::CloseEphemeralResourceResponse { diagnostics },
        )
        .await;
        pb::close_ephemeral_resource::Response {
            diagnostics: diagnostics_out(response.diagnostics),
        }
    }

    pub(super) async fn handle_validate_list_resource_config(
        &self,
        request: pb::validate_list_resource_config::Request,
    ) -> pb::validate_list_resource_config::Response {
        let request = p::ValidateListResourceConfigRequest {
            type_name: request.type_name,
            config: dynamic_value_in(request.config),
        };
        let response = guarded(
            "ValidateListResourceConfig",
            self.server.validate_list_resource_config(request),
            |diagnostics| p::ValidateListResourceConfigResponse { diagnostics },
        )
        .await;
        pb::validate_list_resource_config::Response {
            diagnostics: diagnostics_out(response.diagnostics),
        }
    }

    pub(super) async fn handle_list_resource(
        &self,
        request: pb::list_resource::Request,
    ) -> BoxStream<pb::list_resource::Event> {
        let request = p::ListResourceRequest {
            type_name: request.type_name,
            config: dynamic_value_in(request.config),
            include_resource_object: request.include_resource_object,
            limit: request.limit,
        };
        let on_panic = |diagnostics| p::ListResourceEvent {
            diagnostics,
            ..Default::default()
        };
        let stream = guarded("ListResource", self.server.list_resource(request), |d| {
            Box::pin(futures_util::stream::iter([on_panic(d)])) as p::EventStream<_>
        })
        .await;
        guarded_stream("ListResource", stream, list_event_out, on_panic)
    }

    pub(super) async fn handle_validate_action_config(
        &self,
        request: pb::validate_action_config::Request,
    ) -> pb::validate_action_config::Response {
        let request = p::ValidateActionConfigRequest {
            type_name: request.type_name,
            config: dynamic_value_in(request.config),
        };
        let response = guarded(
            "ValidateActionConfig",
            self.server.validate_action_config(request),
            |diagnostics| p::ValidateActionConfigResponse { diagnostics },
        )
        .await;
        pb::validate_action_config::Response {
            diagnostics: diagnostics_out(response.diagnostics),
        }
    }

    pub(super) async fn handle_plan_action(
        &self,
        request: pb::plan_action::Request,
    ) -> pb::plan_action::Response {
        let request = p::PlanActionRequest {
            action_type: request.action_type,
            config: dynamic_value_in(request.config),
            client_capabilities: client_capabilities_in(request.client_capabilities),
        };
        let response = guarded(
            "PlanAction",
            self.server.plan_action(request),
            |diagnostics| p::PlanActionResponse {
                diagnostics,
                deferred: None,
            },
        )
        .await;
        pb::plan_action::Response {
            diagnostics: diagnostics_out(response.diagnostics),
            deferred: deferred_out(response.deferred),
        }
    }

    pub(super) async fn handle_invoke_action(
        &self,
        request: pb::invoke_action::Request,
    ) -> BoxStream<pb::invoke_action::Event> {
        let request = p::InvokeActionRequest {
            action_type: request.action_type,
            config: dynamic_value_in(request.config),
            client_capabilities: client_capabilities_in(request.client_capabilities),
        };
        let stream = guarded("InvokeAction", self.server.invoke_action(request), |d| {
            Box::pin(futures_util::stream::iter([
                p::InvokeActionEvent::Completed(d),
            ])) as p::EventStream<_>
        })
        .await;
        guarded_stream(
            "InvokeAction",
            stream,
            action_event_out,
            p::InvokeActionEvent::Completed,
        )
    }
}
