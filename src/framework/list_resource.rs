//! The list resource trait (Terraform 1.14+, `terraform query`): lists the
//! remote objects of a managed resource type by identity, so that they can
//! be found and imported (`-generate-config-out`).

use std::pin::Pin;

use async_trait::async_trait;
use futures_util::Stream;

use super::diag::Diagnostics;
use super::schema::Schema;
use super::value::Value;

/// A stream of list results, sent to Terraform as they come.
pub type ListResults = Pin<Box<dyn Stream<Item = ListResult> + Send + 'static>>;

/// A list resource type. Its type name must be a managed resource type
/// with an identity ([`super::identity::ResourceWithIdentity`]).
#[async_trait]
pub trait ListResource: Send + Sync + 'static {
    /// The managed resource type it lists.
    fn type_name(&self) -> String;

    /// The schema of the `config` block of a `list` block.
    fn config_schema(&self) -> Schema;

    /// Checks a `config` block that may contain unknowns. Default: accepts all.
    async fn validate_config(&self, _config: &Value) -> Diagnostics {
        Diagnostics::new()
    }

    /// Lists. Results after `limit` are not read.
    async fn list(&self, request: ListRequest) -> ListResults;
}

/// Input of [`ListResource::list`].
#[derive(Debug, Clone)]
pub struct ListRequest {
    /// The `config` block, wholly known.
    pub config: Value,
    /// Whether each result should carry the resource object (its state).
    pub include_resource: bool,
    /// The most results Terraform will read.
    pub limit: i64,
}

/// One listed object, or problems.
#[derive(Debug, Default)]
pub struct ListResult {
    /// The object's identity (an object of the resource's identity schema).
    pub identity: Option<Value>,
    /// What Terraform shows for it.
    pub display_name: String,
    /// Its state under the resource schema, when asked for.
    pub resource: Option<Value>,
    /// Problems; an error ends the listing.
    pub diagnostics: Diagnostics,
}

impl ListResult {
    /// A result that only reports problems.
    pub fn diagnostics(diagnostics: Diagnostics) -> Self {
        Self {
            diagnostics,
            ..Default::default()
        }
    }
}
