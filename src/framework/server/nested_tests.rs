//! Engine tests of a resource shaped like a database: nested list and set
//! attributes, a semantically compared duration, a default, validators,
//! requires-replace at the top and at a nested path, and an in-place
//! update. Every step goes through the [`ProviderServer`] RPCs with values
//! encoded as Terraform sends them.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;

use super::*;
use crate::framework::data_source::DataSource;
use crate::framework::path::Path;
use crate::framework::provider::ConfigureRequest;
use crate::framework::resource::*;
use crate::framework::schema::{
    Attribute, NestedObject, PlanModifier, SemanticEquality, Validator,
};
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

#[test]
fn database_schema_is_valid() {
    assert_eq!(database_schema().validate(), Ok(()));
}

#[tokio::test]
async fn validators_run_at_every_depth_with_paths_and_skip_unknowns() {
    let h = harness(FakeDatabase::default());
    assert!(h.validate(&full_config()).await.is_empty());

    let bad = database(&[
        ("name", Value::string("")),
        ("mode", Value::string("slow")),
        (
            "partition_template",
            Value::list([
                template("tag", "region", None),
                template("time", "x", Some(0)),
            ]),
        ),
    ]);
    let diagnostics = h.validate(&bad).await;
    let mut found: Vec<(String, String)> = diagnostics
        .iter()
        .map(|d| {
            (
                paths(std::slice::from_ref(d.attribute.as_ref().unwrap()))[0].clone(),
                d.detail.clone(),
            )
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        vec![
            (
                ".mode".to_string(),
                r#"Attribute mode must be one of: "standard", "fast"."#.to_string()
            ),
            (
                ".name".to_string(),
                "Attribute name must be 1 to 64 characters long, got 0.".to_string()
            ),
            (
                ".partition_template[1].number_of_buckets".to_string(),
                "Attribute partition_template[1].number_of_buckets must be between 1 and 1000."
                    .to_string()
            ),
            (
                ".partition_template[1].type".to_string(),
                r#"Attribute partition_template[1].type must be one of: "tag", "bucket"."#
                    .to_string()
            ),
        ]
    );
    assert!(
        diagnostics
            .iter()
            .all(|d| d.summary == "Invalid Attribute Value")
    );

    // Unknown values (from variables or other resources) are not checked yet.
    let unknown = database(&[
        ("name", Value::Unknown),
        (
            "partition_template",
            Value::list([Value::object([
                ("type", Value::Unknown),
                ("value", Value::string("x")),
                ("number_of_buckets", Value::Null),
            ])]),
        ),
    ]);
    assert!(h.validate(&unknown).await.is_empty());
}

#[tokio::test]
async fn create_plans_unknowns_at_every_depth_and_fills_defaults() {
    let h = harness(FakeDatabase::default());
    let plan = h.plan(&Value::Null, &full_config()).await;
    assert!(plan.diagnostics.is_empty(), "{:?}", plan.diagnostics);
    assert!(plan.requires_replace.is_empty());
    let planned = decode(&plan.planned_state);
    let expected = database(&[
        ("retention_period", Value::string("30d")),
        ("max_tables", Value::Unknown),
        ("mode", Value::string("standard")),
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
                tag("team", "a", Value::Unknown),
                tag("env", "prod", Value::Unknown),
            ]),
        ),
        ("id", Value::Unknown),
        ("updated_at", Value::Unknown),
    ]);
    assert_eq!(planned, expected);
}

