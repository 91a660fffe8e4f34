//! `UpgradeResourceState`: Terraform calls it for every resource instance in
//! state on every plan, even when the stored version is current.
//!
//! - Stored version above the schema's: an error (a newer provider wrote it).
//! - Stored version below: the resource's [`ResourceWithUpgradeState`] hook
//!   turns the stored JSON into JSON of the current schema (an error when the
//!   resource has none).
//! - Then the JSON is decoded by the current schema: attributes it lacks are
//!   null (added later without a version bump) and attributes the schema no
//!   longer has are dropped.
//!
//! [`ResourceWithUpgradeState`]: crate::framework::resource::ResourceWithUpgradeState

use crate::framework::diag::Diagnostics;
use crate::framework::provider::Provider;
use crate::framework::resource::UpgradeStateRequest;
use crate::framework::value::{self, Value};
use crate::plugin::protocol as p;

use super::{FrameworkServer, codec};

pub(super) async fn run<P: Provider>(
    server: &FrameworkServer<P>,
    request: p::UpgradeResourceStateRequest,
) -> p::UpgradeResourceStateResponse {
    match upgrade(server, &request).await {
        Ok((upgraded_state, diagnostics)) => p::UpgradeResourceStateResponse {
            upgraded_state,
            diagnostics: diagnostics.into_protocol(),
        },
        Err(diagnostics) => p::UpgradeResourceStateResponse {
            upgraded_state: p::DynamicValue::default(),
            diagnostics: diagnostics.into_protocol(),
        },
    }
}

async fn upgrade<P: Provider>(
    server: &FrameworkServer<P>,
    request: &p::UpgradeResourceStateRequest,
) -> Result<(p::DynamicValue, Diagnostics), Diagnostics> {
    let (resource, schema) = server.resource(&request.type_name)?;
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
    let mut json = request.raw_state.json.clone();
    if request.version < schema.version && !json.is_empty() {
        let Some(upgrader) = resource.as_upgrade_state() else {
            diagnostics.error(
                "Unsupported Resource State Version",
                format!(
                    "The state of this {} has schema version {}, which this provider cannot \
                     upgrade to {}. This is a bug in the provider.",
                    request.type_name, request.version, schema.version
                ),
            );
            return Err(diagnostics);
        };
        let raw_state = serde_json::from_slice(&json)
            .map_err(|error| invalid_stored_state(&request.type_name, &error.to_string()))?;
        let response = upgrader
            .upgrade_state(UpgradeStateRequest {
                version: request.version,
                raw_state,
            })
            .await;
        diagnostics.extend(response.diagnostics);
        if diagnostics.has_error() {
            return Err(diagnostics);
        }
        let Some(upgraded) = response.state else {
            diagnostics.error(
                "Missing Upgraded Resource State",
                format!(
                    "Upgrading the state of this {} from version {} returned no state and no \
                     error. This is a bug in the provider.",
                    request.type_name, request.version
                ),
            );
            return Err(diagnostics);
        };
        json = serde_json::to_vec(&upgraded)
            .map_err(|error| invalid_stored_state(&request.type_name, &error.to_string()))?;
    }
    let state = if json.is_empty() {
        Value::Null
    } else {
        value::decode_json_dropping_unknown_attributes(&json, &ty)
            .map_err(|error| invalid_stored_state(&request.type_name, &error.to_string()))?
    };
    Ok((codec::encode(&state, &ty, "upgraded state")?, diagnostics))
}

fn invalid_stored_state(type_name: &str, error: &str) -> Diagnostics {
    let mut diagnostics = Diagnostics::new();
    diagnostics.error(
        "Invalid Stored State",
        format!(
            "The stored state of this {type_name} could not be read: {error}. \
             It may have been edited by hand."
        ),
    );
    diagnostics
}
