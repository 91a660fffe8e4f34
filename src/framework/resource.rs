//! The resource trait and its request/response pairs.
//!
//! Implement [`Resource`] for a managed resource type. The framework's engine
//! (the private `server` module) decodes Terraform's values by the schema,
//! computes plans (unknown computed values, requires-replace, kept ids) and
//! enforces Terraform's rules, so an implementation deals in [`Value`]s and
//! [`Diagnostics`] only.

use async_trait::async_trait;

use super::diag::Diagnostics;
use super::identity::ResourceWithIdentity;
use super::path::Path;
use super::schema::Schema;
use super::value::Value;

/// A managed resource type.
#[async_trait]
pub trait Resource: Send + Sync + 'static {
    /// The full type name, the provider name plus a suffix
    /// (`influxdb3_management_token`).
    fn type_name(&self) -> String;

    /// The schema. Called once per process; must pass [`Schema::validate`].
    fn schema(&self) -> Schema;

    /// Checks a configuration, which may still contain unknown values (from
    /// variables or other resources): check only what is known. Called during
    /// `terraform validate`, plan and apply. The default accepts everything.
    async fn validate_config(&self, _config: &Value) -> Diagnostics {
        Diagnostics::new()
    }

    /// Adjusts a plan after the framework computed it: reject a value that
    /// is only wrong at plan time (an expiry in the past), mark more values
    /// unknown, or add requires-replace paths. The default changes nothing.
    async fn modify_plan(&self, _plan: &mut PlanContext) {}

    /// Creates the remote object. Called by `terraform apply` for a planned
    /// create. Must return the new state with every value known; on failure
    /// return error diagnostics and no state.
    async fn create(&self, request: CreateRequest) -> CreateResponse;

    /// Refreshes the state from the remote object. Return `state: None` when
    /// the object is gone, so Terraform plans to create it again.
    async fn read(&self, request: ReadRequest) -> ReadResponse;

    /// Updates the remote object in place. Only called when an attribute
    /// without `requires_replace` changed; the default reports that the
    /// resource has no update operation.
    async fn update(&self, request: UpdateRequest) -> UpdateResponse {
        let mut diagnostics = Diagnostics::new();
        diagnostics.error(
            "Update Not Supported",
            format!(
                "{} has no in-place update; this is a bug in the provider's schema \
                 (a changed attribute should force replacement).",
                self.type_name()
            ),
        );
        UpdateResponse {
            state: Some(request.prior),
            diagnostics,
        }
    }

    /// Deletes the remote object. Success when it is already gone.
    async fn delete(&self, request: DeleteRequest) -> DeleteResponse;

    /// The import ability, if the resource has one.
    fn as_import(&self) -> Option<&dyn ResourceWithImport> {
        None
    }

    /// The identity ability (Terraform 1.12+), if the resource has one.
    fn as_identity(&self) -> Option<&dyn ResourceWithIdentity> {
        None
    }
}

/// A resource that `terraform import` and `import {}` blocks can bring under
/// management.
#[async_trait]
pub trait ResourceWithImport: Send + Sync {
    /// Turns the user's import id into a state, usually just the id set and
    /// everything else null; Terraform then calls [`Resource::read`] on it.
    async fn import_state(&self, id: &str) -> ImportResponse;
}

/// The plan being computed, for [`Resource::modify_plan`].
#[derive(Debug)]
pub struct PlanContext {
    /// The configuration (may contain unknowns).
    pub config: Value,
    /// The prior state; `None` for a create.
    pub prior: Option<Value>,
    /// The planned state; edit it in place.
    pub planned: Value,
    /// Attributes whose change forces a replacement.
    pub requires_replace: Vec<Path>,
    /// Problems found while planning.
    pub diagnostics: Diagnostics,
}

/// Input of [`Resource::create`].
#[derive(Debug, Clone)]
pub struct CreateRequest {
    /// The configuration, wholly known.
    pub config: Value,
    /// The planned state: configuration plus unknown computed values.
    pub planned: Value,
}

/// Output of [`Resource::create`].
#[derive(Debug, Default)]
pub struct CreateResponse {
    /// The new state; `None` when nothing was created.
    pub state: Option<Value>,
    /// Problems.
    pub diagnostics: Diagnostics,
}

/// Input of [`Resource::read`].
#[derive(Debug, Clone)]
pub struct ReadRequest {
    /// The state to refresh.
    pub state: Value,
}

/// Output of [`Resource::read`].
#[derive(Debug, Default)]
pub struct ReadResponse {
    /// The refreshed state; `None` when the remote object is gone.
    pub state: Option<Value>,
    /// Problems.
    pub diagnostics: Diagnostics,
}

/// Input of [`Resource::update`].
#[derive(Debug, Clone)]
pub struct UpdateRequest {
    /// The current state.
    pub prior: Value,
    /// The planned state.
    pub planned: Value,
    /// The configuration.
    pub config: Value,
}

/// Output of [`Resource::update`].
#[derive(Debug, Default)]
pub struct UpdateResponse {
    /// The new state.
    pub state: Option<Value>,
    /// Problems.
    pub diagnostics: Diagnostics,
}

/// Input of [`Resource::delete`].
#[derive(Debug, Clone)]
pub struct DeleteRequest {
    /// The state of the object to delete.
    pub state: Value,
}

/// Output of [`Resource::delete`].
#[derive(Debug, Default)]
pub struct DeleteResponse {
    /// Problems; any error keeps the object in state.
    pub diagnostics: Diagnostics,
}

/// Output of [`ResourceWithImport::import_state`].
#[derive(Debug, Default)]
pub struct ImportResponse {
    /// The imported state.
    pub state: Option<Value>,
    /// Problems.
    pub diagnostics: Diagnostics,
}
