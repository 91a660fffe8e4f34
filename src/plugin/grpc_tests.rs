//! In-process tests of every implemented `tfplugin6.Provider` RPC: the
//! generated service trait is called directly with protobuf requests, and a
//! fake [`ProviderServer`] checks what arrives and answers with values that
//! must survive the conversion back to protobuf. Also: a panicking handler
//! becomes a diagnostic naming the RPC.

use std::sync::Arc;

use async_trait::async_trait;
use tonic::Request;

use super::grpc::ProviderService;
use super::proto::tfplugin6 as pb;
use super::proto::tfplugin6::provider_server::Provider as _;
use super::protocol::{self as p, ProviderServer};

fn dv(bytes: &[u8]) -> Option<pb::DynamicValue> {
    Some(pb::DynamicValue {
        msgpack: bytes.to_vec(),
        json: Vec::new(),
    })
}

fn warning(summary: &str) -> Vec<p::Diagnostic> {
    vec![p::Diagnostic {
        severity: p::Severity::Warning,
        summary: summary.to_string(),
        detail: "d".to_string(),
        attribute: Some(p::AttributePath {
            steps: vec![p::AttributePathStep::AttributeName("a".into())],
        }),
    }]
}

/// Echoes inputs back so the test sees both directions of every conversion.
struct EchoServer {
    panic: bool,
}

#[async_trait]
impl ProviderServer for EchoServer {
    async fn get_provider_schema(&self) -> p::GetProviderSchemaResponse {
        assert!(!self.panic, "boom in schema");
        let mut response = p::GetProviderSchemaResponse {
            server_capabilities: p::ServerCapabilities {
                plan_destroy: true,
                ..Default::default()
            },
            diagnostics: warning("schema"),
            ..Default::default()
        };
        response.resource_schemas.insert(
            "x_thing".into(),
            p::Schema {
                version: 2,
                ..Default::default()
            },
        );
        response
            .data_source_schemas
            .insert("x_list".into(), p::Schema::default());
        response
    }
    async fn get_metadata(&self) -> p::GetMetadataResponse {
        p::GetMetadataResponse {
            resources: vec!["x_thing".into()],
            data_sources: vec!["x_list".into()],
            ..Default::default()
        }
    }
    async fn validate_provider_config(
        &self,
        request: p::ValidateProviderConfigRequest,
    ) -> p::ValidateProviderConfigResponse {
        assert_eq!(request.config.msgpack, b"cfg");
        p::ValidateProviderConfigResponse {
            diagnostics: warning("validate provider"),
        }
    }
    async fn configure_provider(
        &self,
        request: p::ConfigureProviderRequest,
    ) -> p::ConfigureProviderResponse {
        assert_eq!(request.terraform_version, "1.15.5");
        assert!(request.client_capabilities.write_only_attributes_allowed);
        p::ConfigureProviderResponse {
            diagnostics: warning("configure"),
        }
    }
    async fn stop_provider(&self) -> p::StopProviderResponse {
        p::StopProviderResponse {
            error: String::new(),
        }
    }
    async fn validate_resource_config(
        &self,
        request: p::ValidateResourceConfigRequest,
    ) -> p::ValidateResourceConfigResponse {
        assert_eq!(request.type_name, "x_thing");
        p::ValidateResourceConfigResponse {
            diagnostics: warning("validate resource"),
        }
    }
    async fn upgrade_resource_state(
        &self,
        request: p::UpgradeResourceStateRequest,
    ) -> p::UpgradeResourceStateResponse {
        assert_eq!(
            (request.version, request.raw_state.json.as_slice()),
            (3, b"{}".as_slice())
        );
        p::UpgradeResourceStateResponse {
            upgraded_state: p::DynamicValue::msgpack(b"up".to_vec()),
            diagnostics: vec![],
        }
    }
    async fn read_resource(&self, request: p::ReadResourceRequest) -> p::ReadResourceResponse {
        p::ReadResourceResponse {
            new_state: request.current_state,
            private: request.private,
            diagnostics: vec![],
        }
    }
    async fn plan_resource_change(
        &self,
        request: p::PlanResourceChangeRequest,
    ) -> p::PlanResourceChangeResponse {
        assert_eq!(request.prior_state.msgpack, b"prior");
        assert_eq!(request.config.msgpack, b"config");
        p::PlanResourceChangeResponse {
            planned_state: request.proposed_new_state,
            requires_replace: vec![p::AttributePath {
                steps: vec![
                    p::AttributePathStep::AttributeName("name".into()),
                    p::AttributePathStep::ElementKeyInt(1),
                ],
            }],
            planned_private: request.prior_private,
            diagnostics: vec![],
        }
    }
    async fn apply_resource_change(
        &self,
        request: p::ApplyResourceChangeRequest,
    ) -> p::ApplyResourceChangeResponse {
        assert_eq!(request.prior_state.msgpack, b"prior");
        p::ApplyResourceChangeResponse {
            new_state: request.planned_state,
            private: request.planned_private,
            diagnostics: vec![],
        }
    }
    async fn import_resource_state(
        &self,
        request: p::ImportResourceStateRequest,
    ) -> p::ImportResourceStateResponse {
        p::ImportResourceStateResponse {
            imported_resources: vec![p::ImportedResource {
                type_name: request.type_name,
                state: p::DynamicValue::msgpack(request.id.into_bytes()),
                private: vec![],
            }],
            diagnostics: vec![],
        }
    }
    async fn validate_data_resource_config(
        &self,
        request: p::ValidateDataResourceConfigRequest,
    ) -> p::ValidateDataResourceConfigResponse {
        assert_eq!(request.type_name, "x_list");
        p::ValidateDataResourceConfigResponse {
            diagnostics: warning("validate data"),
        }
    }
    async fn read_data_source(
        &self,
        request: p::ReadDataSourceRequest,
    ) -> p::ReadDataSourceResponse {
        p::ReadDataSourceResponse {
            state: request.config,
            diagnostics: vec![],
        }
    }
    async fn move_resource_state(
        &self,
        request: p::MoveResourceStateRequest,
    ) -> p::MoveResourceStateResponse {
        let echoed = format!(
            "{}|{}|{}|{}",
            request.source_provider_address,
            request.source_type_name,
            request.source_schema_version,
            request.target_type_name
        );
        p::MoveResourceStateResponse {
            target_state: p::DynamicValue::msgpack(echoed.into_bytes()),
            diagnostics: warning("move"),
            target_private: [request.source_state.json, request.source_private].concat(),
        }
    }
}

