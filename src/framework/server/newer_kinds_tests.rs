//! Engine tests of the newer kinds with a fake provider: ephemeral resources
//! (open, deferral, unknown result, close), resource identity (derived from
//! state, import by identity, upgrade), list resources (encoding, stopping
//! after an error) and actions (progress then completion, a panic completes
//! with an error).

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use futures_util::StreamExt as _;

use super::*;
use crate::framework::action::{Action, InvokeRequest};
use crate::framework::ephemeral_resource::{
    CloseRequest, EphemeralResource, OpenRequest, OpenResponse, unknown_result,
};
use crate::framework::identity::{IdentityAttribute, IdentitySchema, ResourceWithIdentity};
use crate::framework::list_resource::{ListRequest, ListResource, ListResult, ListResults};
use crate::framework::provider::ConfigureRequest;
use crate::framework::resource::*;
use crate::framework::schema::Attribute;
use crate::framework::value::{self, Type, Value};

fn item_schema() -> Schema {
    Schema::new(
        0,
        "An item.",
        vec![
            Attribute::required("name", Type::String),
            Attribute::computed("id", Type::String),
        ],
    )
}

fn item(name: &str, id: Value) -> Value {
    Value::object([("name", Value::string(name)), ("id", id)])
}

fn identity_schema() -> IdentitySchema {
    IdentitySchema {
        version: 1,
        attributes: vec![IdentityAttribute::required_for_import(
            "id",
            Type::String,
            "The id.",
        )],
    }
}

struct Item;

#[async_trait]
impl Resource for Item {
    fn type_name(&self) -> String {
        "fake_item".into()
    }
    fn schema(&self) -> Schema {
        item_schema()
    }
    async fn create(&self, _request: CreateRequest) -> CreateResponse {
        unreachable!()
    }
    async fn read(&self, request: ReadRequest) -> ReadResponse {
        ReadResponse {
            state: Some(request.state),
            diagnostics: Diagnostics::new(),
        }
    }
    async fn delete(&self, _request: DeleteRequest) -> DeleteResponse {
        DeleteResponse::default()
    }
    fn as_import(&self) -> Option<&dyn ResourceWithImport> {
        Some(self)
    }
    fn as_identity(&self) -> Option<&dyn ResourceWithIdentity> {
        Some(self)
    }
}

#[async_trait]
impl ResourceWithImport for Item {
    async fn import_state(&self, id: &str) -> ImportResponse {
        ImportResponse {
            state: Some(item("imported", Value::string(id))),
            diagnostics: Diagnostics::new(),
        }
    }
}

