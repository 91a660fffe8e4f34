//! `ApplyResourceChange`: dispatch to create, update or delete, keep
//! Terraform's spelling of semantically equal values, and check the result
//! against the plan at every depth (`consistency.rs`).

use crate::framework::diag::Diagnostics;
use crate::framework::provider::Provider;
use crate::framework::resource::{CreateRequest, DeleteRequest, UpdateRequest};
use crate::framework::value::Value;
use crate::plugin::protocol as p;

use super::{FrameworkServer, codec, consistency};

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

    let mut new_state = new_state;
    if !new_state.is_null() {
        consistency::keep_equivalent_values(&schema.block.attributes, &planned, &mut new_state);
        if !codec::require_wholly_known(&new_state, "new state after apply", &mut diagnostics) {
            return Err(diagnostics);
        }
        if !diagnostics.has_error() && !planned.is_null() {
            consistency::check_apply_result(&planned, &new_state, &mut diagnostics);
        }
    } else if !planned.is_null() && !diagnostics.has_error() {
        diagnostics.error(
            "Missing Resource State After Apply",
            "The resource returned no state and no error. This is a bug in the provider.",
        );
    }
    Ok((codec::encode(&new_state, &ty, "new state")?, diagnostics))
}
