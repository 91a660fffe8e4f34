//! Engine tests of a resource shaped like a database: nested list and set
//! attributes, a semantically compared duration, a default, validators,
//! requires-replace at the top and at a nested path, and an in-place
//! update. Every step goes through the [`ProviderServer`] RPCs with values
//! encoded as Terraform sends them. This file has the fake resource and the
//! harness; the scenarios are in `scenarios.rs`.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;

use super::*;

mod scenarios;
use crate::framework::data_source::DataSource;
use crate::framework::provider::ConfigureRequest;
use crate::framework::resource::*;
use crate::framework::schema::{Attribute, NestedObject, SemanticEquality, Validator};
use crate::framework::value::{self, Type, Value};

/// Seconds of a duration like `30d`, `720h`, `90m`, `0s`.
fn duration_seconds(value: &Value) -> Option<Value> {
    let text = value.as_str()?;
    let unit = text.chars().last()?;
    let count: i64 = text[..text.len() - 1].parse().ok()?;
    let scale = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3600,
        'd' => 86_400,
        _ => return None,
    };
    Some(Value::number(count * scale))
}

fn as_hours(value: &Value) -> Value {
    match duration_seconds(value).and_then(|s| s.as_number().and_then(|n| n.as_i64())) {
        Some(seconds) => Value::string(format!("{}h", seconds / 3600)),
        None => value.clone(),
    }
}

fn database_schema() -> Schema {
    Schema::new(
        0,
        "A database.",
        vec![
            Attribute::required("name", Type::String)
                .requires_replace()
                .validator(Validator::string_length(1, Some(64))),
            Attribute::optional_computed("max_tables", Type::Number)
                .use_state_for_unknown()
                .validator(Validator::int_range(1, 10_000)),
            Attribute::optional_computed("retention_period", Type::String)
                .use_state_for_unknown()
                .semantic_equality(SemanticEquality::normalized_by(duration_seconds)),
            Attribute::optional_computed("mode", Type::String)
                .default_value(Value::string("standard"))
                .validator(Validator::one_of(["standard", "fast"])),
            Attribute::optional_nested(
                "partition_template",
                NestedObject::list(vec![
                    Attribute::required("type", Type::String)
                        .validator(Validator::one_of(["tag", "bucket"])),
                    Attribute::required("value", Type::String),
                    Attribute::optional("number_of_buckets", Type::Number)
                        .requires_replace()
                        .validator(Validator::int_range(1, 1000)),
                ]),
            )
            .requires_replace(),
            Attribute::optional_nested(
                "tags",
                NestedObject::set(vec![
                    Attribute::required("key", Type::String),
                    Attribute::optional("value", Type::String),
                    Attribute::computed("id", Type::String).use_state_for_unknown(),
                ]),
            ),
            Attribute::computed("id", Type::String).use_state_for_unknown(),
            Attribute::computed("updated_at", Type::String),
        ],
    )
}

/// A database value: every attribute null but `name`, then `overrides`.
fn database(overrides: &[(&str, Value)]) -> Value {
    let mut attributes: std::collections::BTreeMap<String, Value> = database_schema()
        .block
        .attributes
        .iter()
        .map(|a| (a.name.clone(), Value::Null))
        .collect();
    attributes.insert("name".into(), Value::string("db"));
    for (name, value) in overrides {
        assert!(attributes.contains_key(*name), "no attribute {name}");
        attributes.insert((*name).to_string(), value.clone());
    }
    Value::Object(attributes)
}

fn template(kind: &str, value: &str, buckets: Option<i64>) -> Value {
    Value::object([
        ("type", Value::string(kind)),
        ("value", Value::string(value)),
        (
            "number_of_buckets",
            buckets.map_or(Value::Null, Value::number),
        ),
    ])
}

fn tag(key: &str, value: &str, id: Value) -> Value {
    Value::object([
        ("key", Value::string(key)),
        ("value", Value::string(value)),
        ("id", id),
    ])
}

