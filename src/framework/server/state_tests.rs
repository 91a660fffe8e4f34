//! Engine tests of `UpgradeResourceState` with a per-resource upgrader and
//! of `MoveResourceState`.

use std::collections::BTreeMap;
use std::sync::Arc;

use async_trait::async_trait;

use super::*;
use crate::framework::provider::ConfigureRequest;
use crate::framework::resource::*;
use crate::framework::schema::Attribute;
use crate::framework::value::{self, Type, Value};

/// Version 2 of a widget. Version 0 called `name` `title`; version 1 stored
/// `size` as a string.
fn widget_schema() -> Schema {
    Schema::new(
        2,
        "",
        vec![
            Attribute::required("name", Type::String),
            Attribute::optional("size", Type::Number),
            Attribute::computed("id", Type::String),
        ],
    )
}

fn widget(name: &str, size: Option<i64>, id: &str) -> Value {
    Value::object([
        ("name", Value::string(name)),
        ("size", size.map_or(Value::Null, Value::number)),
        ("id", Value::string(id)),
    ])
}

struct Widget;

#[async_trait]
impl Resource for Widget {
    fn type_name(&self) -> String {
        "fake_widget".into()
    }
    fn schema(&self) -> Schema {
        widget_schema()
    }
    async fn create(&self, _request: CreateRequest) -> CreateResponse {
        unreachable!()
    }
    async fn read(&self, _request: ReadRequest) -> ReadResponse {
        unreachable!()
    }
    async fn delete(&self, _request: DeleteRequest) -> DeleteResponse {
        unreachable!()
    }
    fn as_upgrade_state(&self) -> Option<&dyn ResourceWithUpgradeState> {
        Some(self)
    }
    fn as_move_state(&self) -> Option<&dyn ResourceWithMoveState> {
        Some(self)
    }
}

#[async_trait]
impl ResourceWithUpgradeState for Widget {
    async fn upgrade_state(&self, request: UpgradeStateRequest) -> UpgradeStateResponse {
        let mut state = request.raw_state;
        let object = state.as_object_mut().expect("an object");
        if request.version == 0 {
            let title = object.remove("title").unwrap_or_default();
            object.insert("name".into(), title);
        }
        if request.version <= 1 {
            let size = object
                .get("size")
                .and_then(|size| size.as_str())
                .and_then(|size| size.parse::<i64>().ok());
            object.insert("size".into(), size.into());
        }
        if object.get("name").is_some_and(|name| name == "broken") {
            let mut diagnostics = Diagnostics::new();
            diagnostics.error("Cannot Upgrade", "broken widget");
            return UpgradeStateResponse {
                state: None,
                diagnostics,
            };
        }
        UpgradeStateResponse {
            state: Some(state),
            diagnostics: Diagnostics::new(),
        }
    }
}

#[async_trait]
impl ResourceWithMoveState for Widget {
    async fn move_state(&self, request: MoveStateRequest) -> Option<MoveStateResponse> {
        if request.source_type_name != "old_gadget"
            || !request.source_provider_address.ends_with("/example/old")
        {
            return None;
        }
        let field = |name: &str| {
            request.source_state[name]
                .as_str()
                .map_or(Value::Null, Value::string)
        };
        Some(MoveStateResponse {
            state: Some(Value::object([
                ("name", field("label")),
                ("size", Value::Null),
                ("id", field("id")),
            ])),
            diagnostics: Diagnostics::new(),
        })
    }
}

/// A resource with neither ability.
struct Plain;

#[async_trait]
impl Resource for Plain {
    fn type_name(&self) -> String {
        "fake_plain".into()
    }
    fn schema(&self) -> Schema {
        Schema::new(1, "", vec![Attribute::required("name", Type::String)])
    }
    async fn create(&self, _request: CreateRequest) -> CreateResponse {
        unreachable!()
    }
    async fn read(&self, _request: ReadRequest) -> ReadResponse {
        unreachable!()
    }
    async fn delete(&self, _request: DeleteRequest) -> DeleteResponse {
        unreachable!()
    }
}

struct WidgetProvider;

#[async_trait]
impl Provider for WidgetProvider {
    fn type_name(&self) -> &'static str {
        "fake"
    }
    fn schema(&self) -> Schema {
        Schema::default()
    }
    async fn configure(&self, _request: ConfigureRequest) -> Diagnostics {
        Diagnostics::new()
    }
    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        vec![Arc::new(Widget), Arc::new(Plain)]
    }
    fn data_sources(&self) -> Vec<Arc<dyn crate::framework::data_source::DataSource>> {
        Vec::new()
    }
}

