//! The scenarios of the database-shaped resource.

use super::*;

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
