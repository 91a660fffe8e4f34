//! `ValidateProviderConfig`, `ValidateResourceConfig`, `ValidateDataResourceConfig`:
//! the schema's attribute validators (`attribute_validation.rs`), then the
//! provider's, resource's or data source's own `validate_config`.

use crate::framework::diag::Diagnostics;
use crate::framework::provider::Provider;
use crate::plugin::protocol as p;

use super::attribute_validation::validate_attributes;
use super::{FrameworkServer, codec};

pub(super) async fn provider_config<P: Provider>(
    server: &FrameworkServer<P>,
    request: p::ValidateProviderConfigRequest,
) -> p::ValidateProviderConfigResponse {
    let ty = server.provider_schema.value_type();
    let diagnostics = match codec::decode(&request.config, &ty, "provider configuration") {
        Ok(config) => {
            let mut diagnostics = Diagnostics::new();
            validate_attributes(
                &server.provider_schema.block.attributes,
                &config,
                None,
                &mut diagnostics,
            );
            diagnostics.extend(server.provider.validate_config(&config).await);
            diagnostics
        }
        Err(diagnostics) => diagnostics,
    };
    p::ValidateProviderConfigResponse {
        diagnostics: diagnostics.into_protocol(),
    }
}

pub(super) async fn resource_config<P: Provider>(
    server: &FrameworkServer<P>,
    request: p::ValidateResourceConfigRequest,
) -> p::ValidateResourceConfigResponse {
    let diagnostics = match server.resource(&request.type_name) {
        Ok((resource, schema)) => {
            match codec::decode(
                &request.config,
                &schema.value_type(),
                "resource configuration",
            ) {
                Ok(config) => {
                    let mut diagnostics = Diagnostics::new();
                    validate_attributes(&schema.block.attributes, &config, None, &mut diagnostics);
                    diagnostics.extend(resource.validate_config(&config).await);
                    diagnostics
                }
                Err(diagnostics) => diagnostics,
            }
        }
        Err(diagnostics) => diagnostics,
    };
    p::ValidateResourceConfigResponse {
        diagnostics: diagnostics.into_protocol(),
    }
}

pub(super) async fn data_resource_config<P: Provider>(
    server: &FrameworkServer<P>,
    request: p::ValidateDataResourceConfigRequest,
) -> p::ValidateDataResourceConfigResponse {
    let diagnostics = match server.data_source(&request.type_name) {
        Ok((data_source, schema)) => {
            match codec::decode(
                &request.config,
                &schema.value_type(),
                "data source configuration",
            ) {
                Ok(config) => {
                    let mut diagnostics = Diagnostics::new();
                    validate_attributes(&schema.block.attributes, &config, None, &mut diagnostics);
                    diagnostics.extend(data_source.validate_config(&config).await);
                    diagnostics
                }
                Err(diagnostics) => diagnostics,
            }
        }
        Err(diagnostics) => diagnostics,
    };
    p::ValidateDataResourceConfigResponse {
        diagnostics: diagnostics.into_protocol(),
    }
}
