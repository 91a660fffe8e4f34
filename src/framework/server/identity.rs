//! Resource identity: `GetResourceIdentitySchemas`, `UpgradeResourceIdentity`,
//! the identity of every state the engine returns, and import by identity.

use crate::framework::diag::Diagnostics;
use crate::framework::provider::Provider;
use crate::framework::value;
use crate::plugin::protocol as p;

use super::{FrameworkServer, codec};

pub(super) fn schemas<P: Provider>(
    server: &FrameworkServer<P>,
) -> p::GetResourceIdentitySchemasResponse {
    p::GetResourceIdentitySchemasResponse {
        identity_schemas: server
            .resources
            .iter()
            .filter_map(|(name, (resource, _))| {
                let identity = resource.as_identity()?;
                Some((name.clone(), identity.identity_schema().to_protocol()))
            })
            .collect(),
        diagnostics: Vec::new(),
    }
}

pub(super) fn upgrade<P: Provider>(
    server: &FrameworkServer<P>,
    request: p::UpgradeResourceIdentityRequest,
) -> p::UpgradeResourceIdentityResponse {
    match try_upgrade(server, &request) {
        Ok(upgraded) => p::UpgradeResourceIdentityResponse {
            upgraded_identity: Some(upgraded),
            diagnostics: Vec::new(),
        },
        Err(diagnostics) => p::UpgradeResourceIdentityResponse {
            upgraded_identity: None,
            diagnostics: diagnostics.into_protocol(),
        },
    }
}

fn try_upgrade<P: Provider>(
    server: &FrameworkServer<P>,
    request: &p::UpgradeResourceIdentityRequest,
) -> Result<p::DynamicValue, Diagnostics> {
    let (resource, _) = server.resource(&request.type_name)?;
    let mut diagnostics = Diagnostics::new();
    let Some(identity) = resource.as_identity() else {
        diagnostics.error(
            "Resource Has No Identity",
            format!(
                "{} has no resource identity, but Terraform asked to upgrade one. \
                 This is a bug in Terraform or the provider.",
                request.type_name
            ),
        );
        return Err(diagnostics);
    };
    let schema = identity.identity_schema();
    let ty = schema.value_type();
    let raw = &request.raw_identity.json;
    let upgraded = if request.version == schema.version {
        value::decode_json(raw, &ty).map_err(|error| {
            let mut diagnostics = Diagnostics::new();
            diagnostics.error(
                "Invalid Stored Identity",
                format!("The stored resource identity could not be read: {error}."),
            );
            diagnostics
        })?
    } else if request.version > schema.version {
        diagnostics.error(
            "Identity From A Newer Provider",
            format!(
                "The stored resource identity has version {}, newer than this provider's \
                 version {}. Use the provider version that wrote it.",
                request.version, schema.version
            ),
        );
        return Err(diagnostics);
    } else {
        let stored: serde_json::Value = serde_json::from_slice(raw).map_err(|error| {
            let mut diagnostics = Diagnostics::new();
            diagnostics.error(
                "Invalid Stored Identity",
                format!("The stored resource identity is not JSON: {error}."),
            );
            diagnostics
        })?;
        identity.upgrade_identity(request.version, &stored)?
    };
    codec::require_wholly_known(&upgraded, "upgraded identity", &mut diagnostics);
    if diagnostics.has_error() {
        return Err(diagnostics);
    }
    codec::encode(&upgraded, &ty, "upgraded identity")
}

/// The identity of the object whose (planned) state is `state`.
pub(super) fn of_state<P: Provider>(
    server: &FrameworkServer<P>,
    type_name: &str,
    state: &p::DynamicValue,
) -> p::ResourceIdentityResponse {
    let result = (|| {
        let Ok((resource, schema)) = server.resource(type_name) else {
            return Ok(None);
        };
        let Some(identity) = resource.as_identity() else {
            return Ok(None);
        };
        let state = codec::decode(state, &schema.value_type(), "state")?;
        if state.is_null() {
            return Ok(None);
        }
        match identity.identity(&state) {
            Some(value) if value.is_wholly_known() => {
                let ty = identity.identity_schema().value_type();
                codec::encode(&value, &ty, "resource identity").map(Some)
            }
            _ => Ok(None),
        }
    })();
    match result {
        Ok(identity) => p::ResourceIdentityResponse {
            identity,
            diagnostics: Vec::new(),
        },
        Err(diagnostics) => p::ResourceIdentityResponse {
            identity: None,
            diagnostics: diagnostics.into_protocol(),
        },
    }
}

/// For an import by identity (`import {}` with `identity = {...}`), sets the
/// request's id from the identity so the import proceeds as by id.
pub(super) async fn resolve_import_id<P: Provider>(
    server: &FrameworkServer<P>,
    request: &mut p::ImportResourceStateRequest,
) -> Result<(), Diagnostics> {
    let Some(given) = request.identity.take() else {
        return Ok(());
    };
    if given.msgpack.is_empty() && given.json.is_empty() {
        return Ok(());
    }
    let (resource, _) = server.resource(&request.type_name)?;
    let Some(identity) = resource.as_identity() else {
        let mut diagnostics = Diagnostics::new();
        diagnostics.error(
            "Import By Identity Not Supported",
            format!(
                "{} has no resource identity; import it by id instead.",
                request.type_name
            ),
        );
        return Err(diagnostics);
    };
    let ty = identity.identity_schema().value_type();
    let value = codec::decode(&given, &ty, "import identity")?;
    request.id = identity.import_id(&value).await?;
    Ok(())
}
