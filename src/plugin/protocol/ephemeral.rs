//! Ephemeral resources (protocol 6.7, Terraform 1.10+): opened during a run,
//! never stored in state or plan, closed when Terraform is done with them.

use std::time::SystemTime;

use super::{ClientCapabilities, DeferredReason, Diagnostic, DynamicValue};

/// `ValidateEphemeralResourceConfig` request.
#[derive(Debug, Clone, Default)]
pub struct ValidateEphemeralResourceConfigRequest {
    /// The ephemeral resource type.
    pub type_name: String,
    /// The block; may contain unknowns.
    pub config: DynamicValue,
}

/// `ValidateEphemeralResourceConfig` response.
#[derive(Debug, Clone, Default)]
pub struct ValidateEphemeralResourceConfigResponse {
    /// Problems.
    pub diagnostics: Vec<Diagnostic>,
}

/// `OpenEphemeralResource` request.
#[derive(Debug, Clone, Default)]
pub struct OpenEphemeralResourceRequest {
    /// The ephemeral resource type.
    pub type_name: String,
    /// The block, wholly known (Terraform does not open one with unknowns).
    pub config: DynamicValue,
    /// Client capabilities.
    pub client_capabilities: ClientCapabilities,
}

/// `OpenEphemeralResource` response.
#[derive(Debug, Clone, Default)]
pub struct OpenEphemeralResourceResponse {
    /// Problems.
    pub diagnostics: Vec<Diagnostic>,
    /// When Terraform should call `RenewEphemeralResource`; `None` for never.
    pub renew_at: Option<SystemTime>,
    /// The result object (configuration plus computed values).
    pub result: DynamicValue,
    /// Opaque provider data for Renew and Close; never stored.
    pub private: Option<Vec<u8>>,
    /// Set when the open was deferred (only if the client allows it).
    pub deferred: Option<DeferredReason>,
}

/// `RenewEphemeralResource` request.
#[derive(Debug, Clone, Default)]
pub struct RenewEphemeralResourceRequest {
    /// The ephemeral resource type.
    pub type_name: String,
    /// What Open (or the last Renew) returned.
    pub private: Option<Vec<u8>>,
}

/// `RenewEphemeralResource` response.
#[derive(Debug, Clone, Default)]
pub struct RenewEphemeralResourceResponse {
    /// Problems.
    pub diagnostics: Vec<Diagnostic>,
    /// When to renew again; `None` for never.
    pub renew_at: Option<SystemTime>,
    /// New opaque provider data.
    pub private: Option<Vec<u8>>,
}

/// `CloseEphemeralResource` request.
#[derive(Debug, Clone, Default)]
pub struct CloseEphemeralResourceRequest {
    /// The ephemeral resource type.
    pub type_name: String,
    /// What Open (or the last Renew) returned.
    pub private: Option<Vec<u8>>,
}

/// `CloseEphemeralResource` response.
#[derive(Debug, Clone, Default)]
pub struct CloseEphemeralResourceResponse {
    /// Problems.
    pub diagnostics: Vec<Diagnostic>,
}
