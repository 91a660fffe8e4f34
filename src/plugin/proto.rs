//! Generated protocol code, private to the plugin layer.
//!
//! `build.rs` compiles `proto/tfplugin6.proto` (Terraform plugin protocol 6,
//! package `tfplugin6`) and `proto/go_plugin.proto` (go-plugin's auxiliary
//! services, package `plugin`) with `protox` and `tonic-prost-build`; this file
//! only includes the output from `OUT_DIR`. Nothing here is hand-written except
//! the tests, which pin the wire numbers that are easy to get wrong.
//!
//! Server traits default every RPC to `Status::unimplemented`
//! (`generate_default_stubs`), so implementors override only what they serve.
//! With default stubs, server-streaming RPCs return
//! `tonic::codegen::BoxStream<T>` instead of an associated stream type.
//!
//! These types must not leak above the plugin layer: the framework layer uses
//! its own hand-written protocol types.

/// Terraform plugin protocol 6 (`tfplugin6`): messages, the `Provider` client
/// and the `Provider` server trait (`provider_server::Provider`).
#[allow(
    missing_docs,
    missing_debug_implementations,
    unreachable_pub,
    dead_code,
    unused_qualifications,
    unused_results,
    rust_2018_idioms,
    clippy::all,
    clippy::pedantic,
    clippy::nursery,
    rustdoc::all
)]
pub(crate) mod tfplugin6 {
    tonic::include_proto!("tfplugin6");
}

/// go-plugin auxiliary services (proto package `plugin`): `GRPCController`,
/// `GRPCStdio` and `GRPCBroker`.
#[allow(
    missing_docs,
    missing_debug_implementations,
    unreachable_pub,
    dead_code,
    unused_qualifications,
    unused_results,
    rust_2018_idioms,
    clippy::all,
    clippy::pedantic,
    clippy::nursery,
    rustdoc::all
)]
pub(crate) mod go_plugin {
    tonic::include_proto!("plugin");
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use prost::Message;

    use super::go_plugin;
    use super::tfplugin6::{
        self, ActionSchema, AttributePath, ClientCapabilities, Diagnostic, DynamicValue,
        attribute_path, get_provider_schema, invoke_action, list_resource, open_ephemeral_resource,
        plan_resource_change, schema,
    };

    /// Encodes `msg` and returns its bytes.
    fn enc<M: Message>(msg: &M) -> Vec<u8> {
        msg.encode_to_vec()
    }

    /// Tag byte for a field number below 16 with the given wire type.
    fn tag(field: u8, wire_type: u8) -> u8 {
        (field << 3) | wire_type
    }

    const VARINT: u8 = 0;
    const LEN: u8 = 2;

    #[test]
    fn validate_provider_config_diagnostics_is_field_2() {
        let resp = tfplugin6::validate_provider_config::Response {
            diagnostics: vec![Diagnostic::default()],
        };
        assert_eq!(enc(&resp), [tag(2, LEN), 0]);

        let decoded =
            tfplugin6::validate_provider_config::Response::decode(&[0x12_u8, 0x00][..]).unwrap();
        assert_eq!(decoded.diagnostics.len(), 1);
    }

    #[test]
    fn schema_attribute_nested_type_is_field_10() {
        let attr = schema::Attribute {
            nested_type: Some(schema::Object::default()),
            ..Default::default()
        };
        assert_eq!(enc(&attr), [tag(10, LEN), 0]);
    }

    #[test]
    fn schema_attribute_type_is_field_2_and_later_fields_follow() {
        let attr = schema::Attribute {
            r#type: b"\"string\"".to_vec(),
            ..Default::default()
        };
        let bytes = enc(&attr);
        assert_eq!(bytes[..2], [tag(2, LEN), 8]);

        let attr = schema::Attribute {
            write_only: true,
            ..Default::default()
        };
        assert_eq!(enc(&attr), [tag(11, VARINT), 1]);

        let attr = schema::Attribute {
            deprecation_message: "x".into(),
            ..Default::default()
        };
        assert_eq!(enc(&attr), [tag(12, LEN), 1, b'x']);
    }

    #[test]
    fn schema_block_6_11_and_1_15_fields() {
        let block = schema::Block {
            deprecation_message: "x".into(),
            ..Default::default()
        };
        assert_eq!(enc(&block), [tag(7, LEN), 1, b'x']);

        let block = schema::Block {
            computed: true,
            ..Default::default()
        };
        assert_eq!(enc(&block), [tag(8, VARINT), 1]);
    }