#[async_trait]
impl ResourceWithIdentity for Item {
    fn identity_schema(&self) -> IdentitySchema {
        identity_schema()
    }
    fn identity(&self, state: &Value) -> Option<Value> {
        let id = state.get_attr("id").filter(|id| id.is_known())?;
        Some(Value::object([("id", id.clone())]))
    }
    async fn import_id(&self, identity: &Value) -> Result<String, Diagnostics> {
        Ok(identity
            .get_attr("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string())
    }
    fn upgrade_identity(
        &self,
        version: i64,
        stored: &serde_json::Value,
    ) -> Result<Value, Diagnostics> {
        assert_eq!(version, 0);
        let id = stored["legacy_id"].as_str().unwrap_or_default();
        Ok(Value::object([("id", Value::string(id))]))
    }
}

#[derive(Default)]
struct Lease {
    closed: Mutex<Vec<Option<Vec<u8>>>>,
    not_configured: bool,
}

#[async_trait]
impl EphemeralResource for Lease {
    fn type_name(&self) -> String {
        "fake_item".into()
    }
    fn schema(&self) -> Schema {
        item_schema()
    }
    async fn open(&self, request: OpenRequest) -> OpenResponse {
        if self.not_configured {
            return OpenResponse {
                deferred: request.deferral_allowed,
                result: Some(unknown_result(&item_schema(), &request.config)),
                ..Default::default()
            };
        }
        let name = request.config.get_attr("name").and_then(Value::as_str);
        OpenResponse {
            result: Some(item(name.unwrap_or_default(), Value::string("lease-1"))),
            private: Some(b"lease-1".to_vec()),
            ..Default::default()
        }
    }
    async fn close(&self, request: CloseRequest) -> Diagnostics {
        self.closed.lock().unwrap().push(request.private);
        Diagnostics::new()
    }
}

struct Items;

#[async_trait]
impl ListResource for Items {
    fn type_name(&self) -> String {
        "fake_item".into()
    }
    fn config_schema(&self) -> Schema {
        Schema::new(0, "", vec![Attribute::optional("fail", Type::Bool)])
    }
    async fn list(&self, request: ListRequest) -> ListResults {
        let fail = request.config.get_attr("fail").and_then(Value::as_bool) == Some(true);
        let mut results: Vec<ListResult> = ["a", "b"]
            .into_iter()
            .map(|id| ListResult {
                identity: Some(Value::object([("id", Value::string(id))])),
                display_name: format!("item {id}"),
                resource: Some(item(id, Value::string(id))),
                diagnostics: Diagnostics::new(),
            })
            .collect();
        if fail {
            let mut diagnostics = Diagnostics::new();
            diagnostics.error("Listing Failed", "page 2");
            results.insert(1, ListResult::diagnostics(diagnostics));
        }
        Box::pin(futures_util::stream::iter(results))
    }
}

struct Poke;

#[async_trait]
impl Action for Poke {
    fn type_name(&self) -> String {
        "fake_poke".into()
    }
    fn schema(&self) -> Schema {
        Schema::new(0, "", vec![Attribute::required("target", Type::String)])
    }
    async fn invoke(&self, request: InvokeRequest) -> Diagnostics {
        let target = request.config.get_attr("target").and_then(Value::as_str);
        assert_ne!(target, Some("explode"), "poke exploded");
        request.progress.report("poking");
        request.progress.report("poked");
        let mut diagnostics = Diagnostics::new();
        diagnostics.push(crate::framework::diag::Diagnostic::warning("Note", "done"));
        diagnostics
    }
}

#[derive(Default)]
struct FakeProvider {
    lease: Arc<Lease>,
}

#[async_trait]
impl Provider for FakeProvider {
    fn type_name(&self) -> &'static str {
        "fake"
    }
    fn schema(&self) -> Schema {
        Schema::new(0, "", vec![])
    }
    async fn configure(&self, _request: ConfigureRequest) -> Diagnostics {
        Diagnostics::new()
    }
    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        vec![Arc::new(Item)]
    }
    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        Vec::new()
    }
    fn ephemeral_resources(&self) -> Vec<Arc<dyn EphemeralResource>> {
        vec![self.lease.clone()]
    }
    fn list_resources(&self) -> Vec<Arc<dyn ListResource>> {
        vec![Arc::new(Items)]
    }
    fn actions(&self) -> Vec<Arc<dyn Action>> {
        vec![Arc::new(Poke)]
    }
}

fn encode(value: &Value, ty: &Type) -> p::DynamicValue {
    p::DynamicValue::msgpack(value::encode_msgpack(value, ty).unwrap())
}

fn decode(value: &p::DynamicValue, ty: &Type) -> Value {
    value::decode_msgpack(&value.msgpack, ty).unwrap()
}

fn errors(diagnostics: &[p::Diagnostic]) -> Vec<&str> {
    diagnostics
        .iter()
        .filter(|d| d.severity == p::Severity::Error)
        .map(|d| d.summary.as_str())
        .collect()
}

#[tokio::test]
async fn schemas_and_metadata_advertise_the_newer_kinds() {
    let server = FrameworkServer::new(FakeProvider::default());
    let schema = server.get_provider_schema().await;
    assert!(schema.ephemeral_resource_schemas.contains_key("fake_item"));
    assert!(schema.list_resource_schemas.contains_key("fake_item"));
    assert!(schema.action_schemas.contains_key("fake_poke"));
    let metadata = server.get_metadata().await;
    assert_eq!(metadata.actions, vec!["fake_poke".to_string()]);
    let identities = server.get_resource_identity_schemas().await;
    let identity = &identities.identity_schemas["fake_item"];
    assert_eq!(identity.version, 1);
    assert!(identity.attributes[0].required_for_import);
}

