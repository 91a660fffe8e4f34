//! plugin layer.
