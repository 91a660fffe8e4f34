//! Hand-written types of the tfplugin6 protocol, and the [`ProviderServer`] trait.
//!
//! These mirror the protobuf messages closely (like terraform-plugin-go's
//! `tfprotov6`), but carry no prost or tonic types: the layer above (the
//! framework) is written against these, and the conversions to and from the
//! generated code live in `plugin::convert`. Values stay encoded
//! ([`DynamicValue`]): decoding them needs a schema, which is the framework's
//! business.

mod action;
mod diagnostics;
mod ephemeral;
mod identity;
mod list_resource;
mod requests;
mod schema;

pub use action::*;
pub use diagnostics::{AttributePath, AttributePathStep, Diagnostic, Severity};
pub use ephemeral::*;
pub use identity::*;
pub use list_resource::*;
pub use requests::*;
pub use schema::{
    NestedBlockNesting, ObjectNesting, Schema, SchemaAttribute, SchemaBlock, SchemaNestedBlock,
    SchemaObject, StringKind,
};

/// The RPCs of protocol 6 that a provider implements.
///
/// Terraform calls them concurrently; an implementation must be `Send + Sync`.
/// Every method answers with a response carrying diagnostics: user-facing
/// problems are diagnostics, never transport errors. RPCs not listed here are
/// answered `Unimplemented` by the transport, which Terraform tolerates for the
/// features this provider does not advertise.
///
/// The RPCs of protocol 6.7 and later (ephemeral resources, resource identity,
/// list resources, actions) have default implementations that report the
/// feature unsupported, so a server implements only what it advertises.
/// Identities are not carried in the request/response types of the older
/// RPCs: the transport asks [`ProviderServer::resource_identity`] for the
/// identity of every state it returns, so an identity is a function of the
/// state and stays stable by construction.
#[async_trait::async_trait]
pub trait ProviderServer: Send + Sync + 'static {
    /// Every schema of the provider; called once per Terraform process that needs them.
    async fn get_provider_schema(&self) -> GetProviderSchemaResponse;
    /// The resource and data source type names, for clients that ask (Terraform 1.15 does not).
    async fn get_metadata(&self) -> GetMetadataResponse;
    /// Checks the provider block, which may still contain unknown values.
    async fn validate_provider_config(
        &self,
        request: ValidateProviderConfigRequest,
    ) -> ValidateProviderConfigResponse;
    /// Configures the provider before any resource operation of the process.
    async fn configure_provider(
        &self,
        request: ConfigureProviderRequest,
    ) -> ConfigureProviderResponse;
    /// Asks the provider to cancel in-flight work (Terraform's Ctrl-C).
    async fn stop_provider(&self) -> StopProviderResponse;
    /// Checks a resource block.
    async fn validate_resource_config(
        &self,
        request: ValidateResourceConfigRequest,
    ) -> ValidateResourceConfigResponse;
    /// Turns stored JSON state into a value of the current schema.
    async fn upgrade_resource_state(
        &self,
        request: UpgradeResourceStateRequest,
    ) -> UpgradeResourceStateResponse;
    /// Refreshes a resource from the remote system.
    async fn read_resource(&self, request: ReadResourceRequest) -> ReadResourceResponse;
    /// Plans a create, update or destroy.
    async fn plan_resource_change(
        &self,
        request: PlanResourceChangeRequest,
    ) -> PlanResourceChangeResponse;
    /// Carries out a planned change.
    async fn apply_resource_change(
        &self,
        request: ApplyResourceChangeRequest,
    ) -> ApplyResourceChangeResponse;
    /// Imports an existing remote object by id.
    async fn import_resource_state(
        &self,
        request: ImportResourceStateRequest,
    ) -> ImportResourceStateResponse;
    /// Checks a data source block.
    async fn validate_data_resource_config(
        &self,
        request: ValidateDataResourceConfigRequest,
    ) -> ValidateDataResourceConfigResponse;
    /// Reads a data source.
    async fn read_data_source(&self, request: ReadDataSourceRequest) -> ReadDataSourceResponse;

    /// Identity schemas of the resource types that have one (Terraform 1.12+).
    async fn get_resource_identity_schemas(&self) -> GetResourceIdentitySchemasResponse {
        GetResourceIdentitySchemasResponse::default()
    }
    /// Turns a stored identity into one of the current identity schema.
    async fn upgrade_resource_identity(
        &self,
        request: UpgradeResourceIdentityRequest,
    ) -> UpgradeResourceIdentityResponse {
        UpgradeResourceIdentityResponse {
            upgraded_identity: None,
            diagnostics: unsupported("resource identity", &request.type_name),
        }
    }
    /// The identity of the object whose state (or planned state) is `state`;
    /// `None` when the type has no identity or it is not known yet. Called by
    /// the transport for every state ReadResource, PlanResourceChange,
    /// ApplyResourceChange and ImportResourceState return.
    async fn resource_identity(
        &self,
        _type_name: &str,
        _state: &DynamicValue,
    ) -> ResourceIdentityResponse {
        ResourceIdentityResponse::default()
    }
    /// Checks an ephemeral resource block.
    async fn validate_ephemeral_resource_config(
        &self,
        request: ValidateEphemeralResourceConfigRequest,
    ) -> ValidateEphemeralResourceConfigResponse {
        ValidateEphemeralResourceConfigResponse {
            diagnostics: unsupported("ephemeral resource", &request.type_name),
        }
    }
    /// Opens an ephemeral resource.
    async fn open_ephemeral_resource(
        &self,
        request: OpenEphemeralResourceRequest,
    ) -> OpenEphemeralResourceResponse {
        OpenEphemeralResourceResponse {
            diagnostics: unsupported("ephemeral resource", &request.type_name),
            ..Default::default()
        }
    }
    /// Renews an open ephemeral resource.
    async fn renew_ephemeral_resource(
        &self,
        request: RenewEphemeralResourceRequest,
    ) -> RenewEphemeralResourceResponse {
        RenewEphemeralResourceResponse {
            diagnostics: unsupported("ephemeral resource", &request.type_name),
            ..Default::default()
        }
    }
    /// Closes an ephemeral resource.
    async fn close_ephemeral_resource(
        &self,
        request: CloseEphemeralResourceRequest,
    ) -> CloseEphemeralResourceResponse {
        CloseEphemeralResourceResponse {
            diagnostics: unsupported("ephemeral resource", &request.type_name),
        }
    }
    /// Checks the `config` block of a `list` block.
    async fn validate_list_resource_config(
        &self,
        request: ValidateListResourceConfigRequest,
    ) -> ValidateListResourceConfigResponse {
        ValidateListResourceConfigResponse {
            diagnostics: unsupported("list resource", &request.type_name),
        }
    }
    /// Lists remote objects, one event each.
    async fn list_resource(&self, request: ListResourceRequest) -> EventStream<ListResourceEvent> {
        let event = ListResourceEvent {
            diagnostics: unsupported("list resource", &request.type_name),
            ..Default::default()
        };
        Box::pin(futures_util::stream::iter([event]))
    }
    /// Checks an action's `config` block.
    async fn validate_action_config(
        &self,
        request: ValidateActionConfigRequest,
    ) -> ValidateActionConfigResponse {
        ValidateActionConfigResponse {
            diagnostics: unsupported("action", &request.type_name),
        }
    }
    /// Plans an action invocation.
    async fn plan_action(&self, request: PlanActionRequest) -> PlanActionResponse {
        PlanActionResponse {
            diagnostics: unsupported("action", &request.action_type),
            deferred: None,
        }
    }
    /// Runs an action: progress events, then one `Completed`.
    async fn invoke_action(&self, request: InvokeActionRequest) -> EventStream<InvokeActionEvent> {
        let completed = InvokeActionEvent::Completed(unsupported("action", &request.action_type));
        Box::pin(futures_util::stream::iter([completed]))
    }
    /// Takes over the state of a resource of another type (`moved` blocks
    /// across types). The default refuses with an error diagnostic.
    async fn move_resource_state(
        &self,
        request: MoveResourceStateRequest,
    ) -> MoveResourceStateResponse {
        MoveResourceStateResponse {
            diagnostics: vec![Diagnostic {
                severity: Severity::Error,
                summary: "Unable to Move Resource State".to_string(),
                detail: format!(
                    "This provider cannot move state from {} into {}.",
                    request.source_type_name, request.target_type_name
                ),
                attribute: None,
            }],
            ..Default::default()
        }
    }
}

/// `ResourceIdentity` answer of [`ProviderServer::resource_identity`].
#[derive(Debug, Clone, Default)]
pub struct ResourceIdentityResponse {
    /// The identity, or `None` when there is none (yet).
    pub identity: Option<DynamicValue>,
    /// Problems computing it.
    pub diagnostics: Vec<Diagnostic>,
}

fn unsupported(kind: &str, type_name: &str) -> Vec<Diagnostic> {
    vec![Diagnostic {
        severity: Severity::Error,
        summary: format!("Unsupported {kind}"),
        detail: format!(
            "This provider has no {kind} type {type_name:?}. This is a bug in Terraform or the provider."
        ),
        attribute: None,
    }]
}
