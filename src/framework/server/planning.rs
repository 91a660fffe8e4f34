//! The plan algorithm at every depth of nested attributes; pure, so it is
//! unit-tested directly (`server/planning_tests.rs`).
//!
//! 1. Start from Terraform's proposed new state (configuration plus the prior
//!    values of computed attributes the configuration leaves null).
//! 2. Defaults: an attribute with a default that the configuration leaves
//!    null gets it.
//! 3. Semantic equality: a configured value that means the same as the prior
//!    value (`"30d"` / `"720h"`) is replaced by the prior value.
//! 4. On a create, or when the result differs from the prior state (sets
//!    compared as sets), every computed attribute the configuration leaves
//!    null (and that has no default) becomes unknown, at every depth.
//! 5. Plan modifiers run per attribute, outermost first, then inside nested
//!    objects. If any asks for a replacement, step 5 runs again from the
//!    result of step 4 without `UseStateForUnknown`: a replacement object
//!    gets new computed values.
//!
//! Nested objects are paired with their configuration and prior
//! counterparts by nesting: a single object directly, lists by index, maps
//! by key, and set elements by their non-computed attributes (as Terraform
//! correlates them in the proposed state). Paths into a set stop at the set
//! attribute, as the protocol's paths cannot name a set element here.

use std::collections::BTreeMap;

use crate::framework::diag::Diagnostics;
use crate::framework::path::Path;
use crate::framework::schema::{
    Attribute, AttributeMode, AttributePlan, NestedObject, Nesting, PlanModifier, Schema,
};
use crate::framework::value::{Value, values_equal};

static NULL: Value = Value::Null;

/// The result of [`plan_attributes`].
#[derive(Debug)]
pub(super) struct PlannedAttributes {
    /// The planned state.
    pub planned: Value,
    /// Paths whose change forces a replacement.
    pub requires_replace: Vec<Path>,
    /// Problems reported by plan modifiers.
    pub diagnostics: Diagnostics,
}

/// Steps 1-5 of the algorithm for a non-null proposed state.
pub(super) fn plan_attributes(
    schema: &Schema,
    prior: Option<&Value>,
    proposed: Value,
    config: &Value,
) -> PlannedAttributes {
    let Value::Object(mut planned) = proposed else {
        return PlannedAttributes {
            planned: proposed,
            requires_replace: Vec::new(),
            diagnostics: Diagnostics::new(),
        };
    };
    let attributes = &schema.block.attributes;
    prepare(attributes, config, prior, &mut planned);
    let changed = prior.is_none_or(|prior| !object_equals(prior, &planned));
    if changed {
        mark_unknown(attributes, config, &mut planned);
    }
    let creating = prior.is_none();
    let unmodified = planned.clone();
    let mut context = ModifyContext::new(creating, false);
    modify(attributes, config, prior, &mut planned, None, &mut context);
    if !creating && !context.requires_replace.is_empty() {
        planned = unmodified;
        context = ModifyContext::new(creating, true);
        modify(attributes, config, prior, &mut planned, None, &mut context);
    }
    PlannedAttributes {
        planned: Value::Object(planned),
        requires_replace: context.requires_replace,
        diagnostics: context.diagnostics,
    }
}

fn object_equals(prior: &Value, planned: &BTreeMap<String, Value>) -> bool {
    match prior {
        Value::Object(prior) => {
            prior.len() == planned.len()
                && prior
                    .iter()
                    .all(|(name, a)| planned.get(name).is_some_and(|b| values_equal(a, b)))
        }
        _ => false,
    }
}

/// Steps 2 and 3. (Steps 2-4 need no paths: `nested_slots` gets a
/// placeholder.)
fn prepare(
    attributes: &[Attribute],
    config: &Value,
    prior: Option<&Value>,
    planned: &mut BTreeMap<String, Value>,
) {
    for attribute in attributes {
        let configured = attribute_of(config, &attribute.name);
        let prior_value = prior
            .and_then(|prior| prior.get_attr(&attribute.name))
            .filter(|value| !value.is_null());
        let Some(value) = planned.get_mut(&attribute.name) else {
            continue;
        };
        if configured.is_null() {
            if let Some(default) = &attribute.default {
                *value = default.clone();
            }
            continue;
        }
        if let (Some(equality), Some(prior_value)) = (&attribute.semantic_equality, prior_value)
            && !values_equal(value, prior_value)
            && equality.equal(prior_value, value)
        {
            *value = prior_value.clone();
        }
        if let Some(nested) = &attribute.nested
            && configured.is_known()
        {
            for slot in nested_slots(nested, configured, prior_value, value, &Path::root("")) {
                prepare(&nested.attributes, slot.config, slot.prior, slot.planned);
            }
        }
    }
}

/// Step 4.
fn mark_unknown(attributes: &[Attribute], config: &Value, planned: &mut BTreeMap<String, Value>) {
    for attribute in attributes {
        let configured = attribute_of(config, &attribute.name);
        let Some(value) = planned.get_mut(&attribute.name) else {
            continue;
        };
        if configured.is_null() {
            if attribute.mode.is_computed() && attribute.default.is_none() {
                *value = Value::Unknown;
            }
            continue;
        }
        if let Some(nested) = &attribute.nested
            && configured.is_known()
        {
            for slot in nested_slots(nested, configured, None, value, &Path::root("")) {
                mark_unknown(&nested.attributes, slot.config, slot.planned);
            }
        }
    }
}

