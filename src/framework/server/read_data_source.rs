//! `ReadDataSource`.

use crate::framework::diag::Diagnostics;
use crate::framework::provider::Provider;
use crate::plugin::protocol as p;

use super::{FrameworkServer, codec};

pub(super) async fn run<P: Provider>(
    server: &FrameworkServer<P>,
    request: p::ReadDataSourceRequest,
) -> p::ReadDataSourceResponse {
    match read(server, request).await {
        Ok((state, diagnostics)) => p::ReadDataSourceResponse {
            state,
            diagnostics: diagnostics.into_protocol(),
        },
        Err(diagnostics) => p::ReadDataSourceResponse {
            diagnostics: diagnostics.into_protocol(),
            ..Default::default()
        },
    }
}

async fn read<P: Provider>(
    server: &FrameworkServer<P>,
    request: p::ReadDataSourceRequest,
) -> Result<(p::DynamicValue, Diagnostics), Diagnostics> {
    let (data_source, schema) = server.data_source(&request.type_name)?;
    let ty = schema.value_type();
    let config = codec::decode(&request.config, &ty, "data source configuration")?;
    let response = data_source.read(config).await;
    let mut diagnostics = response.diagnostics;
    if diagnostics.has_error() {
        return Err(diagnostics);
    }
    let Some(state) = response.state.filter(|state| !state.is_null()) else {
        diagnostics.error(
            "Missing Data Source State",
            "The data source returned no state. This is a bug in the provider.",
        );
        return Err(diagnostics);
    };
    if !codec::require_wholly_known(&state, "data source state", &mut diagnostics) {
        return Err(diagnostics);
    }
    Ok((
        codec::encode(&state, &ty, "data source state")?,
        diagnostics,
    ))
}