async fn upgrade(type_name: &str, version: i64, json: &str) -> p::UpgradeResourceStateResponse {
    FrameworkServer::new(WidgetProvider)
        .upgrade_resource_state(p::UpgradeResourceStateRequest {
            type_name: type_name.into(),
            version,
            raw_state: p::RawState {
                json: json.as_bytes().to_vec(),
                flatmap: BTreeMap::new(),
            },
        })
        .await
}

fn decode_widget(value: &p::DynamicValue) -> Value {
    value::decode_msgpack(&value.msgpack, &widget_schema().value_type()).unwrap()
}

#[tokio::test]
async fn upgrades_every_older_version_and_drops_removed_attributes() {
    let from_0 = upgrade(
        "fake_widget",
        0,
        r#"{"title": "a", "size": "7", "id": "w1", "colour": "red"}"#,
    )
    .await;
    assert!(from_0.diagnostics.is_empty(), "{:?}", from_0.diagnostics);
    assert_eq!(
        decode_widget(&from_0.upgraded_state),
        widget("a", Some(7), "w1")
    );

    let from_1 = upgrade(
        "fake_widget",
        1,
        r#"{"name": "b", "size": "x", "id": "w2"}"#,
    )
    .await;
    assert_eq!(
        decode_widget(&from_1.upgraded_state),
        widget("b", None, "w2")
    );

    // The current version: no upgrader call; an attribute the schema dropped
    // without a version bump is ignored.
    let current = upgrade(
        "fake_widget",
        2,
        r#"{"name": "c", "size": 3, "id": "w3", "removed": {"deep": [1]}}"#,
    )
    .await;
    assert!(current.diagnostics.is_empty(), "{:?}", current.diagnostics);
    assert_eq!(
        decode_widget(&current.upgraded_state),
        widget("c", Some(3), "w3")
    );
}

#[tokio::test]
async fn upgrade_errors_are_diagnostics() {
    let broken = upgrade("fake_widget", 0, r#"{"title": "broken"}"#).await;
    assert_eq!(broken.diagnostics[0].summary, "Cannot Upgrade");
    assert!(broken.upgraded_state.msgpack.is_empty());

    let no_upgrader = upgrade("fake_plain", 0, r#"{"name": "x"}"#).await;
    assert_eq!(
        no_upgrader.diagnostics[0].summary,
        "Unsupported Resource State Version"
    );

    let not_json = upgrade("fake_widget", 0, "{nope").await;
    assert_eq!(not_json.diagnostics[0].summary, "Invalid Stored State");

    let newer = upgrade("fake_widget", 3, "{}").await;
    assert_eq!(
        newer.diagnostics[0].summary,
        "Resource State Is From A Newer Provider"
    );
}

async fn move_from(
    target: &str,
    provider_address: &str,
    source_type: &str,
    json: &str,
) -> p::MoveResourceStateResponse {
    FrameworkServer::new(WidgetProvider)
        .move_resource_state(p::MoveResourceStateRequest {
            source_provider_address: provider_address.into(),
            source_type_name: source_type.into(),
            source_schema_version: 4,
            source_state: p::RawState {
                json: json.as_bytes().to_vec(),
                flatmap: BTreeMap::new(),
            },
            target_type_name: target.into(),
            source_private: Vec::new(),
        })
        .await
}

#[tokio::test]
async fn move_takes_state_from_a_handled_source() {
    let moved = move_from(
        "fake_widget",
        "registry.terraform.io/example/old",
        "old_gadget",
        r#"{"label": "g", "id": "g1", "extra": true}"#,
    )
    .await;
    assert!(moved.diagnostics.is_empty(), "{:?}", moved.diagnostics);
    assert_eq!(decode_widget(&moved.target_state), widget("g", None, "g1"));
}

#[tokio::test]
async fn move_from_an_unhandled_source_or_into_a_plain_resource_is_an_error() {
    let other_type = move_from(
        "fake_widget",
        "registry.terraform.io/example/old",
        "old_other",
        "{}",
    )
    .await;
    let other_provider = move_from(
        "fake_widget",
        "registry.terraform.io/someone/else",
        "old_gadget",
        "{}",
    )
    .await;
    let plain = move_from(
        "fake_plain",
        "registry.terraform.io/example/old",
        "old_gadget",
        "{}",
    )
    .await;
    for response in [other_type, other_provider, plain] {
        assert!(response.target_state.msgpack.is_empty());
        assert_eq!(response.diagnostics.len(), 1);
        let diagnostic = &response.diagnostics[0];
        assert_eq!(diagnostic.summary, "Unable to Move Resource State");
        assert!(
            diagnostic.detail.contains("Source schema version: 4"),
            "{}",
            diagnostic.detail
        );
    }
}

#[tokio::test]
async fn schema_advertises_move_resource_state() {
    let response = FrameworkServer::new(WidgetProvider)
        .get_provider_schema()
        .await;
    assert!(response.server_capabilities.move_resource_state);
}
