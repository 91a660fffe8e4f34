//! In-process tests of the protocol 6.7+ handlers: a fake [`ProviderServer`]
//! that implements only the newer RPCs (plus stubs), called through the
//! generated service trait; checks the conversions, the identity the
//! transport adds to resource responses, and that a panic inside a stream
//! becomes a final event with a diagnostic.

use std::sync::Arc;

use async_trait::async_trait;
use futures_util::StreamExt as _;
use tonic::Request;

use super::grpc::ProviderService;
use super::proto::tfplugin6 as pb;
use super::proto::tfplugin6::provider_server::Provider as _;
use super::protocol::{self as p, ProviderServer};

struct NewerServer;

fn warning(summary: &str) -> Vec<p::Diagnostic> {
    vec![p::Diagnostic {
        severity: p::Severity::Warning,
        summary: summary.to_string(),
        detail: String::new(),
        attribute: None,
    }]
}

#[async_trait]
impl ProviderServer for NewerServer {
    async fn get_provider_schema(&self) -> p::GetProviderSchemaResponse {
        let mut response = p::GetProviderSchemaResponse::default();
        response
            .ephemeral_resource_schemas
            .insert("x_lease".into(), p::Schema::default());
        response
            .list_resource_schemas
            .insert("x_thing".into(), p::Schema::default());
        response
            .action_schemas
            .insert("x_poke".into(), p::Schema::default());
        response
    }
    async fn get_metadata(&self) -> p::GetMetadataResponse {
        p::GetMetadataResponse {
            ephemeral_resources: vec!["x_lease".into()],
            list_resources: vec!["x_thing".into()],
            actions: vec!["x_poke".into()],
            ..Default::default()
        }
    }
    async fn validate_provider_config(
        &self,
        _request: p::ValidateProviderConfigRequest,
    ) -> p::ValidateProviderConfigResponse {
        Default::default()
    }
    async fn configure_provider(
        &self,
        _request: p::ConfigureProviderRequest,
    ) -> p::ConfigureProviderResponse {
        Default::default()
    }
    async fn stop_provider(&self) -> p::StopProviderResponse {
        Default::default()
    }
    async fn validate_resource_config(
        &self,
        _request: p::ValidateResourceConfigRequest,
    ) -> p::ValidateResourceConfigResponse {
        Default::default()
    }
    async fn upgrade_resource_state(
        &self,
        _request: p::UpgradeResourceStateRequest,
    ) -> p::UpgradeResourceStateResponse {
        Default::default()
    }
    async fn read_resource(&self, request: p::ReadResourceRequest) -> p::ReadResourceResponse {
        p::ReadResourceResponse {
            new_state: request.current_state,
            ..Default::default()
        }
    }
    async fn plan_resource_change(
        &self,
        _request: p::PlanResourceChangeRequest,
    ) -> p::PlanResourceChangeResponse {
        Default::default()
    }
    async fn apply_resource_change(
        &self,
        _request: p::ApplyResourceChangeRequest,
    ) -> p::ApplyResourceChangeResponse {
        Default::default()
    }
    async fn import_resource_state(
        &self,
        request: p::ImportResourceStateRequest,
    ) -> p::ImportResourceStateResponse {
        let identity = request.identity.expect("the identity reaches the server");
        p::ImportResourceStateResponse {
            imported_resources: vec![p::ImportedResource {
                type_name: request.type_name,
                state: identity,
                private: vec![],
            }],
            diagnostics: vec![],
        }
    }
    async fn validate_data_resource_config(
        &self,
        _request: p::ValidateDataResourceConfigRequest,
    ) -> p::ValidateDataResourceConfigResponse {
        Default::default()
    }
    async fn read_data_source(
        &self,
        _request: p::ReadDataSourceRequest,
    ) -> p::ReadDataSourceResponse {
        Default::default()
    }

    async fn resource_identity(
        &self,
        _type_name: &str,
        state: &p::DynamicValue,
    ) -> p::ResourceIdentityResponse {
        let mut identity = b"identity of ".to_vec();
        identity.extend(&state.msgpack);
        p::ResourceIdentityResponse {
            identity: Some(p::DynamicValue::msgpack(identity)),
            diagnostics: vec![],
        }
    }
    async fn open_ephemeral_resource(
        &self,
        request: p::OpenEphemeralResourceRequest,
    ) -> p::OpenEphemeralResourceResponse {
        p::OpenEphemeralResourceResponse {
            result: request.config,
            private: Some(b"lease".to_vec()),
            renew_at: Some(std::time::UNIX_EPOCH + std::time::Duration::from_secs(60)),
            deferred: Some(p::DeferredReason::ProviderConfigUnknown),
            diagnostics: vec![],
        }
    }
    async fn list_resource(
        &self,
        request: p::ListResourceRequest,
    ) -> p::EventStream<p::ListResourceEvent> {
        assert!(request.include_resource_object);
        let first = p::ListResourceEvent {
            identity: Some(p::DynamicValue::msgpack(b"id-1".to_vec())),
            display_name: "one".into(),
            resource_object: Some(p::DynamicValue::msgpack(b"obj-1".to_vec())),
            diagnostics: vec![],
        };
        let exploding = futures_util::stream::once(async {
            panic!("listing exploded");
        });
        Box::pin(futures_util::stream::iter([first]).chain(exploding))
    }
    async fn invoke_action(
        &self,
        _request: p::InvokeActionRequest,
    ) -> p::EventStream<p::InvokeActionEvent> {
        Box::pin(futures_util::stream::iter([
            p::InvokeActionEvent::Progress("working".into()),
            p::InvokeActionEvent::Completed(warning("done")),
        ]))
    }
}