fn service() -> ProviderService<EchoServer> {
    ProviderService::new(Arc::new(EchoServer { panic: false }))
}

#[tokio::test]
async fn get_provider_schema_and_metadata() {
    let response = service()
        .get_provider_schema(Request::new(Default::default()))
        .await
        .unwrap()
        .into_inner();
    assert!(
        response.provider.is_some(),
        "Terraform needs a provider schema"
    );
    assert_eq!(response.resource_schemas["x_thing"].version, 2);
    assert!(response.data_source_schemas.contains_key("x_list"));
    assert!(response.server_capabilities.unwrap().plan_destroy);
    assert_eq!(response.diagnostics[0].summary, "schema");
    assert_eq!(
        response.diagnostics[0].severity,
        pb::diagnostic::Severity::Warning as i32
    );

    let metadata = service()
        .get_metadata(Request::new(Default::default()))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(metadata.resources[0].type_name, "x_thing");
    assert_eq!(metadata.data_sources[0].type_name, "x_list");
}

#[tokio::test]
async fn identity_schemas_are_empty_not_unimplemented() {
    let response = service()
        .get_resource_identity_schemas(Request::new(Default::default()))
        .await
        .unwrap();
    assert!(response.into_inner().identity_schemas.is_empty());
}

#[tokio::test]
async fn provider_config_rpcs() {
    let svc = service();
    let validated = svc
        .validate_provider_config(Request::new(pb::validate_provider_config::Request {
            config: dv(b"cfg"),
        }))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(validated.diagnostics[0].summary, "validate provider");
    let configured = svc
        .configure_provider(Request::new(pb::configure_provider::Request {
            terraform_version: "1.15.5".into(),
            config: dv(b"cfg"),
            client_capabilities: Some(pb::ClientCapabilities {
                write_only_attributes_allowed: true,
                ..Default::default()
            }),
        }))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(configured.diagnostics[0].summary, "configure");
    let stopped = svc
        .stop_provider(Request::new(Default::default()))
        .await
        .unwrap()
        .into_inner();
    assert!(stopped.error.is_empty());
}

