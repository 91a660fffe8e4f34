//! The test-only provider `fwtest` this binary serves when Terraform
//! launches it: a stateless database-like resource with nested list and set
//! attributes, a semantically compared duration, a default, validators,
//! requires-replace and an in-place update; a legacy resource type whose
//! state the database takes over through `moved` blocks; and a resource whose
//! schema version an environment variable raises, for state upgrades.

use std::sync::Arc;

use async_trait::async_trait;

use influxdb3_provider::framework::data_source::DataSource;
use influxdb3_provider::framework::diag::Diagnostics;
use influxdb3_provider::framework::model::{Model, SetOf, ToValue};
use influxdb3_provider::framework::provider::{ConfigureRequest, Provider};
use influxdb3_provider::framework::resource::{
    CreateRequest, CreateResponse, DeleteRequest, DeleteResponse, MoveStateRequest,
    MoveStateResponse, ReadRequest, ReadResponse, Resource, ResourceWithMoveState,
    ResourceWithUpgradeState, UpdateRequest, UpdateResponse, UpgradeStateRequest,
    UpgradeStateResponse,
};
use influxdb3_provider::framework::schema::{
    Attribute, NestedObject, Schema, SemanticEquality, Validator,
};
use influxdb3_provider::framework::value::{Type, Value};

influxdb3_provider::model! {
    /// One part of a partition template.
    pub struct TemplatePart {
        pub r#type: String => |n| Attribute::required(n, Type::String)
            .validator(Validator::one_of(["tag", "bucket"])),
        pub value: String => |n| Attribute::required(n, Type::String),
        pub number_of_buckets: Option<i64> => |n| Attribute::optional(n, Type::Number)
            .validator(Validator::int_range(1, 1000)),
    }
}

influxdb3_provider::model! {
    /// A tag of a database.
    pub struct Tag {
        pub key: String => |n| Attribute::required(n, Type::String),
        pub value: Option<String> => |n| Attribute::optional(n, Type::String),
        pub id: Value => |n| Attribute::computed(n, Type::String).use_state_for_unknown(),
    }
}

/// Seconds of a duration like `30d`, `720h`, `0s`.
fn duration_seconds(value: &Value) -> Option<Value> {
    let text = value.as_str()?;
    let (count, unit) = text.split_at(text.len().checked_sub(1)?);
    let scale = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return None,
    };
    Some(Value::number(count.parse::<i64>().ok()? * scale))
}

influxdb3_provider::model! {
    /// A database.
    pub struct Database {
        pub name: String => |n| Attribute::required(n, Type::String)
            .requires_replace()
            .validator(Validator::string_length(1, Some(64))),
        pub max_tables: Value => |n| Attribute::optional_computed(n, Type::Number)
            .use_state_for_unknown(),
        pub retention_period: Value => |n| Attribute::optional_computed(n, Type::String)
            .use_state_for_unknown()
            .semantic_equality(SemanticEquality::normalized_by(duration_seconds)),
        pub mode: Value => |n| Attribute::optional_computed(n, Type::String)
            .default_value(Value::string("standard")),
        pub partition_template: Option<Vec<TemplatePart>> => |n| Attribute::optional_nested(
            n,
            NestedObject::list(TemplatePart::attributes()),
        )
        .requires_replace(),
        pub tags: Option<SetOf<Tag>> => |n| Attribute::optional_nested(
            n,
            NestedObject::set(Tag::attributes()),
        ),
        pub id: Value => |n| Attribute::computed(n, Type::String).use_state_for_unknown(),
        pub updated_at: Value => |n| Attribute::computed(n, Type::String),
    }
}

impl Database {
    /// Fills what the "API" decides, and spells durations in hours as an
    /// API might.
    fn filled(mut self, updated_at: &str) -> Self {
        let fill = |value: &mut Value, filled: Value| {
            if value.is_unknown() {
                *value = filled;
            }
        };
        fill(&mut self.id, Value::string("db-1"));
        fill(&mut self.max_tables, Value::number(500));
        fill(&mut self.retention_period, Value::string("0s"));
        fill(&mut self.updated_at, Value::string(updated_at));
        if let Some(seconds) = duration_seconds(&self.retention_period)
            .and_then(|s| s.as_number().and_then(|n| n.as_i64()))
        {
            self.retention_period = Value::string(format!("{}h", seconds / 3600));
        }
        for tag in self.tags.iter_mut().flat_map(|tags| tags.0.iter_mut()) {
            fill(&mut tag.id, Value::string(format!("tag-{}", tag.key)));
        }
        self
    }
}

fn converted(value: &Value, updated_at: &str) -> (Option<Value>, Diagnostics) {
    match Database::from_value_root(value) {
        Ok(database) => (
            Some(database.filled(updated_at).to_value()),
            Diagnostics::new(),
        ),
        Err(diagnostics) => (None, diagnostics),
    }
}

struct DatabaseResource;

