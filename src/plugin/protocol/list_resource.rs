//! List resources (protocol 6.10, Terraform 1.14+ `terraform query`): a
//! server-streamed listing of remote objects by identity.

use std::pin::Pin;

use futures_util::Stream;

use super::{Diagnostic, DynamicValue};

/// A stream of events a server-streaming RPC sends, in order.
pub type EventStream<T> = Pin<Box<dyn Stream<Item = T> + Send + 'static>>;

/// `ListResource` request.
#[derive(Debug, Clone, Default)]
pub struct ListResourceRequest {
    /// The list resource type (the managed resource type it lists).
    pub type_name: String,
    /// The `config` block of the `list` block, wholly known.
    pub config: DynamicValue,
    /// Whether each event should carry the full resource object.
    pub include_resource_object: bool,
    /// The most results Terraform will read (it stops the stream then).
    pub limit: i64,
}

/// One `ListResource` event: a found object, or problems.
#[derive(Debug, Clone, Default)]
pub struct ListResourceEvent {
    /// The object's identity (required unless the event only carries diagnostics).
    pub identity: Option<DynamicValue>,
    /// A human-readable name for the object.
    pub display_name: String,
    /// The resource object, when requested.
    pub resource_object: Option<DynamicValue>,
    /// Problems; an error ends the listing.
    pub diagnostics: Vec<Diagnostic>,
}

/// `ValidateListResourceConfig` request.
#[derive(Debug, Clone, Default)]
pub struct ValidateListResourceConfigRequest {
    /// The list resource type.
    pub type_name: String,
    /// The `config` block; may contain unknowns.
    pub config: DynamicValue,
}

/// `ValidateListResourceConfig` response.
#[derive(Debug, Clone, Default)]
pub struct ValidateListResourceConfigResponse {
    /// Problems.
    pub diagnostics: Vec<Diagnostic>,
}
