//! `MoveResourceState` (Terraform 1.8+): a `moved` block whose source is a
//! resource of another type or provider. The target resource's
//! [`ResourceWithMoveState`] hook gets the source's provider address, type,
//! schema version and stored JSON, and returns the new state.
//!
//! As terraform-plugin-framework does, a target without the ability, or one
//! whose hook does not handle that source (`None`), answers with an "Unable
//! to Move Resource State" error naming the source: Terraform then stops
//! with that message instead of losing or guessing the state.
//!
//! [`ResourceWithMoveState`]: crate::framework::resource::ResourceWithMoveState

use crate::framework::diag::Diagnostics;
use crate::framework::provider::Provider;
use crate::framework::resource::MoveStateRequest;
use crate::plugin::protocol as p;

use super::{FrameworkServer, codec};

pub(super) async fn run<P: Provider>(
    server: &FrameworkServer<P>,
    request: p::MoveResourceStateRequest,
) -> p::MoveResourceStateResponse {
    match move_state(server, request).await {
        Ok((target_state, diagnostics)) => p::MoveResourceStateResponse {
            target_state,
            diagnostics: diagnostics.into_protocol(),
            target_private: Vec::new(),
        },
        Err(diagnostics) => p::MoveResourceStateResponse {
            diagnostics: diagnostics.into_protocol(),
            ..Default::default()
        },
    }
}

async fn move_state<P: Provider>(
    server: &FrameworkServer<P>,
    request: p::MoveResourceStateRequest,
) -> Result<(p::DynamicValue, Diagnostics), Diagnostics> {
    let (resource, schema) = server.resource(&request.target_type_name)?;
    let source = format!(
        "Source provider address: {}\nSource resource type: {}\nSource schema version: {}\n\
         Target resource type: {}",
        request.source_provider_address,
        request.source_type_name,
        request.source_schema_version,
        request.target_type_name
    );
    let unable = |why: &str| {
        let mut diagnostics = Diagnostics::new();
        diagnostics.error(
            "Unable to Move Resource State",
            format!("{why}\n\n{source}"),
        );
        diagnostics
    };
    let Some(mover) = resource.as_move_state() else {
        return Err(unable(&format!(
            "{} cannot take over the state of another resource type.",
            request.target_type_name
        )));
    };
    let source_state = if request.source_state.json.is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::from_slice(&request.source_state.json)
            .map_err(|error| unable(&format!("The source state is not valid JSON: {error}.")))?
    };
    let response = mover
        .move_state(MoveStateRequest {
            source_provider_address: request.source_provider_address.clone(),
            source_type_name: request.source_type_name.clone(),
            source_schema_version: request.source_schema_version,
            source_state,
        })
        .await;
    let Some(response) = response else {
        return Err(unable(&format!(
            "{} does not take over the state of this source.",
            request.target_type_name
        )));
    };
    let mut diagnostics = response.diagnostics;
    if diagnostics.has_error() {
        return Err(diagnostics);
    }
    let Some(state) = response.state.filter(|state| !state.is_null()) else {
        diagnostics.extend(unable(
            "The move returned no state and no error. This is a bug in the provider.",
        ));
        return Err(diagnostics);
    };
    if !codec::require_wholly_known(&state, "moved state", &mut diagnostics) {
        return Err(diagnostics);
    }
    Ok((
        codec::encode(&state, &schema.value_type(), "moved state")?,
        diagnostics,
    ))
}
