//! The resource trait and its request/response pairs.
//!
//! Implement [`Resource`] for a managed resource type. The framework's engine
//! (the private `server` module) decodes Terraform's values by the schema,
//! computes plans (unknown computed values, requires-replace, kept ids) and
//! enforces Terraform's rules, so an implementation deals in [`Value`]s and
//! [`Diagnostics`] only (or in typed models, see
//! [`model`](crate::framework::model)).
//!
//! Optional abilities, each offered through an `as_...` method of
//! [`Resource`]: [`ResourceWithImport`], [`ResourceWithUpgradeState`] (state
//! written by an earlier schema version) and [`ResourceWithMoveState`]
//! (`moved` blocks from another resource type).

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

    /// The state-upgrade ability, needed once the schema version is above 0.
    fn as_upgrade_state(&self) -> Option<&dyn ResourceWithUpgradeState> {
        None
    }

    /// The ability to take over state of another resource type (`moved`
    /// blocks between types, Terraform 1.8+).
    fn as_move_state(&self) -> Option<&dyn ResourceWithMoveState> {
        None
    }
}

/// A resource whose schema version went up: turns state stored under an
/// earlier version into state of the current one.
///
/// The engine calls it only for a stored version below the current one,
/// with the stored JSON as it is. Return JSON of the current schema: it is
/// decoded like current state (attributes it lacks are null, attributes the
/// schema does not have are dropped). Numbers beyond what `serde_json`
/// holds exactly (64-bit integers, doubles) are rounded in the JSON given.
#[async_trait]
pub trait ResourceWithUpgradeState: Send + Sync {
    /// Upgrades `request.raw_state` from `request.version`.
    async fn upgrade_state(&self, request: UpgradeStateRequest) -> UpgradeStateResponse;
}

/// Input of [`ResourceWithUpgradeState::upgrade_state`].
#[derive(Debug, Clone)]
pub struct UpgradeStateRequest {
    /// The schema version that wrote the state.
    pub version: i64,
    /// The stored state.
    pub raw_state: serde_json::Value,
}

/// Output of [`ResourceWithUpgradeState::upgrade_state`].
#[derive(Debug, Default)]
pub struct UpgradeStateResponse {
    /// The state as JSON of the current schema; `None` with an error.
    pub state: Option<serde_json::Value>,
    /// Problems.
    pub diagnostics: Diagnostics,
}

/// A resource that can take over the state of another resource type, when a
/// `moved` block names a resource of a different type (or provider).
#[async_trait]
pub trait ResourceWithMoveState: Send + Sync {
    /// Returns `None` when this resource does not take state from that
    /// source (the engine then answers Terraform with an "Unable to Move
    /// Resource State" error), else the new state or diagnostics.
    async fn move_state(&self, request: MoveStateRequest) -> Option<MoveStateResponse>;
}

/// Input of [`ResourceWithMoveState::move_state`].
#[derive(Debug, Clone)]
pub struct MoveStateRequest {
    /// The source's provider address
    /// (`registry.terraform.io/hashicorp/null`).
    pub source_provider_address: String,
    /// The source's resource type (`null_resource`).
    pub source_type_name: String,
    /// The source's schema version.
    pub source_schema_version: i64,
    /// The source's stored state, as that provider wrote it.
    pub source_state: serde_json::Value,
}

/// Output of [`ResourceWithMoveState::move_state`].
#[derive(Debug, Default)]
pub struct MoveStateResponse {
    /// The state of this resource; `None` with an error.
    pub state: Option<Value>,
    /// Problems.
    pub diagnostics: Diagnostics,
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
