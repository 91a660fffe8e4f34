//! Generated protocol code (stub, being written).
