//! `ReadResource`: refresh. A resource that reports its object gone gets a
//! null new state, which Terraform shows as "has been deleted" and plans to
//! create again. A refreshed value that means the same as the stored one
//! (semantic equality) keeps the stored spelling, so it shows no drift.

use crate::framework::diag::Diagnostics;
use crate::framework::provider::Provider;
use crate::framework::resource::ReadRequest;
use crate::framework::value::Value;
use crate::plugin::protocol as p;

use super::{FrameworkServer, codec, consistency};

pub(super) async fn run<P: Provider>(
    server: &FrameworkServer<P>,
    request: p::ReadResourceRequest,
) -> p::ReadResourceResponse {
    let private = request.private.clone();
    match read(server, request).await {
        Ok((new_state, diagnostics)) => p::ReadResourceResponse {
            new_state,
            diagnostics: diagnostics.into_protocol(),
            private,
        },
        Err(diagnostics) => p::ReadResourceResponse {
            diagnostics: diagnostics.into_protocol(),
            private,
            ..Default::default()
        },
    }
}

async fn read<P: Provider>(
    server: &FrameworkServer<P>,
    request: p::ReadResourceRequest,
) -> Result<(p::DynamicValue, Diagnostics), Diagnostics> {
    let (resource, schema) = server.resource(&request.type_name)?;
    let ty = schema.value_type();
    let current = codec::decode(&request.current_state, &ty, "current state")?;
    if current.is_null() {
        return Ok((
            codec::encode(&Value::Null, &ty, "refreshed state")?,
            Diagnostics::new(),
        ));
    }
    let response = resource
        .read(ReadRequest {
            state: current.clone(),
        })
        .await;
    let mut diagnostics = response.diagnostics;
    let new_state = match response.state {
        // On an error keep what Terraform had: the object is not known to be gone.
        _ if diagnostics.has_error() => current,
        Some(mut state) => {
            consistency::keep_equivalent_values(&schema.block.attributes, &current, &mut state);
            if !codec::require_wholly_known(&state, "refreshed state", &mut diagnostics) {
                return Err(diagnostics);
            }
            state
        }
        None => Value::Null,
    };
    Ok((
        codec::encode(&new_state, &ty, "refreshed state")?,
        diagnostics,
    ))
}
