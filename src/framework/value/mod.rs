//! The Terraform value model (stub, being written).
