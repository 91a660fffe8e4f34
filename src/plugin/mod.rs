//! plugin layer: process and transport only.
pub(crate) mod proto;
