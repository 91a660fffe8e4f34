//! The Terraform value model: [`Type`]s, [`Value`]s that may be null or
//! unknown at any depth, lossless [`Number`]s, and the two wire codecs.
//!
//! Terraform sends every value as msgpack ([`decode_msgpack`] /
//! [`encode_msgpack`]), typed by the schema; stored state arrives as JSON
//! ([`decode_json`] / [`encode_json`]). Types travel as type JSON
//! ([`Type::to_json`]). The rules are go-cty's (`cty/msgpack`, `cty/json`),
//! summarised in section 3 of the shared `plugin-protocol.md`.
//!
//! This module knows nothing of schemas or protobuf: the schema module
//! derives a [`Type`] from a schema, and the plugin layer carries the bytes.
//! Every decoder treats its input as hostile: lengths are checked against
//! the bytes left, nesting stops at [`MAX_DEPTH`], and no input panics.
//! Errors ([`ValueError`]) name types, kinds and paths, never string values,
//! which may be secrets.
//!
//! # Examples
//!
//! ```
//! use influxdb3_provider::framework::value::{decode_msgpack, encode_msgpack, Type, Value};
//!
//! let ty = Type::object([("name", Type::String), ("id", Type::String)]);
//! let planned = Value::object([("name", Value::string("ci")), ("id", Value::unknown())]);
//! let bytes = encode_msgpack(&planned, &ty)?;
//! assert_eq!(decode_msgpack(&bytes, &ty)?, planned);
//! # Ok::<(), influxdb3_provider::framework::value::ValueError>(())
//! ```

mod compare;
mod error;
mod json;
mod json_text;
mod msgpack;
mod number;
mod ty;
mod values;

pub(crate) use compare::match_elements;
pub use compare::values_equal;
pub use error::{PathStep, ValueError, ValueErrorKind};
pub use json::{decode_json, decode_json_dropping_unknown_attributes, encode_json};
pub use msgpack::{decode_msgpack, encode_msgpack};
pub use number::Number;
pub use ty::Type;
pub use values::Value;

/// How deeply values (and types) may nest: containers inside containers,
/// counting a dynamic value's wrapper as a level. Decoders reject deeper
/// input instead of exhausting the stack; Terraform schemas stay far below.
pub const MAX_DEPTH: usize = 64;
