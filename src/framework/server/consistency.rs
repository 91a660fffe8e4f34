//! The checks Terraform makes of a provider's results, made first by the
//! engine at every depth so that a provider bug is reported naming the
//! attribute (and before Terraform's generic error):
//!
//! - a plan ([`check_plan`]): a value the configuration sets is planned as
//!   configured, or as the prior value (Terraform's "functionally
//!   equivalent" escape, which semantic equality relies on); only computed
//!   attributes the configuration leaves null may be anything;
//! - an apply result ([`check_apply_result`]): every known planned value
//!   comes back identical (sets compared as sets; unknowns may become
//!   anything);
//!
//! and the one adjustment the engine makes to results:
//! [`keep_equivalent_values`] keeps Terraform's spelling of a value a read or
//! apply returns in another spelling (semantic equality).
//!
//! Messages name paths, never values (they may be secrets).

use crate::framework::diag::Diagnostics;
use crate::framework::path::Path;
use crate::framework::schema::{Attribute, AttributeMode, Nesting, Schema};
use crate::framework::value::{Value, match_elements, values_equal};

use super::planning::attribute_of;

/// Checks a planned state against the configuration and prior state.
pub(super) fn check_plan(
    schema: &Schema,
    config: &Value,
    prior: Option<&Value>,
    planned: &Value,
    diagnostics: &mut Diagnostics,
) {
    let mut problems = Vec::new();
    check_plan_object(
        &schema.block.attributes,
        config,
        prior,
        planned,
        None,
        &mut problems,
    );
    for (path, problem) in problems {
        diagnostics.error(
            "Provider Produced Invalid Plan",
            format!("The planned value of {path} {problem}. This is a bug in the provider."),
        );
    }
}

fn check_plan_object(
    attributes: &[Attribute],
    config: &Value,
    prior: Option<&Value>,
    planned: &Value,
    path: Option<&Path>,
    problems: &mut Vec<(Path, &'static str)>,
) {
    for attribute in attributes {
        let here = child(path, &attribute.name);
        let prior_value = prior.map(|prior| attribute_of(prior, &attribute.name));
        if let Err(problem) = check_plan_value(
            attribute,
            attribute_of(config, &attribute.name),
            prior_value,
            attribute_of(planned, &attribute.name),
            &here,
            problems,
        ) {
            problems.push((here, problem));
        }
    }
}

fn check_plan_value(
    attribute: &Attribute,
    config: &Value,
    prior: Option<&Value>,
    planned: &Value,
    path: &Path,
    problems: &mut Vec<(Path, &'static str)>,
) -> Result<(), &'static str> {
    if values_equal(planned, config) {
        return Ok(());
    }
    if let Some(prior) = prior
        && !config.is_null()
        && !prior.is_null()
        && values_equal(planned, prior)
    {
        return Ok(());
    }
    if attribute.mode == AttributeMode::Computed
        || (attribute.mode.is_computed() && config.is_null())
    {
        return Ok(());
    }
    if config.is_null() {
        return Err("is set but its configuration is null");
    }
    if config.is_unknown() {
        return Err("is known but its configuration is not yet known");
    }
    if planned.is_unknown() {
        return Err("is unknown but its configuration is known");
    }
    match &attribute.nested {
        Some(nested) if !planned.is_null() => check_plan_nested(
            nested.nesting,
            &nested.attributes,
            config,
            prior,
            planned,
            path,
            problems,
        ),
        _ => Err("differs from its configuration"),
    }
}

fn check_plan_nested(
    nesting: Nesting,
    attributes: &[Attribute],
    config: &Value,
    prior: Option<&Value>,
    planned: &Value,
    path: &Path,
    problems: &mut Vec<(Path, &'static str)>,
) -> Result<(), &'static str> {
    let prior = prior.filter(|prior| !prior.is_null());
    match (nesting, config, planned) {
        (Nesting::Single, Value::Object(_), Value::Object(_)) => {
            check_plan_object(attributes, config, prior, planned, Some(path), problems);
            Ok(())
        }
        (Nesting::List, Value::List(configured), Value::List(elements)) => {
            if configured.len() != elements.len() {
                return Err("has a different number of elements than its configuration");
            }
            for (index, (configured, element)) in configured.iter().zip(elements).enumerate() {
                let prior = prior
                    .and_then(Value::as_elements)
                    .and_then(|elements| elements.get(index));
                let here = path.index(index as i64);
                check_plan_object(
                    attributes,
                    configured,
                    prior,
                    element,
                    Some(&here),
                    problems,
                );
            }
            Ok(())
        }
        (Nesting::Map, Value::Map(configured), Value::Map(entries)) => {
            if !configured.keys().eq(entries.keys()) {
                return Err("has different keys than its configuration");
            }
            for (key, element) in entries {
                let prior = prior.and_then(Value::as_map).and_then(|map| map.get(key));
                let here = path.key(key.clone());
                check_plan_object(
                    attributes,
                    &configured[key],
                    prior,
                    element,
                    Some(&here),
                    problems,
                );
            }
            Ok(())
        }
        (Nesting::Set, Value::Set(configured), Value::Set(elements)) => {
            let valid = |configured: &Value, element: &Value| {
                let mut found = Vec::new();
                check_plan_object(
                    attributes,
                    configured,
                    None,
                    element,
                    Some(path),
                    &mut found,
                );
                found.is_empty()
            };
            if configured.len() == elements.len() && match_elements(configured, elements, valid) {
                Ok(())
            } else {
                Err("does not match the set in its configuration")
            }
        }
        _ => Err("differs from its configuration"),
    }
}

/// Checks a create or update result against the planned state.
pub(super) fn check_apply_result(
    planned: &Value,
    new_state: &Value,
    diagnostics: &mut Diagnostics,
) {
    let Some(planned_attributes) = planned.as_object() else {
        return;
    };
    for (name, planned_value) in planned_attributes {
        let mut mismatches = Vec::new();
        compatible(
            planned_value,
            attribute_of(new_state, name),
            &Path::root(name.clone()),
            &mut mismatches,
        );
        for path in mismatches {
            diagnostics.error(
                "Provider Produced Inconsistent Result",
                format!(
                    "After apply, {path} differs from its planned value. \
                     This is a bug in the provider."
                ),
            );
        }
    }
}

fn compatible(planned: &Value, actual: &Value, path: &Path, mismatches: &mut Vec<Path>) {
    match (planned, actual) {
        (Value::Unknown, _) => {}
        (Value::Object(planned), Value::Object(actual)) => {
            for (name, planned) in planned {
                compatible(
                    planned,
                    attribute_of_map(actual, name),
                    &path.attribute(name.clone()),
                    mismatches,
                );
            }
        }
        (Value::List(planned), Value::List(actual)) if planned.len() == actual.len() => {
            for (index, (planned, actual)) in planned.iter().zip(actual).enumerate() {
                compatible(planned, actual, &path.index(index as i64), mismatches);
            }
        }
        (Value::Map(planned), Value::Map(actual)) if planned.keys().eq(actual.keys()) => {
            for (key, planned) in planned {
                compatible(planned, &actual[key], &path.key(key.clone()), mismatches);
            }
        }
        (Value::Set(planned_elements), Value::Set(actual_elements))
            if !planned.is_wholly_known() && planned_elements.len() == actual_elements.len() =>
        {
            let fits = |planned: &Value, actual: &Value| {
                let mut found = Vec::new();
                compatible(planned, actual, path, &mut found);
                found.is_empty()
            };
            if !match_elements(planned_elements, actual_elements, fits) {
                mismatches.push(path.clone());
            }
        }
        _ => {
            if !values_equal(planned, actual) {
                mismatches.push(path.clone());
            }
        }
    }
}

fn attribute_of_map<'a>(
    object: &'a std::collections::BTreeMap<String, Value>,
    name: &str,
) -> &'a Value {
    static NULL: Value = Value::Null;
    object.get(name).unwrap_or(&NULL)
}

