//! Resource identity (protocol 6.9, Terraform 1.12+): identity schemas and
//! `UpgradeResourceIdentity`, plus the deferral type shared by the newer RPCs.

use std::collections::BTreeMap;

use super::{Diagnostic, DynamicValue, RawState};

/// The identity schema of one managed resource type.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ResourceIdentitySchema {
    /// Stored with each identity and passed back to `UpgradeResourceIdentity`.
    pub version: i64,
    /// The identity's attributes (always a single flat object).
    pub attributes: Vec<IdentityAttribute>,
}

/// One attribute of an identity.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IdentityAttribute {
    /// Name, `^[a-z0-9_]+$`.
    pub name: String,
    /// The cty type as JSON bytes.
    pub type_json: Vec<u8>,
    /// An `import {}` block's `identity` must set it.
    pub required_for_import: bool,
    /// An `import {}` block's `identity` may set it.
    pub optional_for_import: bool,
    /// Documentation.
    pub description: String,
}

/// `GetResourceIdentitySchemas` response.
#[derive(Debug, Clone, Default)]
pub struct GetResourceIdentitySchemasResponse {
    /// Identity schemas by resource type name; types without identity are absent.
    pub identity_schemas: BTreeMap<String, ResourceIdentitySchema>,
    /// Problems.
    pub diagnostics: Vec<Diagnostic>,
}

/// `UpgradeResourceIdentity` request.
#[derive(Debug, Clone, Default)]
pub struct UpgradeResourceIdentityRequest {
    /// The resource type.
    pub type_name: String,
    /// The identity schema version that wrote `raw_identity`.
    pub version: i64,
    /// The stored identity (JSON).
    pub raw_identity: RawState,
}

/// `UpgradeResourceIdentity` response.
#[derive(Debug, Clone, Default)]
pub struct UpgradeResourceIdentityResponse {
    /// The identity under the current identity schema.
    pub upgraded_identity: Option<DynamicValue>,
    /// Problems.
    pub diagnostics: Vec<Diagnostic>,
}

/// Why the provider deferred an operation (only when the client allows deferrals).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DeferredReason {
    /// Unspecified.
    #[default]
    Unknown,
    /// The resource's configuration has unknown values.
    ResourceConfigUnknown,
    /// The provider's configuration has unknown values.
    ProviderConfigUnknown,
    /// A prerequisite is absent.
    AbsentPrerequisite,
}
