//! Terraform provider for InfluxDB 3 Cloud Dedicated and Clustered.
//!
//! The crate is one library with two thin binaries: `terraform-provider-influxdb3`
//! (the plugin Terraform launches) and `influxdb3-emulator` (a local stand-in for
//! the management API). The library is layered, and dependencies only point down:
//!
//! - [`provider`]: provider configuration, the management-API client, resources
//!   and data sources. Uses [`framework`] and [`api`].
//! - [`framework`]: the Terraform value model, schemas, diagnostics and the
//!   resource / data-source traits. Uses [`plugin`]'s hand-written protocol types.
//! - [`plugin`]: the process and transport: go-plugin handshake, listener, mTLS and
//!   the gRPC services. Knows nothing of InfluxDB.
//! - [`emulator`]: the management API served locally. Uses only [`api`].
//! - [`api`]: the wire types of the management API, shared by client and emulator.
//!
//! See `ARCHITECTURE.md` for the code map and its invariants.

pub mod api;
pub mod emulator;
pub mod framework;
pub mod plugin;
pub mod provider;
