//! Shared test support: processes under test and the Terraform harness.
#![allow(dead_code)]

pub mod emulator;
pub mod terraform;