/// Where `result` holds a value semantically equal to (but spelled unlike)
/// `reference`'s, puts `reference`'s value back: at every attribute with
/// [`SemanticEquality`](crate::framework::schema::SemanticEquality), inside
/// single, list and map nested objects.
pub(super) fn keep_equivalent_values(
    attributes: &[Attribute],
    reference: &Value,
    result: &mut Value,
) {
    let Value::Object(result) = result else {
        return;
    };
    for attribute in attributes {
        let wanted = attribute_of(reference, &attribute.name);
        let Some(value) = result.get_mut(&attribute.name) else {
            continue;
        };
        if let Some(equality) = &attribute.semantic_equality
            && !values_equal(wanted, value)
            && equality.equal(wanted, value)
        {
            *value = wanted.clone();
            continue;
        }
        let Some(nested) = &attribute.nested else {
            continue;
        };
        match (nested.nesting, value) {
            (Nesting::Single, value) => keep_equivalent_values(&nested.attributes, wanted, value),
            (Nesting::List, Value::List(elements)) => {
                let wanted = wanted.as_elements().unwrap_or_default();
                for (element, wanted) in elements.iter_mut().zip(wanted) {
                    keep_equivalent_values(&nested.attributes, wanted, element);
                }
            }
            (Nesting::Map, Value::Map(entries)) => {
                for (key, element) in entries.iter_mut() {
                    if let Some(wanted) = wanted.as_map().and_then(|map| map.get(key)) {
                        keep_equivalent_values(&nested.attributes, wanted, element);
                    }
                }
            }
            _ => {}
        }
    }
}

fn child(path: Option<&Path>, name: &str) -> Path {
    path.map_or_else(|| Path::root(name), |path| path.attribute(name))
}