/// Replaces unknowns as the fake API would.
fn fill_computed(state: &mut Value, updated_at: &str) {
    let Value::Object(attributes) = state else {
        panic!("not an object")
    };
    let set_if_unknown = |value: &mut Value, filled: Value| {
        if value.is_unknown() {
            *value = filled;
        }
    };
    set_if_unknown(attributes.get_mut("id").unwrap(), Value::string("db-1"));
    set_if_unknown(
        attributes.get_mut("max_tables").unwrap(),
        Value::number(500),
    );
    set_if_unknown(
        attributes.get_mut("retention_period").unwrap(),
        Value::string("0h"),
    );
    set_if_unknown(
        attributes.get_mut("updated_at").unwrap(),
        Value::string(updated_at),
    );
    let retention = as_hours(&attributes["retention_period"]);
    attributes.insert("retention_period".into(), retention);
    if let Some(Value::Set(tags)) = attributes.get_mut("tags") {
        for tag in tags {
            let Value::Object(tag) = tag else { continue };
            let id = format!("tag-{}", tag["key"].as_str().unwrap_or_default());
            set_if_unknown(tag.get_mut("id").unwrap(), Value::string(id));
        }
    }
}

#[derive(Default)]
struct FakeDatabase {
    updates: Mutex<Vec<UpdateRequest>>,
    creates: Mutex<usize>,
    /// Changes the framework's plan (to test the plan checks).
    plan_hook: Option<fn(&mut PlanContext)>,
    /// Changes a create/update result (to test the result checks).
    result_hook: Option<fn(&mut Value)>,
}

#[async_trait]
impl Resource for FakeDatabase {
    fn type_name(&self) -> String {
        "fake_database".into()
    }

    fn schema(&self) -> Schema {
        database_schema()
    }

    async fn modify_plan(&self, plan: &mut PlanContext) {
        if let Some(hook) = self.plan_hook {
            hook(plan);
        }
    }

    async fn create(&self, request: CreateRequest) -> CreateResponse {
        *self.creates.lock().unwrap() += 1;
        let mut state = request.planned;
        fill_computed(&mut state, "t1");
        if let Some(hook) = self.result_hook {
            hook(&mut state);
        }
        CreateResponse {
            state: Some(state),
            diagnostics: Diagnostics::new(),
        }
    }

    async fn read(&self, request: ReadRequest) -> ReadResponse {
        // The API spells durations in hours.
        let mut state = request.state;
        fill_computed(&mut state, "t1");
        ReadResponse {
            state: Some(state),
            diagnostics: Diagnostics::new(),
        }
    }

    async fn update(&self, request: UpdateRequest) -> UpdateResponse {
        self.updates.lock().unwrap().push(request.clone());
        let mut state = request.planned;
        fill_computed(&mut state, "t2");
        if let Some(hook) = self.result_hook {
            hook(&mut state);
        }
        UpdateResponse {
            state: Some(state),
            diagnostics: Diagnostics::new(),
        }
    }

    async fn delete(&self, _request: DeleteRequest) -> DeleteResponse {
        DeleteResponse::default()
    }
}

struct DatabaseProvider(Arc<FakeDatabase>);

#[async_trait]
impl Provider for DatabaseProvider {
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
        vec![self.0.clone()]
    }

    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        Vec::new()
    }
}

struct Harness {
    server: FrameworkServer<DatabaseProvider>,
    fake: Arc<FakeDatabase>,
}

fn harness(fake: FakeDatabase) -> Harness {
    let fake = Arc::new(fake);
    Harness {
        server: FrameworkServer::new(DatabaseProvider(fake.clone())),
        fake,
    }
}

fn encode(value: &Value) -> p::DynamicValue {
    p::DynamicValue::msgpack(value::encode_msgpack(value, &database_schema().value_type()).unwrap())
}

