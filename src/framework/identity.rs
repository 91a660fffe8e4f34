//! Resource identity (Terraform 1.12+): a small object, separate from state,
//! that names the remote object a resource instance manages. `import {}`
//! blocks can give it instead of an id, `terraform query` lists objects by
//! it, and Terraform stores it next to the state.
//!
//! The engine derives the identity from the state with
//! [`ResourceWithIdentity::identity`] every time it returns a state (read,
//! plan, apply, import), so it is the same for the same object by
//! construction.

use async_trait::async_trait;

use super::diag::Diagnostics;
use super::value::{Type, Value};
use crate::plugin::protocol;

/// How an `import {}` block's `identity` treats an attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportRequirement {
    /// It must be given.
    Required,
    /// It may be given.
    Optional,
}

/// One identity attribute.
#[derive(Debug, Clone, PartialEq)]
pub struct IdentityAttribute {
    /// Name, `^[a-z0-9_]+$`.
    pub name: String,
    /// Its type (a primitive or a list of primitives).
    pub ty: Type,
    /// Whether imports must give it.
    pub import: ImportRequirement,
    /// Documentation.
    pub description: String,
}

impl IdentityAttribute {
    /// An attribute every import must give.
    pub fn required_for_import(name: impl Into<String>, ty: Type, description: &str) -> Self {
        Self {
            name: name.into(),
            ty,
            import: ImportRequirement::Required,
            description: description.to_string(),
        }
    }

    /// An attribute imports may leave out.
    pub fn optional_for_import(name: impl Into<String>, ty: Type, description: &str) -> Self {
        Self {
            import: ImportRequirement::Optional,
            ..Self::required_for_import(name, ty, description)
        }
    }
}

/// The identity schema of a resource type.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IdentitySchema {
    /// Stored with each identity; bump it when stored identities need an upgrade.
    pub version: i64,
    /// The attributes.
    pub attributes: Vec<IdentityAttribute>,
}

impl IdentitySchema {
    /// The object type of an identity.
    pub fn value_type(&self) -> Type {
        Type::object(
            self.attributes
                .iter()
                .map(|attribute| (attribute.name.clone(), attribute.ty.clone())),
        )
    }

    /// The protocol form.
    pub fn to_protocol(&self) -> protocol::ResourceIdentitySchema {
        protocol::ResourceIdentitySchema {
            version: self.version,
            attributes: self
                .attributes
                .iter()
                .map(|attribute| protocol::IdentityAttribute {
                    name: attribute.name.clone(),
                    type_json: attribute.ty.to_json_bytes(),
                    required_for_import: attribute.import == ImportRequirement::Required,
                    optional_for_import: attribute.import == ImportRequirement::Optional,
                    description: attribute.description.clone(),
                })
                .collect(),
        }
    }
}

/// A resource with an identity.
#[async_trait]
pub trait ResourceWithIdentity: Send + Sync {
    /// The identity schema.
    fn identity_schema(&self) -> IdentitySchema;

    /// The identity of the object whose state is `state`; `None` while it is
    /// not known (a planned create). Must be the same for the same object.
    fn identity(&self, state: &Value) -> Option<Value>;

    /// The import id for an identity given in an `import {}` block; the
    /// engine then imports as with that id.
    async fn import_id(&self, identity: &Value) -> Result<String, Diagnostics>;

    /// Upgrades an identity stored by identity schema `version` (older than
    /// the current one), given as JSON. Default: no older versions exist.
    fn upgrade_identity(
        &self,
        version: i64,
        _stored: &serde_json::Value,
    ) -> Result<Value, Diagnostics> {
        let mut diagnostics = Diagnostics::new();
        diagnostics.error(
            "Unsupported Identity Version",
            format!(
                "The stored resource identity has version {version}, which this provider \
                 version does not know. Use the provider version that wrote it."
            ),
        );
        Err(diagnostics)
    }
}
