//! `PlanResourceChange`: runs the plan algorithm (`planning.rs`: defaults,
//! semantic equality, unknown computed values, plan modifiers, at every
//! depth), then the resource's own `modify_plan`, then checks the result as
//! Terraform will (`consistency.rs`) so a provider bug names the attribute.
//!
//! A destroy (proposed state null) plans null.

use crate::framework::diag::Diagnostics;
use crate::framework::path::Path;
use crate::framework::provider::Provider;
use crate::framework::resource::PlanContext;
use crate::framework::value::Value;
use crate::plugin::protocol as p;

use super::planning::plan_attributes;
use super::{FrameworkServer, codec, consistency};

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
    let planned = plan_attributes(schema, prior.as_ref(), proposed, &config);
    let mut context = PlanContext {
        config,
        prior,
        planned: planned.planned,
        requires_replace: planned.requires_replace,
        diagnostics: planned.diagnostics,
    };
    if !context.diagnostics.has_error() {
        resource.modify_plan(&mut context).await;
    }
    if context.diagnostics.has_error() {
        return Err(context.diagnostics);
    }
    consistency::check_plan(
        schema,
        &context.config,
        context.prior.as_ref(),
        &context.planned,
        &mut context.diagnostics,
    );
    if context.diagnostics.has_error() {
        return Err(context.diagnostics);
    }
    let planned_state = codec::encode(&context.planned, &ty, "planned state")?;
    Ok((planned_state, context.requires_replace, context.diagnostics))
}