#[tokio::test]
async fn semantically_equal_values_keep_terraforms_spelling_and_plan_no_change() {
    let h = harness(FakeDatabase::default());
    let config = full_config();
    // The API answers "720h" for "30d": the state keeps the configured spelling.
    let state = h.converge(&Value::Null, &config).await;
    assert_eq!(
        state.get_attr("retention_period"),
        Some(&Value::string("30d"))
    );
    assert_eq!(state.get_attr("max_tables"), Some(&Value::number(500)));

    // A refresh that answers "720h" shows no drift.
    let read = h
        .server
        .read_resource(p::ReadResourceRequest {
            type_name: "fake_database".into(),
            current_state: encode(&state),
            ..Default::default()
        })
        .await;
    assert!(read.diagnostics.is_empty(), "{:?}", read.diagnostics);
    assert_eq!(decode(&read.new_state), state);

    // The same configuration, and the other spelling of it, plan no change.
    let plan = h.plan(&state, &config).await;
    assert_eq!(decode(&plan.planned_state), state);
    let Value::Object(mut respelled) = config.clone() else {
        unreachable!()
    };
    respelled.insert("retention_period".into(), Value::string("720h"));
    // And set elements in another order are the same set.
    respelled.insert(
        "tags".into(),
        Value::set([
            tag("env", "prod", Value::Null),
            tag("team", "a", Value::Null),
        ]),
    );
    let plan = h.plan(&state, &Value::Object(respelled)).await;
    assert!(plan.diagnostics.is_empty(), "{:?}", plan.diagnostics);
    let planned = decode(&plan.planned_state);
    assert!(value::values_equal(&planned, &state), "{planned:?}");
    assert!(plan.requires_replace.is_empty());

    // A different duration is a change.
    let Value::Object(mut longer) = config else {
        unreachable!()
    };
    longer.insert("retention_period".into(), Value::string("31d"));
    let plan = h.plan(&state, &Value::Object(longer)).await;
    assert_eq!(
        decode(&plan.planned_state).get_attr("retention_period"),
        Some(&Value::string("31d"))
    );
}

#[tokio::test]
async fn update_in_place_marks_only_changing_computed_values_unknown() {
    let h = harness(FakeDatabase::default());
    let config = full_config();
    let state = h.converge(&Value::Null, &config).await;

    // Change max_tables and add a tag.
    let Value::Object(mut changed) = config else {
        unreachable!()
    };
    changed.insert("max_tables".into(), Value::number(1000));
    changed.insert(
        "tags".into(),
        Value::set([
            tag("team", "a", Value::Null),
            tag("env", "prod", Value::Null),
            tag("new", "x", Value::Null),
        ]),
    );
    let changed = Value::Object(changed);
    let plan = h.plan(&state, &changed).await;
    assert!(plan.diagnostics.is_empty(), "{:?}", plan.diagnostics);
    assert!(
        plan.requires_replace.is_empty(),
        "an update, not a replacement"
    );
    let planned = decode(&plan.planned_state);
    let expected = database(&[
        ("max_tables", Value::number(1000)),
        ("retention_period", Value::string("30d")),
        ("mode", Value::string("standard")),
        (
            "partition_template",
            state.get_attr("partition_template").unwrap().clone(),
        ),
        (
            "tags",
            Value::set([
                tag("team", "a", Value::string("tag-team")),
                tag("env", "prod", Value::string("tag-env")),
                tag("new", "x", Value::Unknown),
            ]),
        ),
        ("id", Value::string("db-1")),
        ("updated_at", Value::Unknown),
    ]);
    assert!(value::values_equal(&planned, &expected), "{planned:?}");

    let applied = h.apply(&state, &plan.planned_state, &changed).await;
    assert!(applied.diagnostics.is_empty(), "{:?}", applied.diagnostics);
    let updates = h.fake.updates.lock().unwrap();
    assert_eq!(updates.len(), 1, "apply called update once");
    assert_eq!(updates[0].prior, state);
    assert_eq!(*h.fake.creates.lock().unwrap(), 1);
    let new_state = decode(&applied.new_state);
    assert_eq!(new_state.get_attr("updated_at"), Some(&Value::string("t2")));
    assert_eq!(new_state.get_attr("max_tables"), Some(&Value::number(1000)));
}

