//! `ValidateEphemeralResourceConfig`, `OpenEphemeralResource`,
//! `RenewEphemeralResource`, `CloseEphemeralResource`.

use crate::framework::diag::Diagnostics;
use crate::framework::ephemeral_resource::{
    CloseRequest, OpenRequest, RenewRequest, unknown_result,
};
use crate::framework::provider::Provider;
use crate::plugin::protocol as p;

use super::newer_kinds::lookup;
use super::{FrameworkServer, codec};

const KIND: &str = "Ephemeral Resource";

pub(super) async fn validate<P: Provider>(
    server: &FrameworkServer<P>,
    request: p::ValidateEphemeralResourceConfigRequest,
) -> p::ValidateEphemeralResourceConfigResponse {
    let diagnostics = async {
        let (ephemeral, schema) =
            lookup(&server.newer.ephemeral_resources, KIND, &request.type_name)?;
        let config = codec::decode(&request.config, &schema.value_type(), "configuration")?;
        Ok::<_, Diagnostics>(ephemeral.validate_config(&config).await)
    }
    .await
    .unwrap_or_else(|diagnostics| diagnostics);
    p::ValidateEphemeralResourceConfigResponse {
        diagnostics: diagnostics.into_protocol(),
    }
}

pub(super) async fn open<P: Provider>(
    server: &FrameworkServer<P>,
    request: p::OpenEphemeralResourceRequest,
) -> p::OpenEphemeralResourceResponse {
    match try_open(server, request).await {
        Ok(response) => response,
        Err(diagnostics) => p::OpenEphemeralResourceResponse {
            diagnostics: diagnostics.into_protocol(),
            ..Default::default()
        },
    }
}

async fn try_open<P: Provider>(
    server: &FrameworkServer<P>,
    request: p::OpenEphemeralResourceRequest,
) -> Result<p::OpenEphemeralResourceResponse, Diagnostics> {
    let (ephemeral, schema) = lookup(&server.newer.ephemeral_resources, KIND, &request.type_name)?;
    let ty = schema.value_type();
    let config = codec::decode(&request.config, &ty, "configuration")?;
    let deferral_allowed = request.client_capabilities.deferral_allowed;
    if !config.is_wholly_known() {
        // Terraform does not open with unknowns, but a client might: never
        // act on a half-known configuration.
        return Ok(if deferral_allowed {
            p::OpenEphemeralResourceResponse {
                deferred: Some(p::DeferredReason::ResourceConfigUnknown),
                ..Default::default()
            }
        } else {
            let result = unknown_result(schema, &config);
            p::OpenEphemeralResourceResponse {
                result: codec::encode(&result, &ty, "ephemeral result")?,
                ..Default::default()
            }
        });
    }
    let response = ephemeral
        .open(OpenRequest {
            config,
            deferral_allowed,
        })
        .await;
    let mut diagnostics = response.diagnostics;
    if diagnostics.has_error() {
        return Err(diagnostics);
    }
    if response.deferred {
        if !deferral_allowed {
            diagnostics.error(
                "Invalid Deferral",
                "The ephemeral resource deferred its open although Terraform does not allow \
                 deferrals. This is a bug in the provider.",
            );
            return Err(diagnostics);
        }
        return Ok(p::OpenEphemeralResourceResponse {
            diagnostics: diagnostics.into_protocol(),
            deferred: Some(p::DeferredReason::ProviderConfigUnknown),
            ..Default::default()
        });
    }
    let Some(result) = response.result.filter(|result| !result.is_null()) else {
        diagnostics.error(
            "Missing Ephemeral Resource Result",
            "The ephemeral resource returned no result and no error. This is a bug in the provider.",
        );
        return Err(diagnostics);
    };
    Ok(p::OpenEphemeralResourceResponse {
        result: codec::encode(&result, &ty, "ephemeral result")?,
        private: response.private,
        renew_at: response.renew_at,
        deferred: None,
        diagnostics: diagnostics.into_protocol(),
    })
}

pub(super) async fn renew<P: Provider>(
    server: &FrameworkServer<P>,
    request: p::RenewEphemeralResourceRequest,
) -> p::RenewEphemeralResourceResponse {
    match lookup(&server.newer.ephemeral_resources, KIND, &request.type_name) {
        Ok((ephemeral, _)) => {
            let response = ephemeral
                .renew(RenewRequest {
                    private: request.private,
                })
                .await;
            p::RenewEphemeralResourceResponse {
                diagnostics: response.diagnostics.into_protocol(),
                renew_at: response.renew_at,
                private: response.private,
            }
        }
        Err(diagnostics) => p::RenewEphemeralResourceResponse {
            diagnostics: diagnostics.into_protocol(),
            ..Default::default()
        },
    }
}

pub(super) async fn close<P: Provider>(
    server: &FrameworkServer<P>,
    request: p::CloseEphemeralResourceRequest,
) -> p::CloseEphemeralResourceResponse {
    let diagnostics = match lookup(&server.newer.ephemeral_resources, KIND, &request.type_name) {
        Ok((ephemeral, _)) => {
            ephemeral
                .close(CloseRequest {
                    private: request.private,
                })
                .await
        }
        Err(diagnostics) => diagnostics,
    };
    p::CloseEphemeralResourceResponse {
        diagnostics: diagnostics.into_protocol(),
    }
}
