//! `ImportResourceState`.

use crate::framework::diag::Diagnostics;
use crate::framework::provider::Provider;
use crate::plugin::protocol as p;

use super::{FrameworkServer, codec};

pub(super) async fn run<P: Provider>(
    server: &FrameworkServer<P>,
    request: p::ImportResourceStateRequest,
) -> p::ImportResourceStateResponse {
    match import(server, &request).await {
        Ok((imported, diagnostics)) => p::ImportResourceStateResponse {
            imported_resources: imported.into_iter().collect(),
            diagnostics: diagnostics.into_protocol(),
        },
        Err(diagnostics) => p::ImportResourceStateResponse {
            imported_resources: Vec::new(),
            diagnostics: diagnostics.into_protocol(),
        },
    }
}

async fn import<P: Provider>(
    server: &FrameworkServer<P>,
    request: &p::ImportResourceStateRequest,
) -> Result<(Option<p::ImportedResource>, Diagnostics), Diagnostics> {
    let (resource, schema) = server.resource(&request.type_name)?;
    let Some(importer) = resource.as_import() else {
        let mut diagnostics = Diagnostics::new();
        diagnostics.error(
            "Import Not Supported",
            format!("{} cannot be imported.", request.type_name),
        );
        return Err(diagnostics);
    };
    let response = importer.import_state(&request.id).await;
    let mut diagnostics = response.diagnostics;
    let Some(state) = response.state.filter(|_| !diagnostics.has_error()) else {
        if !diagnostics.has_error() {
            diagnostics.error(
                "Import Failed",
                format!("Nothing was imported for id {:?}.", request.id),
            );
        }
        return Err(diagnostics);
    };
    let state = codec::encode(&state, &schema.value_type(), "imported state")?;
    Ok((
        Some(p::ImportedResource {
            type_name: request.type_name.clone(),
            state,
            private: Vec::new(),
        }),
        diagnostics,
    ))
}
