//! framework layer (being assembled).
pub mod diag;
pub mod path;
pub mod value;