#[async_trait]
impl Resource for DatabaseResource {
    fn type_name(&self) -> String {
        "fwtest_database".into()
    }
    fn schema(&self) -> Schema {
        Schema::new(0, "A test database.", Database::attributes())
    }
    async fn create(&self, request: CreateRequest) -> CreateResponse {
        let (state, diagnostics) = converted(&request.planned, "created");
        CreateResponse { state, diagnostics }
    }
    async fn read(&self, request: ReadRequest) -> ReadResponse {
        let (state, diagnostics) = converted(&request.state, "created");
        ReadResponse { state, diagnostics }
    }
    async fn update(&self, request: UpdateRequest) -> UpdateResponse {
        let (state, diagnostics) = converted(&request.planned, "updated");
        UpdateResponse { state, diagnostics }
    }
    async fn delete(&self, _request: DeleteRequest) -> DeleteResponse {
        DeleteResponse::default()
    }
    fn as_move_state(&self) -> Option<&dyn ResourceWithMoveState> {
        Some(self)
    }
}

#[async_trait]
impl ResourceWithMoveState for DatabaseResource {
    async fn move_state(&self, request: MoveStateRequest) -> Option<MoveStateResponse> {
        if request.source_type_name != "fwtest_legacy_database" {
            return None;
        }
        let text = |name: &str| request.source_state[name].as_str().map(str::to_string);
        let database = Database {
            name: text("title").unwrap_or_default(),
            max_tables: Value::number(500),
            retention_period: Value::string("0h"),
            mode: Value::string("standard"),
            partition_template: None,
            tags: None,
            id: text("id").map_or(Value::Null, Value::string),
            updated_at: Value::string("moved"),
        };
        Some(MoveStateResponse {
            state: Some(database.to_value()),
            diagnostics: Diagnostics::new(),
        })
    }
}

influxdb3_provider::model! {
    /// The legacy database type.
    pub struct LegacyDatabase {
        pub title: String => |n| Attribute::required(n, Type::String).requires_replace(),
        pub id: Value => |n| Attribute::computed(n, Type::String).use_state_for_unknown(),
    }
}

struct LegacyDatabaseResource;

/// The planned state with the computed `id` set.
fn created_with_id(mut planned: Value, id: &str) -> CreateResponse {
    if let Value::Object(attributes) = &mut planned {
        attributes.insert("id".into(), Value::string(id));
    }
    CreateResponse {
        state: Some(planned),
        diagnostics: Diagnostics::new(),
    }
}

#[async_trait]
impl Resource for LegacyDatabaseResource {
    fn type_name(&self) -> String {
        "fwtest_legacy_database".into()
    }
    fn schema(&self) -> Schema {
        Schema::new(0, "A legacy test database.", LegacyDatabase::attributes())
    }
    async fn create(&self, request: CreateRequest) -> CreateResponse {
        created_with_id(request.planned, "legacy-1")
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
}

/// A resource whose schema version comes from `FWTEST_VERSIONED_SCHEMA`
/// (Terraform passes its environment on): version 0 has `title` and
/// `colour`; version 1 renamed `title` to `label` and dropped `colour`.
struct VersionedResource;

fn versioned_schema_version() -> i64 {
    match std::env::var("FWTEST_VERSIONED_SCHEMA").as_deref() {
        Ok("1") => 1,
        _ => 0,
    }
}

#[async_trait]
impl Resource for VersionedResource {
    fn type_name(&self) -> String {
        "fwtest_versioned".into()
    }
    fn schema(&self) -> Schema {
        let id = Attribute::computed("id", Type::String).use_state_for_unknown();
        match versioned_schema_version() {
            1 => Schema::new(1, "", vec![Attribute::required("label", Type::String), id]),
            _ => Schema::new(
                0,
                "",
                vec![
                    Attribute::required("title", Type::String),
                    Attribute::optional("colour", Type::String),
                    id,
                ],
            ),
        }
    }
    async fn create(&self, request: CreateRequest) -> CreateResponse {
        created_with_id(request.planned, "v-1")
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
    fn as_upgrade_state(&self) -> Option<&dyn ResourceWithUpgradeState> {
        Some(self)
    }
}

#[async_trait]
impl ResourceWithUpgradeState for VersionedResource {
    async fn upgrade_state(&self, request: UpgradeStateRequest) -> UpgradeStateResponse {
        // 0 -> 1: rename; `colour` stays in the JSON and the engine drops it.
        let mut state = request.raw_state;
        if let Some(object) = state.as_object_mut()
            && let Some(title) = object.remove("title")
        {
            object.insert("label".into(), title);
        }
        UpgradeStateResponse {
            state: Some(state),
            diagnostics: Diagnostics::new(),
        }
    }
}

/// The `fwtest` provider.
pub(crate) struct FwTestProvider;

#[async_trait]
impl Provider for FwTestProvider {
    fn type_name(&self) -> &'static str {
        "fwtest"
    }
    fn schema(&self) -> Schema {
        Schema::default()
    }
    async fn configure(&self, _request: ConfigureRequest) -> Diagnostics {
        Diagnostics::new()
    }
    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        vec![
            Arc::new(DatabaseResource),
            Arc::new(LegacyDatabaseResource),
            Arc::new(VersionedResource),
        ]
    }
    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        Vec::new()
    }
}