#[tokio::test]
async fn resource_rpcs_round_trip_values() {
    let svc = service();
    let validated = svc
        .validate_resource_config(Request::new(pb::validate_resource_config::Request {
            type_name: "x_thing".into(),
            config: dv(b"c"),
            client_capabilities: None,
        }))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        validated.diagnostics[0]
            .attribute
            .as_ref()
            .unwrap()
            .steps
            .len(),
        1
    );

    let upgraded = svc
        .upgrade_resource_state(Request::new(pb::upgrade_resource_state::Request {
            type_name: "x_thing".into(),
            version: 3,
            raw_state: Some(pb::RawState {
                json: b"{}".to_vec(),
                flatmap: Default::default(),
            }),
        }))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(upgraded.upgraded_state.unwrap().msgpack, b"up");

    let read = svc
        .read_resource(Request::new(pb::read_resource::Request {
            type_name: "x_thing".into(),
            current_state: dv(b"state"),
            private: b"priv".to_vec(),
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (read.new_state.unwrap().msgpack, read.private),
        (b"state".to_vec(), b"priv".to_vec())
    );

    let planned = svc
        .plan_resource_change(Request::new(pb::plan_resource_change::Request {
            type_name: "x_thing".into(),
            prior_state: dv(b"prior"),
            proposed_new_state: dv(b"proposed"),
            config: dv(b"config"),
            prior_private: b"pp".to_vec(),
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(planned.planned_state.unwrap().msgpack, b"proposed");
    assert_eq!(planned.planned_private, b"pp");
    assert!(!planned.legacy_type_system);
    use pb::attribute_path::step::Selector;
    let steps: Vec<_> = planned.requires_replace[0]
        .steps
        .iter()
        .map(|s| s.selector.clone().unwrap())
        .collect();
    assert_eq!(
        steps,
        vec![
            Selector::AttributeName("name".into()),
            Selector::ElementKeyInt(1)
        ]
    );

    let applied = svc
        .apply_resource_change(Request::new(pb::apply_resource_change::Request {
            type_name: "x_thing".into(),
            prior_state: dv(b"prior"),
            planned_state: dv(b"planned"),
            config: dv(b"config"),
            planned_private: b"pp".to_vec(),
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (applied.new_state.unwrap().msgpack, applied.private),
        (b"planned".to_vec(), b"pp".to_vec())
    );
    assert!(!applied.legacy_type_system);

    let imported = svc
        .import_resource_state(Request::new(pb::import_resource_state::Request {
            type_name: "x_thing".into(),
            id: "abc".into(),
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(imported.imported_resources[0].type_name, "x_thing");
    assert_eq!(
        imported.imported_resources[0]
            .state
            .as_ref()
            .unwrap()
            .msgpack,
        b"abc"
    );
}

#[tokio::test]
async fn data_source_rpcs() {
    let svc = service();
    let validated = svc
        .validate_data_resource_config(Request::new(pb::validate_data_resource_config::Request {
            type_name: "x_list".into(),
            config: dv(b"c"),
        }))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(validated.diagnostics[0].summary, "validate data");
    let read = svc
        .read_data_source(Request::new(pb::read_data_source::Request {
            type_name: "x_list".into(),
            config: dv(b"conf"),
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(read.state.unwrap().msgpack, b"conf");
}

#[tokio::test]
async fn missing_request_values_arrive_as_null() {
    // Terraform may leave DynamicValue fields unset; they must decode as empty (null), not fail.
    let read = service()
        .read_resource(Request::new(pb::read_resource::Request {
            type_name: "x_thing".into(),
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner();
    let state = read.new_state.unwrap();
    assert!(state.msgpack.is_empty() && state.json.is_empty());
}

#[tokio::test]
async fn panic_in_handler_becomes_a_diagnostic_naming_the_rpc() {
    let svc = ProviderService::new(Arc::new(EchoServer { panic: true }));
    let response = svc
        .get_provider_schema(Request::new(Default::default()))
        .await
        .unwrap()
        .into_inner();
    let diagnostic = &response.diagnostics[0];
    assert_eq!(diagnostic.severity, pb::diagnostic::Severity::Error as i32);
    assert!(
        diagnostic.detail.contains("GetProviderSchema"),
        "{}",
        diagnostic.detail
    );
    assert!(response.provider.is_some());
}

#[tokio::test]
async fn move_resource_state_round_trips() {
    let response = service()
        .move_resource_state(Request::new(pb::move_resource_state::Request {
            source_provider_address: "registry.terraform.io/example/old".into(),
            source_type_name: "old_thing".into(),
            source_schema_version: 3,
            source_state: Some(pb::RawState {
                json: b"{}".to_vec(),
                flatmap: Default::default(),
            }),
            target_type_name: "x_thing".into(),
            source_private: b"p".to_vec(),
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        response.target_state.unwrap().msgpack,
        b"registry.terraform.io/example/old|old_thing|3|x_thing".to_vec()
    );
    assert_eq!(response.target_private, b"{}p".to_vec());
    assert_eq!(response.diagnostics[0].summary, "move");
}
