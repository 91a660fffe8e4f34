//! Engine tests with a fake provider: every RPC through [`ProviderServer`],
//! values encoded as Terraform would send them.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;

use super::*;
use crate::framework::data_source::DataSourceReadResponse;
use crate::framework::diag::Diagnostic;
use crate::framework::path::Path;
use crate::framework::provider::ConfigureRequest;
use crate::framework::resource::*;
use crate::framework::schema::Attribute;
use crate::framework::value::{self, Type, Value};

fn thing_schema() -> Schema {
    Schema::new(
        0,
        "A thing.",
        vec![
            Attribute::required("name", Type::String).requires_replace(),
            Attribute::optional("note", Type::String),
            Attribute::computed("id", Type::String).use_state_for_unknown(),
            Attribute::computed("secret", Type::String).sensitive(),
        ],
    )
}

fn thing(name: &str, note: Option<&str>, id: Value, secret: Value) -> Value {
    Value::object([
        ("name", Value::string(name)),
        ("note", note.map_or(Value::Null, Value::string)),
        ("id", id),
        ("secret", secret),
    ])
}

#[derive(Default)]
struct FakeThing {
    read_result: Mutex<Option<Option<Value>>>,
    deleted: Mutex<Vec<Value>>,
    panic_on_read: bool,
}

#[async_trait]
impl Resource for FakeThing {
    fn type_name(&self) -> String {
        "fake_thing".into()
    }

    fn schema(&self) -> Schema {
        thing_schema()
    }

    async fn validate_config(&self, config: &Value) -> Diagnostics {
        let mut diagnostics = Diagnostics::new();
        if config.get_attr("name").and_then(Value::as_str) == Some("") {
            diagnostics.attribute_error(Path::root("name"), "Invalid Name", "empty");
        }
        diagnostics
    }

    async fn create(&self, request: CreateRequest) -> CreateResponse {
        let name = request
            .config
            .get_attr("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let note = request
            .config
            .get_attr("note")
            .and_then(Value::as_str)
            .map(str::to_string);
        CreateResponse {
            state: Some(thing(
                &name,
                note.as_deref(),
                Value::string("id-1"),
                Value::string("s3cret"),
            )),
            diagnostics: Diagnostics::new(),
        }
    }

    async fn read(&self, request: ReadRequest) -> ReadResponse {
        assert!(!self.panic_on_read, "read exploded");
        let configured = self.read_result.lock().unwrap().clone();
        ReadResponse {
            state: configured.unwrap_or(Some(request.state)),
            diagnostics: Diagnostics::new(),
        }
    }

    async fn delete(&self, request: DeleteRequest) -> DeleteResponse {
        self.deleted.lock().unwrap().push(request.state);
        DeleteResponse::default()
    }

    fn as_import(&self) -> Option<&dyn ResourceWithImport> {
        Some(self)
    }
}

#[async_trait]
impl ResourceWithImport for FakeThing {
    async fn import_state(&self, id: &str) -> ImportResponse {
        if id == "missing" {
            let mut diagnostics = Diagnostics::new();
            diagnostics.error("Cannot Import", "no such thing");
            return ImportResponse {
                state: None,
                diagnostics,
            };
        }
        ImportResponse {
            state: Some(thing("imported", None, Value::string(id), Value::Null)),
            diagnostics: Diagnostics::new(),
        }
    }
}

struct FakeListing;

#[async_trait]
impl DataSource for FakeListing {
    fn type_name(&self) -> String {
        "fake_listing".into()
    }

    fn schema(&self) -> Schema {
        Schema::new(
            0,
            "",
            vec![Attribute::computed("names", Type::list(Type::String))],
        )
    }

    async fn read(&self, _config: Value) -> DataSourceReadResponse {
        DataSourceReadResponse {
            state: Some(Value::object([(
                "names",
                Value::list([Value::string("a")]),
            )])),
            diagnostics: Diagnostics::new(),
        }
    }
}

struct FakeProvider {
    thing: Arc<FakeThing>,
    configured: Arc<Mutex<Option<ConfigureRequest>>>,
}

#[async_trait]
impl Provider for FakeProvider {
    fn type_name(&self) -> &'static str {
        "fake"
    }

    fn schema(&self) -> Schema {
        Schema::new(0, "", vec![Attribute::optional("endpoint", Type::String)])
    }

