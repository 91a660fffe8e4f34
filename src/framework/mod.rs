//! The framework layer: the Terraform value model ([`value`]), schemas
//! ([`schema`]), typed models of attribute values ([`model`]), diagnostics
//! with attribute paths ([`diag`], [`path`]), the
//! traits a provider implements ([`provider`], [`resource`], [`data_source`])
//! and the engine that serves them ([`FrameworkServer`]).
//!
//! Generic: nothing here knows InfluxDB, and nothing here does HTTP. It uses
//! the plugin layer's hand-written protocol types, never protobuf.

pub mod data_source;
pub mod diag;
pub mod model;
pub mod path;
pub mod provider;
pub mod resource;
pub mod schema;
mod server;
pub mod value;

pub use server::FrameworkServer;
