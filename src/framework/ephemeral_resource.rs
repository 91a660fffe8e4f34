//! The ephemeral resource trait (Terraform 1.10+): something opened for the
//! duration of one Terraform run (a short-lived credential), whose result is
//! never written to state or to a saved plan, and closed when Terraform is
//! done with it.

use std::time::SystemTime;

use async_trait::async_trait;

use super::diag::Diagnostics;
use super::schema::Schema;
use super::value::Value;

/// An ephemeral resource type.
#[async_trait]
pub trait EphemeralResource: Send + Sync + 'static {
    /// The full type name (`influxdb3_management_token`).
    fn type_name(&self) -> String;

    /// The schema: arguments plus computed results.
    fn schema(&self) -> Schema;

    /// Checks a configuration that may contain unknowns. Default: accepts all.
    async fn validate_config(&self, _config: &Value) -> Diagnostics {
        Diagnostics::new()
    }

    /// Opens it: the result is the configuration with every computed
    /// attribute filled. Terraform calls it during plan and again during
    /// apply, with a wholly known configuration.
    async fn open(&self, request: OpenRequest) -> OpenResponse;

    /// Extends its life before `renew_at`. Default: nothing to renew.
    async fn renew(&self, request: RenewRequest) -> RenewResponse {
        RenewResponse {
            private: request.private,
            ..Default::default()
        }
    }

    /// Closes it (revoke, release). Default: nothing to do.
    async fn close(&self, _request: CloseRequest) -> Diagnostics {
        Diagnostics::new()
    }
}

/// Input of [`EphemeralResource::open`].
#[derive(Debug, Clone)]
pub struct OpenRequest {
    /// The configuration, wholly known.
    pub config: Value,
    /// Terraform accepts a deferred open (experimental builds only).
    pub deferral_allowed: bool,
}

/// Output of [`EphemeralResource::open`].
#[derive(Debug, Default)]
pub struct OpenResponse {
    /// The result object. When it cannot be opened yet (the provider's own
    /// configuration is unknown during plan), use [`unknown_result`].
    pub result: Option<Value>,
    /// Opaque data handed to renew and close (never stored); say what to close.
    pub private: Option<Vec<u8>>,
    /// When Terraform should call renew; `None` for never.
    pub renew_at: Option<SystemTime>,
    /// Defer instead of opening because the provider's own configuration is
    /// not known yet (only when [`OpenRequest::deferral_allowed`]).
    pub deferred: bool,
    /// Problems.
    pub diagnostics: Diagnostics,
}

/// Input of [`EphemeralResource::renew`].
#[derive(Debug, Clone, Default)]
pub struct RenewRequest {
    /// What open or the last renew returned.
    pub private: Option<Vec<u8>>,
}

/// Output of [`EphemeralResource::renew`].
#[derive(Debug, Default)]
pub struct RenewResponse {
    /// New opaque data.
    pub private: Option<Vec<u8>>,
    /// When to renew again.
    pub renew_at: Option<SystemTime>,
    /// Problems.
    pub diagnostics: Diagnostics,
}

/// Input of [`EphemeralResource::close`].
#[derive(Debug, Clone, Default)]
pub struct CloseRequest {
    /// What open or the last renew returned.
    pub private: Option<Vec<u8>>,
}

/// The result Terraform expects when nothing could be opened yet: the
/// configuration with every computed attribute that it leaves null unknown
/// (nested blocks as configured).
pub fn unknown_result(schema: &Schema, config: &Value) -> Value {
    let ty = schema.value_type();
    let names = ty
        .attribute_types()
        .map(|types| types.keys().cloned().collect::<Vec<_>>());
    Value::object(names.unwrap_or_default().into_iter().map(|name| {
        let configured = config.get_attr(&name).cloned().unwrap_or(Value::Null);
        let computed = schema
            .attribute(&name)
            .is_some_and(|attribute| attribute.mode.is_computed());
        let value = if computed && configured.is_null() {
            Value::Unknown
        } else {
            configured
        };
        (name, value)
    }))
}
