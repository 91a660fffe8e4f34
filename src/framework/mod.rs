//! The framework layer: the Terraform value model ([`value`]), schemas
//! ([`schema`]), typed models of attribute values ([`model`]), diagnostics
//! with attribute paths ([`diag`], [`path`]), the traits a provider implements
//! ([`provider`], [`resource`], [`data_source`], and for Terraform 1.10+
//! [`ephemeral_resource`], [`identity`], [`list_resource`], [`action`])
//! and the engine that serves them ([`FrameworkServer`]).
//!
//! Generic: nothing here knows InfluxDB, and nothing here does HTTP. It uses
//! the plugin layer's hand-written protocol types, never protobuf.

pub mod action;
pub mod data_source;
pub mod diag;
pub mod ephemeral_resource;
pub mod identity;
pub mod list_resource;
pub mod model;
pub mod path;
pub mod provider;
pub mod resource;
pub mod schema;
mod server;
pub mod value;

pub use server::FrameworkServer;
