//! Integration tests: one binary, one module per area.
//!
//! - `emulator`: the emulator binary over HTTP.
//! - `client`: the provider's HTTP client against the emulator; `client_outcomes`: how
//!   its creates and revokes end when answers are lost, spoiled or not the API's.
//! - `console`: the emulator's console, in headless Chromium and over plain HTTP.
//! - `acceptance_*`: real Terraform CLIs (1.11.4 and 1.15.5) driving the provider.
//! - `docs_claims`, `repository_habits`: what the docs claim, the repository's paperwork.

mod support;

mod acceptance_action;
mod acceptance_database;
mod acceptance_database_errors;
mod acceptance_database_newer;
mod acceptance_database_switching;
mod acceptance_database_token;
mod acceptance_database_token_move;
mod acceptance_database_token_newer;
mod acceptance_debug;
mod acceptance_ephemeral_token;
mod acceptance_identity;
mod acceptance_management_token;
mod acceptance_management_token_errors;
mod acceptance_newer_kinds_schema;
mod acceptance_provider_token;
mod acceptance_query;
mod acceptance_release;
mod acceptance_schema;
mod acceptance_self_hosted;
mod acceptance_self_hosted_cache;
mod acceptance_self_hosted_newer;
mod acceptance_self_hosted_table;
mod client;
mod client_databases;
mod client_outcomes;
mod console;
mod contract;
mod contract_v3;
mod contract_v3_schema;
mod docs_claims;
mod emulator;
mod plugin_transport;
mod reliability;
mod reliability_faults;
mod reliability_hostile;
mod reliability_interrupts;
mod reliability_outcomes;
mod repository_habits;