    async fn configure(&self, request: ConfigureRequest) -> Diagnostics {
        *self.configured.lock().unwrap() = Some(request);
        Diagnostics::new()
    }

    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        vec![self.thing.clone()]
    }

    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        vec![Arc::new(FakeListing)]
    }
}

fn server_with(
    thing: FakeThing,
) -> (
    FrameworkServer<FakeProvider>,
    Arc<FakeThing>,
    Arc<Mutex<Option<ConfigureRequest>>>,
) {
    let thing = Arc::new(thing);
    let configured = Arc::new(Mutex::new(None));
    let server = FrameworkServer::new(FakeProvider {
        thing: thing.clone(),
        configured: configured.clone(),
    });
    (server, thing, configured)
}

fn encode(value: &Value) -> p::DynamicValue {
    p::DynamicValue::msgpack(value::encode_msgpack(value, &thing_schema().value_type()).unwrap())
}

fn decode(value: &p::DynamicValue) -> Value {
    value::decode_msgpack(&value.msgpack, &thing_schema().value_type()).unwrap()
}

#[tokio::test]
async fn schema_lists_types_and_capabilities() {
    let (server, _, _) = server_with(FakeThing::default());
    let response = server.get_provider_schema().await;
    assert!(response.resource_schemas.contains_key("fake_thing"));
    assert!(response.data_source_schemas.contains_key("fake_listing"));
    assert!(response.server_capabilities.plan_destroy);
    assert!(response.server_capabilities.get_provider_schema_optional);
    let metadata = server.get_metadata().await;
    assert!(metadata.server_capabilities.get_provider_schema_optional);
    assert_eq!(metadata.resources, vec!["fake_thing".to_string()]);
}

#[tokio::test]
async fn validate_passes_diagnostics_with_paths() {
    let (server, _, _) = server_with(FakeThing::default());
    let config = thing("", None, Value::Null, Value::Null);
    let response = server
        .validate_resource_config(p::ValidateResourceConfigRequest {
            type_name: "fake_thing".into(),
            config: encode(&config),
            ..Default::default()
        })
        .await;
    assert_eq!(response.diagnostics.len(), 1);
    let path = response.diagnostics[0].attribute.clone().unwrap();
    assert_eq!(
        path.steps,
        vec![p::AttributePathStep::AttributeName("name".into())]
    );
}

#[tokio::test]
async fn undecodable_value_is_a_diagnostic_not_a_panic() {
    let (server, _, _) = server_with(FakeThing::default());
    let response = server
        .validate_resource_config(p::ValidateResourceConfigRequest {
            type_name: "fake_thing".into(),
            config: p::DynamicValue::msgpack(vec![0xc1, 0xff, 0x00]),
            ..Default::default()
        })
        .await;
    assert_eq!(
        response.diagnostics[0].summary,
        "Invalid Value From Terraform"
    );
}

#[tokio::test]
async fn unknown_type_name_is_a_diagnostic() {
    let (server, _, _) = server_with(FakeThing::default());
    let response = server
        .read_resource(p::ReadResourceRequest {
            type_name: "nope".into(),
            ..Default::default()
        })
        .await;
    assert_eq!(response.diagnostics[0].summary, "Unknown Resource Type");
}

#[tokio::test]
async fn configure_passes_version_and_stop_token() {
    let (server, _, configured) = server_with(FakeThing::default());
    let config = Value::object([("endpoint", Value::Unknown)]);
    let config = value::encode_msgpack(&config, &server.provider_schema.value_type()).unwrap();
    let response = server
        .configure_provider(p::ConfigureProviderRequest {
            terraform_version: "1.15.5".into(),
            config: p::DynamicValue::msgpack(config),
            ..Default::default()
        })
        .await;
    assert!(response.diagnostics.is_empty());
    let request = configured.lock().unwrap().clone().unwrap();
    assert_eq!(request.terraform_version, "1.15.5");
    assert!(request.config.get_attr("endpoint").unwrap().is_unknown());
    assert!(!request.stop.is_cancelled());
    assert!(server.stop_provider().await.error.is_empty());
    assert!(request.stop.is_cancelled());
}

fn plan_attributes(
    schema: &Schema,
    prior: Option<&Value>,
    proposed: Value,
    config: &Value,
) -> (Value, Vec<Path>) {
    let planned = super::planning::plan_attributes(schema, prior, proposed, config);
    assert!(planned.diagnostics.is_empty(), "{:?}", planned.diagnostics);
    (planned.planned, planned.requires_replace)
}

