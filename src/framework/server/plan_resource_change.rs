//! `PlanResourceChange`: the framework's plan algorithm.
//!
//! 1. Destroy (proposed and config null): plan null.
//! 2. Start from Terraform's proposed new state (config plus prior computed values).
//! 3. On a create, or when the proposed state differs from the prior one,
//!    every computed attribute that the configuration leaves null becomes
//!    unknown ("known after apply").
//! 4. Attributes marked `requires_replace` whose value changed are reported.
//! 5. On an in-place update (no replacement), attributes marked
//!    `use_state_for_unknown` keep their prior value, so stable ids do not
//!    show as changing. On a replacement they stay unknown: the new object
//!    gets new values.
//! 6. The resource's own `modify_plan` runs last.
//!
//! This covers top-level attributes, which is what this provider's resources
//! have; nested blocks are passed through as proposed.

use std::collections::BTreeMap;

use crate::framework::diag::Diagnostics;
use crate::framework::path::Path;
use crate::framework::provider::Provider;
use crate::framework::resource::PlanContext;
use crate::framework::schema::Schema;
use crate::framework::value::Value;
use crate::plugin::protocol as p;

use super::{FrameworkServer, codec};

pub(super) async fn run<P: Provider>(
    server: &FrameworkServer<P>,
    request: p::PlanResourceChangeRequest,
) -> p::PlanResourceChangeResponse {
    let planned_private = request.prior_private.clone();
    match plan(server, request).await {
        Ok((planned_state, requires_replace, diagnostics)) => p::PlanResourceChangeResponse {
            planned_state,
            requires_replace: requires_replace
                .iter()
                .map(p::AttributePath::from)
                .collect(),
            planned_private,
            diagnostics: diagnostics.into_protocol(),
        },
        Err(diagnostics) => p::PlanResourceChangeResponse {
            diagnostics: diagnostics.into_protocol(),
            ..Default::default()
        },
    }
}

async fn plan<P: Provider>(
    server: &FrameworkServer<P>,
    request: p::PlanResourceChangeRequest,
) -> Result<(p::DynamicValue, Vec<Path>, Diagnostics), Diagnostics> {
    let (resource, schema) = server.resource(&request.type_name)?;
    let ty = schema.value_type();
    let prior = codec::decode(&request.prior_state, &ty, "prior state")?;
    let proposed = codec::decode(&request.proposed_new_state, &ty, "proposed new state")?;
    let config = codec::decode(&request.config, &ty, "configuration")?;

    if proposed.is_null() {
        return Ok((
            codec::encode(&Value::Null, &ty, "planned state")?,
            Vec::new(),
            Diagnostics::new(),
        ));
    }

    let prior = if prior.is_null() { None } else { Some(prior) };
    let (planned, requires_replace) = plan_attributes(schema, prior.as_ref(), proposed, &config);
    let mut context = PlanContext {
        config,
        prior,
        planned,
        requires_replace,
        diagnostics: Diagnostics::new(),
    };
    resource.modify_plan(&mut context).await;
    if context.diagnostics.has_error() {
        return Err(context.diagnostics);
    }
    let planned_state = codec::encode(&context.planned, &ty, "planned state")?;
    Ok((planned_state, context.requires_replace, context.diagnostics))
}

/// Steps 2-5 of the algorithm; pure, so it is unit-tested directly.
pub(super) fn plan_attributes(
    schema: &Schema,
    prior: Option<&Value>,
    proposed: Value,
    config: &Value,
) -> (Value, Vec<Path>) {
    let Value::Object(mut planned) = proposed else {
        return (proposed, Vec::new());
    };
    let empty = BTreeMap::new();
    let prior_attributes = prior.and_then(Value::as_object).unwrap_or(&empty);
    let changed = match prior {
        None => true,
        Some(prior) => prior.as_object() != Some(&planned),
    };

    let mut requires_replace = Vec::new();
    if prior.is_some() {
        for attribute in schema
            .block
            .attributes
            .iter()
            .filter(|a| a.plan_requires_replace)
        {
            if prior_attributes.get(&attribute.name) != planned.get(&attribute.name) {
                requires_replace.push(Path::root(attribute.name.clone()));
            }
        }
    }
    let replacing = !requires_replace.is_empty();

    if changed {
        for attribute in schema
            .block
            .attributes
            .iter()
            .filter(|a| a.mode.is_computed())
        {
            let configured = config
                .get_attr(&attribute.name)
                .is_some_and(|v| !v.is_null());
            if configured {
                continue;
            }
            let keep_prior = attribute.plan_use_state_for_unknown && prior.is_some() && !replacing;
            let value = match prior_attributes.get(&attribute.name) {
                Some(prior_value) if keep_prior && !prior_value.is_null() => prior_value.clone(),
                _ => Value::Unknown,
            };
            planned.insert(attribute.name.clone(), value);
        }
    }
    (Value::Object(planned), requires_replace)
}
