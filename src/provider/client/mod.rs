//! Management API HTTP client (stub, being written).