#[test]
fn plan_create_marks_computed_unknown() {
    let config = thing("a", None, Value::Null, Value::Null);
    let (planned, replace) = plan_attributes(&thing_schema(), None, config.clone(), &config);
    assert_eq!(planned, thing("a", None, Value::Unknown, Value::Unknown));
    assert!(replace.is_empty());
}

#[test]
fn plan_without_change_is_the_prior_state() {
    let prior = thing("a", None, Value::string("id-1"), Value::string("s"));
    let config = thing("a", None, Value::Null, Value::Null);
    let (planned, replace) = plan_attributes(&thing_schema(), Some(&prior), prior.clone(), &config);
    assert_eq!(planned, prior);
    assert!(replace.is_empty());
}

#[test]
fn plan_update_keeps_stable_ids_and_unknowns_the_rest() {
    let prior = thing("a", None, Value::string("id-1"), Value::string("s"));
    let proposed = thing("a", Some("new"), Value::string("id-1"), Value::string("s"));
    let config = thing("a", Some("new"), Value::Null, Value::Null);
    let (planned, replace) = plan_attributes(&thing_schema(), Some(&prior), proposed, &config);
    assert_eq!(
        planned,
        thing("a", Some("new"), Value::string("id-1"), Value::Unknown)
    );
    assert!(replace.is_empty());
}

#[test]
fn plan_replace_reports_path_and_unknowns_ids() {
    let prior = thing("a", None, Value::string("id-1"), Value::string("s"));
    let proposed = thing("b", None, Value::string("id-1"), Value::string("s"));
    let config = thing("b", None, Value::Null, Value::Null);
    let (planned, replace) = plan_attributes(&thing_schema(), Some(&prior), proposed, &config);
    assert_eq!(replace, vec![Path::root("name")]);
    assert_eq!(planned, thing("b", None, Value::Unknown, Value::Unknown));
}

#[tokio::test]
async fn plan_destroy_is_null() {
    let (server, _, _) = server_with(FakeThing::default());
    let prior = thing("a", None, Value::string("id-1"), Value::string("s"));
    let response = server
        .plan_resource_change(p::PlanResourceChangeRequest {
            type_name: "fake_thing".into(),
            prior_state: encode(&prior),
            proposed_new_state: encode(&Value::Null),
            config: encode(&Value::Null),
            prior_private: b"keep".to_vec(),
            ..Default::default()
        })
        .await;
    assert!(response.diagnostics.is_empty());
    assert_eq!(decode(&response.planned_state), Value::Null);
    assert_eq!(response.planned_private, b"keep".to_vec());
}

