//! Integration tests: one binary, one module per area.
//!
//! - `emulator`: the emulator binary over HTTP.
//! - `client`: the provider's HTTP client against the emulator.
//! - `acceptance_*`: real Terraform CLIs (1.11.4 and 1.15.5) driving the provider.

mod support;

mod acceptance_debug;
mod acceptance_management_token;
mod acceptance_management_token_errors;
mod acceptance_provider_token;
mod acceptance_release;
mod acceptance_schema;
mod acceptance_self_hosted;
mod client;
mod contract_v3;
mod emulator;
mod plugin_transport;
mod reliability;
mod reliability_faults;
mod reliability_hostile;
mod reliability_interrupts;
