//! `ApplyResourceChange`: dispatch to create, update or delete, and check
//! the result against the plan.

use crate::framework::diag::Diagnostics;
use crate::framework::provider::Provider;
use crate::framework::resource::{CreateRequest, DeleteRequest, UpdateRequest};
use crate::framework::schema::Schema;
use crate::framework::value::Value;
use crate::plugin::protocol as p;

use super::{FrameworkServer, codec};

pub(super) async fn run<P: Provider>(
    server: &FrameworkServer<P>,
    request: p::ApplyResourceChangeRequest,
) -> p::ApplyResourceChangeResponse {
    let private = request.planned_private.clone();
    match apply(server, request).await {
        Ok((new_state, diagnostics)) => p::ApplyResourceChangeResponse {
            new_state,
            private,
            diagnostics: diagnostics.into_protocol(),
        },
        Err(diagnostics) => p::ApplyResourceChangeResponse {
            diagnostics: diagnostics.into_protocol(),
            ..Default::default()
        },
    }
}

async fn apply<P: Provider>(
    server: &FrameworkServer<P>,
    request: p::ApplyResourceChangeRequest,
) -> Result<(p::DynamicValue, Diagnostics), Diagnostics> {
    let (resource, schema) = server.resource(&request.type_name)?;
    let ty = schema.value_type();
    let prior = codec::decode(&request.prior_state, &ty, "prior state")?;
    let planned = codec::decode(&request.planned_state, &ty, "planned state")?;
    let config = codec::decode(&request.config, &ty, "configuration")?;

    let (new_state, mut diagnostics) = if planned.is_null() {
        let response = resource
            .delete(DeleteRequest {
                state: prior.clone(),
            })
            .await;
        // A failed delete keeps the object in state; a successful one must return null.
        let state = if response.diagnostics.has_error() {
            prior
        } else {
            Value::Null
        };
        (state, response.diagnostics)
    } else if prior.is_null() {
        let response = resource
            .create(CreateRequest {
                config,
                planned: planned.clone(),
            })
            .await;
        (response.state.unwrap_or(Value::Null), response.diagnostics)
    } else {
        let response = resource
            .update(UpdateRequest {
                prior: prior.clone(),
                planned: planned.clone(),
                config,
            })
            .await;
        (response.state.unwrap_or(prior), response.diagnostics)
    };

    if !new_state.is_null() {
        if !codec::require_wholly_known(&new_state, "new state after apply", &mut diagnostics) {
            return Err(diagnostics);
        }
        check_matches_plan(schema, &planned, &new_state, &mut diagnostics);
    } else if !planned.is_null() && !diagnostics.has_error() {
        diagnostics.error(
            "Missing Resource State After Apply",
            "The resource returned no state and no error. This is a bug in the provider.",
        );
    }
    Ok((codec::encode(&new_state, &ty, "new state")?, diagnostics))
}

/// Terraform rejects a new state whose values differ from known planned
/// values; say so here, naming the attribute, rather than leave it to
/// Terraform's generic error.
fn check_matches_plan(
    schema: &Schema,
    planned: &Value,
    new_state: &Value,
    diagnostics: &mut Diagnostics,
) {
    if diagnostics.has_error() || planned.is_null() {
        return;
    }
    for attribute in &schema.block.attributes {
        let (Some(planned_value), Some(new_value)) = (
            planned.get_attr(&attribute.name),
            new_state.get_attr(&attribute.name),
        ) else {
            continue;
        };
        if planned_value.is_wholly_known() && planned_value != new_value {
            diagnostics.error(
                "Provider Produced Inconsistent Result",
                format!(
                    "After apply, attribute {:?} differs from its planned value. \
                     This is a bug in the provider.",
                    attribute.name
                ),
            );
        }
    }
}
