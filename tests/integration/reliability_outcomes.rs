//! Reliability: how creates and destroys end, as a Terraform user sees it.