#[tokio::test]
async fn requires_replace_on_a_nested_attribute_and_its_parent() {
    let h = harness(FakeDatabase::default());
    let state = h.converge(&Value::Null, &full_config()).await;
    let Value::Object(mut changed) = full_config() else {
        unreachable!()
    };
    changed.insert(
        "partition_template".into(),
        Value::list([
            template("tag", "region", None),
            template("bucket", "sensor_id", Some(200)),
        ]),
    );
    let plan = h.plan(&state, &Value::Object(changed)).await;
    assert!(plan.diagnostics.is_empty(), "{:?}", plan.diagnostics);
    assert_eq!(
        paths(&plan.requires_replace),
        vec![
            ".partition_template",
            ".partition_template[1].number_of_buckets"
        ]
    );
    // A replacement gets new computed values.
    let planned = decode(&plan.planned_state);
    assert_eq!(planned.get_attr("id"), Some(&Value::Unknown));
    assert_eq!(planned.get_attr("max_tables"), Some(&Value::Unknown));
}

#[tokio::test]
async fn a_plan_that_ignores_the_configuration_is_reported_with_its_path() {
    let h = harness(FakeDatabase {
        plan_hook: Some(|plan| {
            let Value::Object(planned) = &mut plan.planned else {
                return;
            };
            planned.insert(
                "partition_template".into(),
                Value::list([
                    template("tag", "region", None),
                    template("bucket", "other", Some(100)),
                ]),
            );
        }),
        ..Default::default()
    });
    let plan = h.plan(&Value::Null, &full_config()).await;
    assert_eq!(plan.diagnostics.len(), 1, "{:?}", plan.diagnostics);
    assert_eq!(
        plan.diagnostics[0].summary,
        "Provider Produced Invalid Plan"
    );
    assert_eq!(
        plan.diagnostics[0].detail,
        "The planned value of partition_template[1].value differs from its configuration. \
         This is a bug in the provider."
    );
}

#[tokio::test]
async fn an_apply_result_differing_inside_a_set_is_reported() {
    let h = harness(FakeDatabase {
        result_hook: Some(|state| {
            let Value::Object(attributes) = state else {
                return;
            };
            attributes.insert(
                "tags".into(),
                Value::set([
                    tag("team", "b", Value::string("tag-team")),
                    tag("env", "prod", Value::string("tag-env")),
                ]),
            );
        }),
        ..Default::default()
    });
    let config = full_config();
    let plan = h.plan(&Value::Null, &config).await;
    let applied = h.apply(&Value::Null, &plan.planned_state, &config).await;
    assert_eq!(applied.diagnostics.len(), 1, "{:?}", applied.diagnostics);
    assert_eq!(
        applied.diagnostics[0].summary,
        "Provider Produced Inconsistent Result"
    );
    assert!(
        applied.diagnostics[0]
            .detail
            .contains("After apply, tags differs")
    );
}

#[tokio::test]
async fn plan_modifier_diagnostics_and_conditional_replacement() {
    let schema = Schema::new(
        0,
        "",
        vec![
            Attribute::required("size", Type::Number).plan_modifier(
                PlanModifier::requires_replace_if("shrinking", |plan| {
                    let number = |v: &Value| v.as_number().and_then(|n| n.as_i64());
                    matches!(
                        (plan.prior.and_then(number), number(&plan.planned)),
                        (Some(prior), Some(planned)) if planned < prior
                    )
                }),
            ),
            Attribute::optional("note", Type::String).plan_modifier(PlanModifier::custom(
                "rejects TODO",
                |plan| {
                    if plan.planned.as_str() == Some("TODO") {
                        plan.diagnostics.attribute_error(
                            plan.path.clone(),
                            "Unfinished Note",
                            "Write the note.",
                        );
                    }
                },
            )),
        ],
    );
    let object = |size: i64, note: &str| {
        Value::object([("size", Value::number(size)), ("note", Value::string(note))])
    };
    let prior = object(10, "ok");
    let plan = |config: Value| {
        super::planning::plan_attributes(&schema, Some(&prior), config.clone(), &config)
    };
    assert!(plan(object(20, "ok")).requires_replace.is_empty());
    assert_eq!(
        plan(object(5, "ok")).requires_replace,
        vec![Path::root("size")]
    );
    let rejected = plan(object(10, "TODO"));
    assert_eq!(rejected.diagnostics.len(), 1);
    assert_eq!(
        rejected.diagnostics.iter().next().unwrap().path,
        Some(Path::root("note"))
    );
}
