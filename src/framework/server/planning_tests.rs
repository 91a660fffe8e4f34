//! Unit tests of the plan algorithm (`planning.rs`) on its own: single and
//! map nesting, conditional and custom plan modifiers.

use super::consistency;
use super::planning::plan_attributes;
use crate::framework::diag::Diagnostics;
use crate::framework::path::Path;
use crate::framework::schema::{Attribute, NestedObject, PlanModifier, Schema};
use crate::framework::value::{Type, Value};

#[test]
fn plan_modifier_diagnostics_and_conditional_replacement() {
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
    let plan = |config: Value| plan_attributes(&schema, Some(&prior), config.clone(), &config);
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

#[test]
fn single_and_map_nested_objects_plan_per_object() {
    let schema = Schema::new(
        0,
        "",
        vec![
            Attribute::optional_nested(
                "settings",
                NestedObject::single(vec![
                    Attribute::optional_computed("mode", Type::String)
                        .default_value(Value::string("standard")),
                    Attribute::optional("note", Type::String),
                    Attribute::computed("id", Type::String).use_state_for_unknown(),
                ]),
            ),
            Attribute::optional_nested(
                "limits",
                NestedObject::map(vec![
                    Attribute::required("max", Type::Number).requires_replace(),
                    Attribute::computed("used", Type::Number),
                ]),
            ),
        ],
    );
    assert_eq!(schema.validate(), Ok(()));
    let settings = |mode: Value, note: &str, id: Value| {
        Value::object([("mode", mode), ("note", Value::string(note)), ("id", id)])
    };
    let limit =
        |max: i64, used: Value| Value::object([("max", Value::number(max)), ("used", used)]);
    let prior = Value::object([
        (
            "settings",
            settings(Value::string("fast"), "a", Value::string("s1")),
        ),
        ("limits", Value::map([("t", limit(1, Value::number(5)))])),
    ]);
    let config = Value::object([
        ("settings", settings(Value::Null, "b", Value::Null)),
        (
            "limits",
            Value::map([("t", limit(2, Value::Null)), ("u", limit(3, Value::Null))]),
        ),
    ]);
    // Terraform's proposal: prior computed values where the config is null.
    let proposed = Value::object([
        (
            "settings",
            settings(Value::string("fast"), "b", Value::string("s1")),
        ),
        (
            "limits",
            Value::map([
                ("t", limit(2, Value::number(5))),
                ("u", limit(3, Value::Null)),
            ]),
        ),
    ]);
    let planned = plan_attributes(&schema, Some(&prior), proposed, &config);
    assert!(planned.diagnostics.is_empty());
    assert_eq!(
        planned.planned,
        Value::object([
            // The default wins over the prior value; the stable id is not kept
            // because `limits` forces a replacement (below).
            (
                "settings",
                settings(Value::string("standard"), "b", Value::Unknown)
            ),
            (
                "limits",
                Value::map([
                    ("t", limit(2, Value::Unknown)),
                    ("u", limit(3, Value::Unknown))
                ]),
            ),
        ])
    );
    // A new map entry has no prior value: its `max` counts as changed too.
    assert_eq!(
        planned.requires_replace,
        vec![
            Path::root("limits").key("t").attribute("max"),
            Path::root("limits").key("u").attribute("max"),
        ]
    );
    let mut diagnostics = Diagnostics::new();
    consistency::check_plan(
        &schema,
        &config,
        Some(&prior),
        &planned.planned,
        &mut diagnostics,
    );
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    // Without a replacement, the stable id inside the single object is kept.
    let config = Value::object([
        ("settings", settings(Value::Null, "b", Value::Null)),
        ("limits", Value::map([("t", limit(1, Value::Null))])),
    ]);
    let proposed = Value::object([
        (
            "settings",
            settings(Value::string("fast"), "b", Value::string("s1")),
        ),
        ("limits", Value::map([("t", limit(1, Value::number(5)))])),
    ]);
    let planned = plan_attributes(&schema, Some(&prior), proposed, &config);
    assert!(planned.requires_replace.is_empty());
    assert_eq!(
        planned.planned.get_attr("settings"),
        Some(&settings(
            Value::string("standard"),
            "b",
            Value::string("s1")
        ))
    );
}

#[test]
fn requires_replace_inside_a_new_list_element_only_for_a_set_value() {
    let schema = Schema::new(
        0,
        "",
        vec![Attribute::optional_nested(
            "parts",
            NestedObject::list(vec![
                Attribute::required("name", Type::String),
                Attribute::optional("size", Type::Number).requires_replace(),
            ]),
        )],
    );
    let part = |name: &str, size: Option<i64>| {
        Value::object([
            ("name", Value::string(name)),
            ("size", size.map_or(Value::Null, Value::number)),
        ])
    };
    let prior = Value::object([("parts", Value::list([part("a", Some(1))]))]);
    let plan = |parts: Vec<Value>| {
        let config = Value::object([("parts", Value::list(parts))]);
        plan_attributes(&schema, Some(&prior), config.clone(), &config).requires_replace
    };
    assert!(plan(vec![part("a", Some(1)), part("b", None)]).is_empty());
    assert_eq!(
        plan(vec![part("a", Some(1)), part("b", Some(2))]),
        vec![Path::root("parts").index(1).attribute("size")]
    );
    assert_eq!(
        plan(vec![part("a", Some(3))]),
        vec![Path::root("parts").index(0).attribute("size")]
    );
}
