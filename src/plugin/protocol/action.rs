//! Actions (protocol 6.10, Terraform 1.14+): provider operations invoked with
//! `terraform apply -invoke=action.TYPE.NAME` or from lifecycle triggers.

use super::{ClientCapabilities, DeferredReason, Diagnostic, DynamicValue};

/// `ValidateActionConfig` request.
#[derive(Debug, Clone, Default)]
pub struct ValidateActionConfigRequest {
    /// The action type.
    pub type_name: String,
    /// The action's `config` block; may contain unknowns.
    pub config: DynamicValue,
}

/// `ValidateActionConfig` response.
#[derive(Debug, Clone, Default)]
pub struct ValidateActionConfigResponse {
    /// Problems.
    pub diagnostics: Vec<Diagnostic>,
}

/// `PlanAction` request.
#[derive(Debug, Clone, Default)]
pub struct PlanActionRequest {
    /// The action type.
    pub action_type: String,
    /// The action's `config` block; may contain unknowns.
    pub config: DynamicValue,
    /// Client capabilities.
    pub client_capabilities: ClientCapabilities,
}

/// `PlanAction` response.
#[derive(Debug, Clone, Default)]
pub struct PlanActionResponse {
    /// Problems.
    pub diagnostics: Vec<Diagnostic>,
    /// Set when deferred; only `ProviderConfigUnknown` is accepted by Terraform.
    pub deferred: Option<DeferredReason>,
}

/// `InvokeAction` request.
#[derive(Debug, Clone, Default)]
pub struct InvokeActionRequest {
    /// The action type.
    pub action_type: String,
    /// The action's `config` block, wholly known.
    pub config: DynamicValue,
    /// Client capabilities.
    pub client_capabilities: ClientCapabilities,
}

/// One `InvokeAction` event. A stream ends with exactly one `Completed`.
#[derive(Debug, Clone)]
pub enum InvokeActionEvent {
    /// A line Terraform shows while the action runs.
    Progress(String),
    /// The action finished; error diagnostics mean it failed.
    Completed(Vec<Diagnostic>),
}
