//! `ValidateListResourceConfig` and `ListResource`: each result's identity is
//! encoded by the managed resource's identity schema and its object by the
//! resource schema; an error result ends the stream.

use futures_util::StreamExt as _;

use crate::framework::diag::Diagnostics;
use crate::framework::list_resource::{ListRequest, ListResult};
use crate::framework::provider::Provider;
use crate::framework::schema::Schema;
use crate::framework::value::Type;
use crate::plugin::protocol as p;

use super::newer_kinds::lookup;
use super::{FrameworkServer, codec};

const KIND: &str = "List Resource";

pub(super) async fn validate<P: Provider>(
    server: &FrameworkServer<P>,
    request: p::ValidateListResourceConfigRequest,
) -> p::ValidateListResourceConfigResponse {
    let diagnostics = async {
        let (list, schema) = lookup(&server.newer.list_resources, KIND, &request.type_name)?;
        let config = codec::decode(&request.config, &schema.value_type(), "list configuration")?;
        Ok::<_, Diagnostics>(list.validate_config(&config).await)
    }
    .await
    .unwrap_or_else(|diagnostics| diagnostics);
    p::ValidateListResourceConfigResponse {
        diagnostics: diagnostics.into_protocol(),
    }
}

fn error_stream(diagnostics: Diagnostics) -> p::EventStream<p::ListResourceEvent> {
    let event = p::ListResourceEvent {
        diagnostics: diagnostics.into_protocol(),
        ..Default::default()
    };
    Box::pin(futures_util::stream::iter([event]))
}

pub(super) async fn list<P: Provider>(
    server: &FrameworkServer<P>,
    request: p::ListResourceRequest,
) -> p::EventStream<p::ListResourceEvent> {
    let prepared = async {
        let (list, schema) = lookup(&server.newer.list_resources, KIND, &request.type_name)?;
        let (resource, resource_schema) = server.resource(&request.type_name)?;
        let Some(identity) = resource.as_identity() else {
            let mut diagnostics = Diagnostics::new();
            diagnostics.error(
                "List Resource Without Identity",
                format!(
                    "{} is listed but has no resource identity. This is a bug in the provider.",
                    request.type_name
                ),
            );
            return Err(diagnostics);
        };
        let identity_type = identity.identity_schema().value_type();
        let config = codec::decode(&request.config, &schema.value_type(), "list configuration")?;
        let results = list
            .list(ListRequest {
                config,
                include_resource: request.include_resource_object,
                limit: request.limit,
            })
            .await;
        Ok((results, identity_type, resource_schema.clone()))
    }
    .await;
    let (results, identity_type, resource_schema) = match prepared {
        Ok(prepared) => prepared,
        Err(diagnostics) => return error_stream(diagnostics),
    };
    let include_resource = request.include_resource_object;
    // Stop after the first event that carries an error.
    let events = results
        .map(move |result| event_out(result, &identity_type, &resource_schema, include_resource))
        .scan(false, |failed, event| {
            if *failed {
                return futures_util::future::ready(None);
            }
            *failed = event
                .diagnostics
                .iter()
                .any(|d| d.severity == p::Severity::Error);
            futures_util::future::ready(Some(event))
        });
    Box::pin(events)
}

fn event_out(
    result: ListResult,
    identity_type: &Type,
    resource_schema: &Schema,
    include_resource: bool,
) -> p::ListResourceEvent {
    let mut diagnostics = result.diagnostics;
    let mut event = p::ListResourceEvent {
        display_name: result.display_name,
        ..Default::default()
    };
    if !diagnostics.has_error() {
        match result.identity {
            Some(identity) if identity.is_wholly_known() && !identity.is_null() => {
                match codec::encode(&identity, identity_type, "listed identity") {
                    Ok(encoded) => event.identity = Some(encoded),
                    Err(problems) => diagnostics.extend(problems),
                }
            }
            Some(_) => diagnostics.error(
                "Invalid Listed Identity",
                "A listed object's identity is null or not wholly known. This is a bug in the provider.",
            ),
            None => {}
        }
    }
    if include_resource
        && !diagnostics.has_error()
        && let Some(resource) = result.resource
        && codec::require_wholly_known(&resource, "listed resource object", &mut diagnostics)
    {
        match codec::encode(
            &resource,
            &resource_schema.value_type(),
            "listed resource object",
        ) {
            Ok(encoded) => event.resource_object = Some(encoded),
            Err(problems) => diagnostics.extend(problems),
        }
    }
    event.diagnostics = diagnostics.into_protocol();
    event
}
