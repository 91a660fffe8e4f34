//! The plugin layer: process and transport only.
//!
//! It owns the go-plugin handshake ([`handshake`]), the listener
//! ([`listener`]), AutoMTLS ([`tls`]), logging ([`logging`]) and the gRPC
//! services, and hands the layer above hand-written protocol types
//! ([`protocol`]) through the [`protocol::ProviderServer`] trait. It knows
//! nothing of InfluxDB, and nothing outside it names a prost or tonic type.
//!
//! Entry point: [`cli::run`].

pub mod cli;
mod convert;
mod go_plugin_services;
mod grpc;
mod grpc_newer;
#[cfg(test)]
mod grpc_newer_tests;
#[cfg(test)]
mod grpc_tests;
pub mod handshake;
pub mod listener;
pub mod logging;
pub(crate) mod proto;
pub mod protocol;
pub mod serve;
pub mod tls;

pub use cli::{PluginIdentity, run};
pub use protocol::ProviderServer;
