//! `ConfigureProvider`.

use crate::framework::provider::{ConfigureRequest, Provider};
use crate::plugin::protocol as p;

use super::{FrameworkServer, codec};

pub(super) async fn run<P: Provider>(
    server: &FrameworkServer<P>,
    request: p::ConfigureProviderRequest,
) -> p::ConfigureProviderResponse {
    let ty = server.provider_schema.value_type();
    let diagnostics = match codec::decode(&request.config, &ty, "provider configuration") {
        Ok(config) => {
            server
                .provider
                .configure(ConfigureRequest {
                    config,
                    terraform_version: request.terraform_version,
                    stop: server.stop.clone(),
                })
                .await
        }
        Err(diagnostics) => diagnostics,
    };
    p::ConfigureProviderResponse {
        diagnostics: diagnostics.into_protocol(),
    }
}