#[tokio::test]
async fn apply_create_then_delete() {
    let (server, thing_resource, _) = server_with(FakeThing::default());
    let config = thing("a", None, Value::Null, Value::Null);
    let planned = thing("a", None, Value::Unknown, Value::Unknown);
    let created = server
        .apply_resource_change(p::ApplyResourceChangeRequest {
            type_name: "fake_thing".into(),
            prior_state: encode(&Value::Null),
            planned_state: encode(&planned),
            config: encode(&config),
            ..Default::default()
        })
        .await;
    assert!(created.diagnostics.is_empty(), "{:?}", created.diagnostics);
    let state = decode(&created.new_state);
    assert_eq!(
        state,
        thing("a", None, Value::string("id-1"), Value::string("s3cret"))
    );

    let deleted = server
        .apply_resource_change(p::ApplyResourceChangeRequest {
            type_name: "fake_thing".into(),
            prior_state: encode(&state),
            planned_state: encode(&Value::Null),
            config: encode(&Value::Null),
            ..Default::default()
        })
        .await;
    assert!(deleted.diagnostics.is_empty());
    assert_eq!(decode(&deleted.new_state), Value::Null);
    assert_eq!(thing_resource.deleted.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn apply_result_differing_from_plan_is_reported() {
    let (server, _, _) = server_with(FakeThing::default());
    let config = thing("a", None, Value::Null, Value::Null);
    // Planned note "x" but the fake creates without one.
    let planned = thing("a", Some("x"), Value::Unknown, Value::Unknown);
    let response = server
        .apply_resource_change(p::ApplyResourceChangeRequest {
            type_name: "fake_thing".into(),
            prior_state: encode(&Value::Null),
            planned_state: encode(&planned),
            config: encode(&config),
            ..Default::default()
        })
        .await;
    assert_eq!(
        response.diagnostics[0].summary,
        "Provider Produced Inconsistent Result"
    );
}

#[tokio::test]
async fn read_of_gone_object_returns_null_state() {
    let fake = FakeThing::default();
    *fake.read_result.lock().unwrap() = Some(None);
    let (server, _, _) = server_with(fake);
    let state = thing("a", None, Value::string("id-1"), Value::string("s"));
    let response = server
        .read_resource(p::ReadResourceRequest {
            type_name: "fake_thing".into(),
            current_state: encode(&state),
            private: b"p".to_vec(),
            ..Default::default()
        })
        .await;
    assert!(response.diagnostics.is_empty());
    assert_eq!(response.new_state.msgpack, vec![0xc0]);
    assert_eq!(response.private, b"p".to_vec());
}

#[tokio::test]
async fn read_returning_unknown_is_rejected() {
    let fake = FakeThing::default();
    *fake.read_result.lock().unwrap() = Some(Some(thing("a", None, Value::Unknown, Value::Null)));
    let (server, _, _) = server_with(fake);
    let state = thing("a", None, Value::string("id-1"), Value::string("s"));
    let response = server
        .read_resource(p::ReadResourceRequest {
            type_name: "fake_thing".into(),
            current_state: encode(&state),
            ..Default::default()
        })
        .await;
    assert_eq!(
        response.diagnostics[0].summary,
        "Provider Produced An Invalid Value"
    );
}

#[tokio::test]
async fn import_returns_typed_resource_or_error() {
    let (server, _, _) = server_with(FakeThing::default());
    let response = server
        .import_resource_state(p::ImportResourceStateRequest {
            type_name: "fake_thing".into(),
            id: "id-9".into(),
            ..Default::default()
        })
        .await;
    assert_eq!(response.imported_resources.len(), 1);
    assert_eq!(response.imported_resources[0].type_name, "fake_thing");
    assert_eq!(
        decode(&response.imported_resources[0].state).get_attr("id"),
        Some(&Value::string("id-9"))
    );

    let missing = server
        .import_resource_state(p::ImportResourceStateRequest {
            type_name: "fake_thing".into(),
            id: "missing".into(),
            ..Default::default()
        })
        .await;
    assert!(missing.imported_resources.is_empty());
    assert_eq!(missing.diagnostics[0].summary, "Cannot Import");
}

#[tokio::test]
async fn upgrade_fills_missing_attributes_and_rejects_newer_versions() {
    let (server, _, _) = server_with(FakeThing::default());
    let response = server
        .upgrade_resource_state(p::UpgradeResourceStateRequest {
            type_name: "fake_thing".into(),
            version: 0,
            raw_state: p::RawState {
                json: br#"{"name":"a","id":"id-1"}"#.to_vec(),
                flatmap: BTreeMap::new(),
            },
        })
        .await;
    assert!(
        response.diagnostics.is_empty(),
        "{:?}",
        response.diagnostics
    );
    assert_eq!(
        decode(&response.upgraded_state),
        thing("a", None, Value::string("id-1"), Value::Null)
    );

    let newer = server
        .upgrade_resource_state(p::UpgradeResourceStateRequest {
            type_name: "fake_thing".into(),
            version: 7,
            raw_state: p::RawState {
                json: b"{}".to_vec(),
                flatmap: BTreeMap::new(),
            },
        })
        .await;
    assert_eq!(
        newer.diagnostics[0].summary,
        "Resource State Is From A Newer Provider"
    );
}

#[tokio::test]
async fn data_source_read_encodes_state() {
    let (server, _, _) = server_with(FakeThing::default());
    let schema = Schema::new(
        0,
        "",
        vec![Attribute::computed("names", Type::list(Type::String))],
    );
    let config = value::encode_msgpack(
        &Value::object([("names", Value::Null)]),
        &schema.value_type(),
    )
    .unwrap();
    let response = server
        .read_data_source(p::ReadDataSourceRequest {
            type_name: "fake_listing".into(),
            config: p::DynamicValue::msgpack(config),
            ..Default::default()
        })
        .await;
    assert!(response.diagnostics.is_empty());
    let state = value::decode_msgpack(&response.state.msgpack, &schema.value_type()).unwrap();
    assert_eq!(
        state,
        Value::object([("names", Value::list([Value::string("a")]))])
    );
}

#[test]
fn diagnostic_constructors_set_severity() {
    assert!(Diagnostic::error("A", "b").is_error());
    assert!(!Diagnostic::warning("A", "b").is_error());
}