    #[test]
    fn schema_object_nesting_is_field_3() {
        let obj = schema::Object {
            nesting: schema::object::NestingMode::List as i32,
            ..Default::default()
        };
        assert_eq!(enc(&obj), [tag(3, VARINT), 2]);

        let nb = schema::NestedBlock {
            nesting: schema::nested_block::NestingMode::Group as i32,
            ..Default::default()
        };
        assert_eq!(enc(&nb), [tag(3, VARINT), 5]);
    }

    #[test]
    fn get_provider_schema_response_numbers() {
        let resp = get_provider_schema::Response {
            server_capabilities: Some(tfplugin6::ServerCapabilities::default()),
            ..Default::default()
        };
        assert_eq!(enc(&resp), [tag(6, LEN), 0]);

        let resp = get_provider_schema::Response {
            provider_meta: Some(tfplugin6::Schema::default()),
            ..Default::default()
        };
        assert_eq!(enc(&resp), [tag(5, LEN), 0]);

        let resp = get_provider_schema::Response {
            diagnostics: vec![Diagnostic::default()],
            ..Default::default()
        };
        assert_eq!(enc(&resp), [tag(4, LEN), 0]);

        let resp = get_provider_schema::Response {
            action_schemas: HashMap::from([(String::new(), ActionSchema::default())]),
            ..Default::default()
        };
        // Field 11 needs a one-byte tag too: (11 << 3) | 2 = 0x5A.
        assert_eq!(enc(&resp)[0], 0x5A);

        type Fill = fn(&mut get_provider_schema::Response);
        let maps: [(Fill, u8); 5] = [
            (
                |r| {
                    r.functions
                        .insert(String::new(), tfplugin6::Function::default());
                },
                7,
            ),
            (
                |r| {
                    r.ephemeral_resource_schemas
                        .insert(String::new(), tfplugin6::Schema::default());
                },
                8,
            ),
            (
                |r| {
                    r.list_resource_schemas
                        .insert(String::new(), tfplugin6::Schema::default());
                },
                9,
            ),
            (
                |r| {
                    r.state_store_schemas
                        .insert(String::new(), tfplugin6::Schema::default());
                },
                10,
            ),
            (
                |r| {
                    r.resource_schemas
                        .insert(String::new(), tfplugin6::Schema::default());
                },
                2,
            ),
        ];
        for (fill, field) in maps {
            let mut resp = get_provider_schema::Response::default();
            fill(&mut resp);
            assert_eq!(enc(&resp)[0], tag(field, LEN), "map field {field}");
        }
    }

    #[test]
    fn stop_provider_response_error_is_field_1() {
        let resp = tfplugin6::stop_provider::Response { error: "x".into() };
        assert_eq!(enc(&resp), [tag(1, LEN), 1, b'x']);
    }

    #[test]
    fn legacy_type_system_numbers() {
        let plan = plan_resource_change::Response {
            legacy_type_system: true,
            ..Default::default()
        };
        assert_eq!(enc(&plan), [tag(5, VARINT), 1]);

        let apply = tfplugin6::apply_resource_change::Response {
            legacy_type_system: true,
            ..Default::default()
        };
        assert_eq!(enc(&apply), [tag(4, VARINT), 1]);
    }

    #[test]
    fn plan_resource_change_request_planned_private_is_field_9() {
        let req = plan_resource_change::Request {
            planned_private: vec![7],
            ..Default::default()
        };
        assert_eq!(enc(&req), [tag(9, LEN), 1, 7]);
    }

    #[test]
    fn client_capabilities_numbers() {
        let caps = ClientCapabilities {
            write_only_attributes_allowed: true,
            ..Default::default()
        };
        assert_eq!(enc(&caps), [tag(2, VARINT), 1]);

        let caps = ClientCapabilities {
            store_planned_private: true,
            computed_blocks_allowed: true,
            ..Default::default()
        };
        assert_eq!(enc(&caps), [tag(3, VARINT), 1, tag(4, VARINT), 1]);
    }

    #[test]
    fn attribute_path_step_oneof() {
        let step = attribute_path::Step {
            selector: Some(attribute_path::step::Selector::ElementKeyInt(3)),
        };
        assert_eq!(enc(&step), [tag(3, VARINT), 3]);

        let path = AttributePath {
            steps: vec![attribute_path::Step {
                selector: Some(attribute_path::step::Selector::AttributeName("a".into())),
            }],
        };
        assert_eq!(enc(&path), [tag(1, LEN), 3, tag(1, LEN), 1, b'a']);
    }