struct ModifyContext {
    creating: bool,
    replacing: bool,
    requires_replace: Vec<Path>,
    diagnostics: Diagnostics,
}

impl ModifyContext {
    fn new(creating: bool, replacing: bool) -> Self {
        Self {
            creating,
            replacing,
            requires_replace: Vec::new(),
            diagnostics: Diagnostics::new(),
        }
    }
}

/// Step 5.
fn modify(
    attributes: &[Attribute],
    config: &Value,
    prior: Option<&Value>,
    planned: &mut BTreeMap<String, Value>,
    path: Option<&Path>,
    context: &mut ModifyContext,
) {
    for attribute in attributes {
        let here = path.map_or_else(
            || Path::root(attribute.name.clone()),
            |path| path.attribute(attribute.name.clone()),
        );
        let configured = attribute_of(config, &attribute.name);
        let prior_value = prior.map(|prior| attribute_of(prior, &attribute.name));
        let Some(value) = planned.get_mut(&attribute.name) else {
            continue;
        };
        if !attribute.plan_modifiers.is_empty() {
            let mut plan = AttributePlan {
                path: here.clone(),
                config: configured,
                prior: prior_value,
                planned: std::mem::replace(value, Value::Null),
                requires_replace: false,
                diagnostics: Diagnostics::new(),
            };
            for modifier in &attribute.plan_modifiers {
                if context.replacing && *modifier == PlanModifier::UseStateForUnknown {
                    continue;
                }
                modifier.run(&mut plan, context.creating);
            }
            *value = plan.planned;
            if plan.requires_replace {
                context.requires_replace.push(here.clone());
            }
            context.diagnostics.extend(plan.diagnostics);
        }
        if let Some(nested) = &attribute.nested {
            let prior_value = prior_value.filter(|value| !value.is_null());
            for slot in nested_slots(nested, configured, prior_value, value, &here) {
                modify(
                    &nested.attributes,
                    slot.config,
                    slot.prior,
                    slot.planned,
                    Some(&slot.path),
                    context,
                );
            }
        }
    }
}

/// The attribute `name` of an object value; null for anything else.
pub(super) fn attribute_of<'a>(object: &'a Value, name: &str) -> &'a Value {
    object.get_attr(name).unwrap_or(&NULL)
}

/// One object of a nested attribute's planned value with its counterparts.
pub(super) struct NestedSlot<'a> {
    /// Where it sits.
    pub path: Path,
    /// The configured object (null when none corresponds).
    pub config: &'a Value,
    /// The prior object, if one corresponds.
    pub prior: Option<&'a Value>,
    /// The planned object's attributes.
    pub planned: &'a mut BTreeMap<String, Value>,
}

/// The known objects inside a nested attribute's planned value, paired with
/// their configuration and prior counterparts (see the module docs).
pub(super) fn nested_slots<'a>(
    nested: &NestedObject,
    config: &'a Value,
    prior: Option<&'a Value>,
    planned: &'a mut Value,
    path: &Path,
) -> Vec<NestedSlot<'a>> {
    let element = |values: Option<&'a Value>, index: usize| {
        values
            .and_then(Value::as_elements)
            .and_then(|elements| elements.get(index))
    };
    let entry = |values: Option<&'a Value>, key: &str| {
        values
            .and_then(Value::as_map)
            .and_then(|entries| entries.get(key))
    };
    match (nested.nesting, planned) {
        (Nesting::Single, Value::Object(object)) => vec![NestedSlot {
            path: path.clone(),
            config,
            prior,
            planned: object,
        }],
        (Nesting::List, Value::List(elements)) => elements
            .iter_mut()
            .enumerate()
            .filter_map(|(index, value)| match value {
                Value::Object(object) => Some(NestedSlot {
                    path: path.index(index as i64),
                    config: element(Some(config), index).unwrap_or(&NULL),
                    prior: element(prior, index),
                    planned: object,
                }),
                _ => None,
            })
            .collect(),
        (Nesting::Map, Value::Map(entries)) => entries
            .iter_mut()
            .filter_map(|(key, value)| match value {
                Value::Object(object) => Some(NestedSlot {
                    path: path.key(key.clone()),
                    config: entry(Some(config), key).unwrap_or(&NULL),
                    prior: entry(prior, key),
                    planned: object,
                }),
                _ => None,
            })
            .collect(),
        (Nesting::Set, Value::Set(elements)) => elements
            .iter_mut()
            .filter_map(|value| {
                let config = corresponding(&nested.attributes, Some(config), value);
                let prior = corresponding(&nested.attributes, prior, value);
                match value {
                    Value::Object(object) => Some(NestedSlot {
                        path: path.clone(),
                        config: config.unwrap_or(&NULL),
                        prior,
                        planned: object,
                    }),
                    _ => None,
                }
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The element of the set `candidates` that corresponds to `planned`: equal
/// in every attribute that is not computed, and in every optional+computed
/// attribute the candidate sets.
fn corresponding<'a>(
    attributes: &[Attribute],
    candidates: Option<&'a Value>,
    planned: &Value,
) -> Option<&'a Value> {
    candidates?.as_elements()?.iter().find(|candidate| {
        attributes.iter().all(|attribute| {
            let candidate_value = attribute_of(candidate, &attribute.name);
            match attribute.mode {
                AttributeMode::Computed => true,
                AttributeMode::OptionalComputed if candidate_value.is_null() => true,
                _ => values_equal(candidate_value, attribute_of(planned, &attribute.name)),
            }
        })
    })
}