fn service() -> ProviderService<NewerServer> {
    ProviderService::new(Arc::new(NewerServer))
}

fn dv(bytes: &[u8]) -> Option<pb::DynamicValue> {
    Some(pb::DynamicValue {
        msgpack: bytes.to_vec(),
        json: Vec::new(),
    })
}

#[tokio::test]
async fn schemas_and_metadata_carry_the_newer_kinds() {
    let schema = service()
        .get_provider_schema(Request::new(Default::default()))
        .await
        .unwrap()
        .into_inner();
    assert!(schema.ephemeral_resource_schemas.contains_key("x_lease"));
    assert!(schema.list_resource_schemas.contains_key("x_thing"));
    assert!(schema.action_schemas["x_poke"].schema.is_some());
    let metadata = service()
        .get_metadata(Request::new(Default::default()))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(metadata.ephemeral_resources[0].type_name, "x_lease");
    assert_eq!(metadata.list_resources[0].type_name, "x_thing");
    assert_eq!(metadata.actions[0].type_name, "x_poke");
}

#[tokio::test]
async fn resource_responses_carry_the_servers_identity() {
    let read = service()
        .read_resource(Request::new(pb::read_resource::Request {
            type_name: "x_thing".into(),
            current_state: dv(b"state"),
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner();
    let identity = read.new_identity.unwrap().identity_data.unwrap();
    assert_eq!(identity.msgpack, b"identity of state");

    let imported = service()
        .import_resource_state(Request::new(pb::import_resource_state::Request {
            type_name: "x_thing".into(),
            identity: Some(pb::ResourceIdentityData {
                identity_data: dv(b"given"),
            }),
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner();
    let imported = &imported.imported_resources[0];
    assert_eq!(
        imported
            .identity
            .as_ref()
            .unwrap()
            .identity_data
            .as_ref()
            .unwrap()
            .msgpack,
        b"identity of given"
    );

    // A null state (nothing to identify) gets no identity.
    let gone = service()
        .read_resource(Request::new(pb::read_resource::Request {
            type_name: "x_thing".into(),
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner();
    assert!(gone.new_identity.is_none());
}

#[tokio::test]
async fn open_ephemeral_resource_converts_every_field() {
    let opened = service()
        .open_ephemeral_resource(Request::new(pb::open_ephemeral_resource::Request {
            type_name: "x_lease".into(),
            config: dv(b"cfg"),
            client_capabilities: None,
        }))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(opened.result.unwrap().msgpack, b"cfg");
    assert_eq!(opened.private.as_deref(), Some(b"lease".as_slice()));
    assert_eq!(opened.renew_at.unwrap().seconds, 60);
    assert_eq!(
        opened.deferred.unwrap().reason,
        pb::deferred::Reason::ProviderConfigUnknown as i32
    );
}

#[tokio::test]
async fn list_stream_ends_with_a_diagnostic_after_a_panic() {
    let events: Vec<_> = service()
        .list_resource(Request::new(pb::list_resource::Request {
            type_name: "x_thing".into(),
            include_resource_object: true,
            limit: 10,
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner()
        .collect()
        .await;
    assert_eq!(events.len(), 2);
    let first = events[0].as_ref().unwrap();
    assert_eq!(first.display_name, "one");
    assert_eq!(first.resource_object.as_ref().unwrap().msgpack, b"obj-1");
    let last = events[1].as_ref().unwrap();
    assert_eq!(last.diagnostic[0].summary, "Provider Internal Error");
    assert!(last.diagnostic[0].detail.contains("ListResource"));
}

#[tokio::test]
async fn invoke_action_streams_progress_then_completed() {
    use pb::invoke_action::event::Type;
    let events: Vec<_> = service()
        .invoke_action(Request::new(pb::invoke_action::Request {
            action_type: "x_poke".into(),
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner()
        .map(|event| event.unwrap().r#type.unwrap())
        .collect()
        .await;
    assert!(matches!(&events[0], Type::Progress(p) if p.message == "working"));
    assert!(matches!(&events[1], Type::Completed(c) if c.diagnostics[0].summary == "done"));
}

#[tokio::test]
async fn unimplemented_kinds_answer_with_a_diagnostic() {
    // The default trait methods: the EchoServer-like fake does not override these.
    let closed = service()
        .close_ephemeral_resource(Request::new(pb::close_ephemeral_resource::Request {
            type_name: "x_other".into(),
            private: None,
        }))
        .await
        .unwrap()
        .into_inner();
    assert!(closed.diagnostics[0].summary.contains("Unsupported"));
}