#[tokio::test]
async fn open_then_close_carries_private_data() {
    let provider = FakeProvider::default();
    let lease = provider.lease.clone();
    let server = FrameworkServer::new(provider);
    let ty = item_schema().value_type();
    let opened = server
        .open_ephemeral_resource(p::OpenEphemeralResourceRequest {
            type_name: "fake_item".into(),
            config: encode(&item("x", Value::Null), &ty),
            ..Default::default()
        })
        .await;
    assert!(errors(&opened.diagnostics).is_empty());
    assert_eq!(
        decode(&opened.result, &ty),
        item("x", Value::string("lease-1"))
    );
    server
        .close_ephemeral_resource(p::CloseEphemeralResourceRequest {
            type_name: "fake_item".into(),
            private: opened.private,
        })
        .await;
    assert_eq!(
        *lease.closed.lock().unwrap(),
        vec![Some(b"lease-1".to_vec())]
    );
}

#[tokio::test]
async fn open_before_configuration_defers_or_returns_unknowns() {
    let provider = FakeProvider {
        lease: Arc::new(Lease {
            not_configured: true,
            ..Default::default()
        }),
    };
    let server = FrameworkServer::new(provider);
    let ty = item_schema().value_type();
    let request = |deferral_allowed| p::OpenEphemeralResourceRequest {
        type_name: "fake_item".into(),
        config: encode(&item("x", Value::Null), &ty),
        client_capabilities: p::ClientCapabilities {
            deferral_allowed,
            ..Default::default()
        },
    };
    let deferred = server.open_ephemeral_resource(request(true)).await;
    assert_eq!(
        deferred.deferred,
        Some(p::DeferredReason::ProviderConfigUnknown)
    );
    let unknown = server.open_ephemeral_resource(request(false)).await;
    assert_eq!(unknown.deferred, None);
    assert_eq!(decode(&unknown.result, &ty), item("x", Value::Unknown));
}

#[tokio::test]
async fn open_with_an_unknown_configuration_opens_nothing() {
    let provider = FakeProvider::default();
    let lease = provider.lease.clone();
    let server = FrameworkServer::new(provider);
    let ty = item_schema().value_type();
    let config = Value::object([("name", Value::Unknown), ("id", Value::Null)]);
    let opened = server
        .open_ephemeral_resource(p::OpenEphemeralResourceRequest {
            type_name: "fake_item".into(),
            config: encode(&config, &ty),
            ..Default::default()
        })
        .await;
    assert!(opened.private.is_none() && opened.diagnostics.is_empty());
    assert_eq!(
        decode(&opened.result, &ty),
        Value::object([("name", Value::Unknown), ("id", Value::Unknown)])
    );
    let deferred = server
        .open_ephemeral_resource(p::OpenEphemeralResourceRequest {
            type_name: "fake_item".into(),
            config: encode(&config, &ty),
            client_capabilities: p::ClientCapabilities {
                deferral_allowed: true,
                ..Default::default()
            },
        })
        .await;
    assert_eq!(
        deferred.deferred,
        Some(p::DeferredReason::ResourceConfigUnknown)
    );
    assert!(lease.closed.lock().unwrap().is_empty());
}

#[tokio::test]
async fn identity_follows_the_state_and_imports_by_identity() {
    let server = FrameworkServer::new(FakeProvider::default());
    let ty = item_schema().value_type();
    let identity_ty = identity_schema().value_type();
    let known = server
        .resource_identity("fake_item", &encode(&item("x", Value::string("7")), &ty))
        .await;
    assert_eq!(
        decode(&known.identity.unwrap(), &identity_ty),
        Value::object([("id", Value::string("7"))])
    );
    let planned_create = server
        .resource_identity("fake_item", &encode(&item("x", Value::Unknown), &ty))
        .await;
    assert!(planned_create.identity.is_none() && planned_create.diagnostics.is_empty());

    let imported = server
        .import_resource_state(p::ImportResourceStateRequest {
            type_name: "fake_item".into(),
            identity: Some(encode(
                &Value::object([("id", Value::string("9"))]),
                &identity_ty,
            )),
            ..Default::default()
        })
        .await;
    assert!(errors(&imported.diagnostics).is_empty());
    assert_eq!(
        decode(&imported.imported_resources[0].state, &ty),
        item("imported", Value::string("9"))
    );
}