    #[test]
    fn function_return_is_field_3() {
        let func = tfplugin6::Function {
            r#return: Some(tfplugin6::function::Return {
                r#type: b"1".to_vec(),
            }),
            ..Default::default()
        };
        assert_eq!(enc(&func), [tag(3, LEN), 3, tag(1, LEN), 1, b'1']);

        let err = tfplugin6::FunctionError {
            text: String::new(),
            function_argument: Some(0),
        };
        // proto3 `optional`: Some(0) is still sent.
        assert_eq!(enc(&err), [tag(2, VARINT), 0]);
    }

    #[test]
    fn optional_fields_have_presence() {
        let resp = open_ephemeral_resource::Response {
            private: Some(Vec::new()),
            renew_at: Some(prost_types::Timestamp::default()),
            ..Default::default()
        };
        assert_eq!(enc(&resp), [tag(2, LEN), 0, tag(4, LEN), 0]);

        let event = list_resource::Event {
            resource_object: Some(DynamicValue::default()),
            ..Default::default()
        };
        assert_eq!(enc(&event), [tag(3, LEN), 0]);
    }

    #[test]
    fn list_resource_event_diagnostic_is_field_4() {
        let event = list_resource::Event {
            diagnostic: vec![Diagnostic::default()],
            ..Default::default()
        };
        assert_eq!(enc(&event), [tag(4, LEN), 0]);
    }

    #[test]
    fn invoke_action_event_oneof_type() {
        let event = invoke_action::Event {
            r#type: Some(invoke_action::event::Type::Completed(
                invoke_action::event::Completed::default(),
            )),
        };
        assert_eq!(enc(&event), [tag(2, LEN), 0]);
    }

    #[test]
    fn enum_values() {
        assert_eq!(tfplugin6::diagnostic::Severity::Warning as i32, 2);
        assert_eq!(tfplugin6::StringKind::Markdown as i32, 1);
        assert_eq!(tfplugin6::deferred::Reason::AbsentPrereq as i32, 3);
    }

    #[test]
    fn go_plugin_messages() {
        let data = go_plugin::StdioData {
            channel: go_plugin::stdio_data::Channel::Stderr as i32,
            data: b"x".to_vec(),
        };
        assert_eq!(enc(&data), [tag(1, VARINT), 2, tag(2, LEN), 1, b'x']);

        let info = go_plugin::ConnInfo {
            service_id: 1,
            knock: Some(go_plugin::conn_info::Knock {
                error: "e".into(),
                ..Default::default()
            }),
            ..Default::default()
        };
        assert_eq!(
            enc(&info),
            [tag(1, VARINT), 1, tag(4, LEN), 3, tag(3, LEN), 1, b'e']
        );
        assert!(enc(&go_plugin::Empty {}).is_empty());
    }

    /// Implements every generated server trait with no methods at all.
    struct Stub;

    #[tonic::async_trait]
    impl tfplugin6::provider_server::Provider for Stub {}

    #[tonic::async_trait]
    impl go_plugin::grpc_controller_server::GrpcController for Stub {}

    #[tonic::async_trait]
    impl go_plugin::grpc_stdio_server::GrpcStdio for Stub {}

    #[tonic::async_trait]
    impl go_plugin::grpc_broker_server::GrpcBroker for Stub {}

    #[test]
    fn service_names_match_grpc_paths() {
        use tonic::server::NamedService;

        fn name<S: NamedService>(_: &S) -> &'static str {
            S::NAME
        }
        assert_eq!(
            name(&tfplugin6::provider_server::ProviderServer::new(Stub)),
            "tfplugin6.Provider"
        );
        assert_eq!(
            name(&go_plugin::grpc_controller_server::GrpcControllerServer::new(Stub)),
            "plugin.GRPCController"
        );
        assert_eq!(
            name(&go_plugin::grpc_stdio_server::GrpcStdioServer::new(Stub)),
            "plugin.GRPCStdio"
        );
        assert_eq!(
            name(&go_plugin::grpc_broker_server::GrpcBrokerServer::new(Stub)),
            "plugin.GRPCBroker"
        );
    }

    #[tokio::test]
    async fn default_stubs_answer_unimplemented() {
        use tfplugin6::provider_server::Provider;

        let status = Stub
            .stop_provider(tonic::Request::new(tfplugin6::stop_provider::Request {}))
            .await
            .unwrap_err();
        assert_eq!(status.code(), tonic::Code::Unimplemented);

        let status = Stub
            .get_resource_identity_schemas(tonic::Request::new(
                tfplugin6::get_resource_identity_schemas::Request {},
            ))
            .await
            .unwrap_err();
        assert_eq!(status.code(), tonic::Code::Unimplemented);

        let result = Stub
            .list_resource(tonic::Request::new(list_resource::Request::default()))
            .await;
        assert_eq!(
            result.err().map(|s| s.code()),
            Some(tonic::Code::Unimplemented)
        );
    }
}
