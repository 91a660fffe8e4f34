//! Shared test support: processes under test and the Terraform harness.
#![allow(dead_code)]

pub(crate) mod acceptance;
pub(crate) mod browser;
pub(crate) mod emulator;
pub(crate) mod gpg;
pub(crate) mod not_found_server;
pub(crate) mod self_hosted;
pub(crate) mod terraform;