fn decode(value: &p::DynamicValue) -> Value {
    value::decode_msgpack(&value.msgpack, &database_schema().value_type()).unwrap()
}

/// Terraform's proposed new state for these tests: the configuration, plus
/// prior values of computed attributes the configuration leaves null (at the
/// top level and in set elements with the same key).
fn proposed(prior: &Value, config: &Value) -> Value {
    let schema = database_schema();
    let mut proposed = config.clone();
    let Value::Object(attributes) = &mut proposed else {
        return proposed;
    };
    for attribute in &schema.block.attributes {
        let configured = &attributes[&attribute.name];
        if attribute.mode.is_computed()
            && configured.is_null()
            && let Some(prior) = prior.get_attr(&attribute.name)
        {
            attributes.insert(attribute.name.clone(), prior.clone());
        }
    }
    if let (Some(Value::Set(tags)), Some(Value::Set(prior_tags))) =
        (attributes.get_mut("tags"), prior.get_attr("tags"))
    {
        for tag in tags.iter_mut() {
            let Value::Object(tag) = tag else { continue };
            let prior_tag = prior_tags
                .iter()
                .find(|p| p.get_attr("key") == Some(&tag["key"]));
            if let Some(id) = prior_tag.and_then(|p| p.get_attr("id")) {
                tag.insert("id".into(), id.clone());
            }
        }
    }
    proposed
}

impl Harness {
    async fn validate(&self, config: &Value) -> Vec<p::Diagnostic> {
        self.server
            .validate_resource_config(p::ValidateResourceConfigRequest {
                type_name: "fake_database".into(),
                config: encode(config),
                ..Default::default()
            })
            .await
            .diagnostics
    }

    async fn plan(&self, prior: &Value, config: &Value) -> p::PlanResourceChangeResponse {
        self.server
            .plan_resource_change(p::PlanResourceChangeRequest {
                type_name: "fake_database".into(),
                prior_state: encode(prior),
                proposed_new_state: encode(&proposed(prior, config)),
                config: encode(config),
                ..Default::default()
            })
            .await
    }

    async fn apply(
        &self,
        prior: &Value,
        planned: &p::DynamicValue,
        config: &Value,
    ) -> p::ApplyResourceChangeResponse {
        self.server
            .apply_resource_change(p::ApplyResourceChangeRequest {
                type_name: "fake_database".into(),
                prior_state: encode(prior),
                planned_state: planned.clone(),
                config: encode(config),
                ..Default::default()
            })
            .await
    }

    /// Plans and applies `config` over `prior`; returns the new state.
    async fn converge(&self, prior: &Value, config: &Value) -> Value {
        let plan = self.plan(prior, config).await;
        assert!(plan.diagnostics.is_empty(), "{:?}", plan.diagnostics);
        let applied = self.apply(prior, &plan.planned_state, config).await;
        assert!(applied.diagnostics.is_empty(), "{:?}", applied.diagnostics);
        decode(&applied.new_state)
    }
}

fn paths(paths: &[p::AttributePath]) -> Vec<String> {
    paths
        .iter()
        .map(|path| {
            path.steps
                .iter()
                .map(|step| match step {
                    p::AttributePathStep::AttributeName(name) => format!(".{name}"),
                    p::AttributePathStep::ElementKeyInt(index) => format!("[{index}]"),
                    p::AttributePathStep::ElementKeyString(key) => format!("[{key:?}]"),
                })
                .collect::<String>()
        })
        .collect()
}

fn full_config() -> Value {
    database(&[
        ("retention_period", Value::string("30d")),
        (
            "partition_template",
            Value::list([
                template("tag", "region", None),
                template("bucket", "sensor_id", Some(100)),
            ]),
        ),
        (
            "tags",
            Value::set([
                tag("team", "a", Value::Null),
                tag("env", "prod", Value::Null),
            ]),
        ),
    ])
}