#[tokio::test]
async fn identity_upgrade_decodes_current_and_upgrades_older_versions() {
    let server = FrameworkServer::new(FakeProvider::default());
    let identity_ty = identity_schema().value_type();
    let upgrade = |version, json: &str| p::UpgradeResourceIdentityRequest {
        type_name: "fake_item".into(),
        version,
        raw_identity: p::RawState {
            json: json.as_bytes().to_vec(),
            ..Default::default()
        },
    };
    let current = server
        .upgrade_resource_identity(upgrade(1, r#"{"id":"a"}"#))
        .await;
    assert_eq!(
        decode(&current.upgraded_identity.unwrap(), &identity_ty),
        Value::object([("id", Value::string("a"))])
    );
    let older = server
        .upgrade_resource_identity(upgrade(0, r#"{"legacy_id":"b"}"#))
        .await;
    assert_eq!(
        decode(&older.upgraded_identity.unwrap(), &identity_ty),
        Value::object([("id", Value::string("b"))])
    );
    let newer = server.upgrade_resource_identity(upgrade(2, "{}")).await;
    assert_eq!(
        errors(&newer.diagnostics),
        vec!["Identity From A Newer Provider"]
    );
}

#[tokio::test]
async fn list_encodes_results_and_stops_after_an_error() {
    let server = FrameworkServer::new(FakeProvider::default());
    let config_ty = Items.config_schema().value_type();
    let list = |fail: bool, include_resource_object| p::ListResourceRequest {
        type_name: "fake_item".into(),
        config: encode(&Value::object([("fail", Value::bool(fail))]), &config_ty),
        include_resource_object,
        limit: 100,
    };
    let events: Vec<_> = server
        .list_resource(list(false, true))
        .await
        .collect()
        .await;
    assert_eq!(events.len(), 2);
    assert_eq!(events[1].display_name, "item b");
    assert_eq!(
        decode(
            events[0].identity.as_ref().unwrap(),
            &identity_schema().value_type()
        ),
        Value::object([("id", Value::string("a"))])
    );
    assert!(events[0].resource_object.is_some());
    let without: Vec<_> = server
        .list_resource(list(false, false))
        .await
        .collect()
        .await;
    assert!(without.iter().all(|e| e.resource_object.is_none()));

    let failing: Vec<_> = server
        .list_resource(list(true, false))
        .await
        .collect()
        .await;
    assert_eq!(failing.len(), 2, "the result after the error is not sent");
    assert_eq!(errors(&failing[1].diagnostics), vec!["Listing Failed"]);
}

#[tokio::test]
async fn invoke_streams_progress_then_completes() {
    let server = FrameworkServer::new(FakeProvider::default());
    let ty = Poke.schema().value_type();
    let invoke = |target: &str| p::InvokeActionRequest {
        action_type: "fake_poke".into(),
        config: encode(&Value::object([("target", Value::string(target))]), &ty),
        ..Default::default()
    };
    let events: Vec<_> = server.invoke_action(invoke("x")).await.collect().await;
    let progress: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            p::InvokeActionEvent::Progress(message) => Some(message.as_str()),
            p::InvokeActionEvent::Completed(_) => None,
        })
        .collect();
    assert_eq!(progress, vec!["poking", "poked"]);
    let Some(p::InvokeActionEvent::Completed(diagnostics)) = events.last() else {
        panic!("no completion last: {events:?}");
    };
    assert_eq!(diagnostics[0].summary, "Note");

    let exploded: Vec<_> = server
        .invoke_action(invoke("explode"))
        .await
        .collect()
        .await;
    let Some(p::InvokeActionEvent::Completed(diagnostics)) = exploded.last() else {
        panic!("no completion after a panic: {exploded:?}");
    };
    assert_eq!(errors(diagnostics), vec!["Provider Internal Error"]);

    let unknown = server
        .invoke_action(p::InvokeActionRequest {
            action_type: "fake_nothing".into(),
            ..Default::default()
        })
        .await
        .collect::<Vec<_>>()
        .await;
    assert!(matches!(&unknown[..], [p::InvokeActionEvent::Completed(d)] if !errors(d).is_empty()));
}
