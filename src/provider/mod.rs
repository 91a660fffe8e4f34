//! provider layer.
pub mod client;
