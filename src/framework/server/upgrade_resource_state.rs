//! `UpgradeResourceState`: Terraform calls it for every resource instance in
//! state on every plan, even when the stored version is current.

use crate::framework::diag::Diagnostics;
use crate::framework::provider::Provider;
use crate::framework::value::{self, Value};
use crate::plugin::protocol as p;

use super::{FrameworkServer, codec};

pub(super) fn run<P: Provider>(
    server: &FrameworkServer<P>,
    request: p::UpgradeResourceStateRequest,
) -> p::UpgradeResourceStateResponse {
    match upgrade(server, &request) {
        Ok(upgraded_state) => p::UpgradeResourceStateResponse {
            upgraded_state,
            diagnostics: Vec::new(),
        },
        Err(diagnostics) => p::UpgradeResourceStateResponse {
            upgraded_state: p::DynamicValue::default(),
            diagnostics: diagnostics.into_protocol(),
        },
    }
}

fn upgrade<P: Provider>(
    server: &FrameworkServer<P>,
    request: &p::UpgradeResourceStateRequest,
) -> Result<p::DynamicValue, Diagnostics> {
    let (_, schema) = server.resource(&request.type_name)?;
    let ty = schema.value_type();
    let mut diagnostics = Diagnostics::new();
    if request.version > schema.version {
        diagnostics.error(
            "Resource State Is From A Newer Provider",
            format!(
                "The state of this {} was written by schema version {}, but this provider \
                 only knows versions up to {}. Use the newer provider version that wrote it.",
                request.type_name, request.version, schema.version
            ),
        );
        return Err(diagnostics);
    }
    if request.version < schema.version {
        // No resource has needed a state migration yet; when one does, add a
        // `ResourceWithUpgradeState` ability and call it here.
        diagnostics.error(
            "Unsupported Resource State Version",
            format!(
                "The state of this {} has schema version {}, which this provider cannot upgrade to {}.",
                request.type_name, request.version, schema.version
            ),
        );
        return Err(diagnostics);
    }
    let state = if request.raw_state.json.is_empty() {
        Value::Null
    } else {
        value::decode_json(&request.raw_state.json, &ty).map_err(|error| {
            let mut diagnostics = Diagnostics::new();
            diagnostics.error(
                "Invalid Stored State",
                format!(
                    "The stored state of this {} could not be read: {error}. \
                     It may have been edited by hand.",
                    request.type_name
                ),
            );
            diagnostics
        })?
    };
    codec::encode(&state, &ty, "upgraded state")
}
