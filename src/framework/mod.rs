//! framework layer: the Terraform value model, schemas, diagnostics and the
//! resource / data-source traits.
pub mod value;
