//! The msgpack codec: how Terraform sends and expects values
//! (`DynamicValue.msgpack`), per go-cty's `cty/msgpack`.
//!
//! Null is `nil` and unknown is extension type 0 for any type; objects are
//! maps with every attribute; a `dynamic` slot holds `[bin(type JSON),
//! value]`. Decoding never trusts a length prefix beyond the bytes left, and
//! stops at [`MAX_DEPTH`] levels of nesting.

use std::collections::BTreeMap;
use std::convert::Infallible;

use rmp::Marker;
use rmp::encode::{self as write, ByteBuf, ValueWriteError};

use super::error::{PathStep, ValueError, ValueErrorKind};
use super::values::{check_attribute_names, check_tuple_length};
use super::{MAX_DEPTH, Number, Type, Value};

/// Decodes a msgpack value of type `ty`. An empty input is null (Terraform
/// sends an empty `DynamicValue` for a null value); any extension type,
/// including 12 (a refined unknown, whose refinements are ignored), is
/// unknown.
///
/// # Errors
///
/// When the bytes do not hold exactly one value of type `ty`: wrong kinds,
/// missing or unsupported object attributes, truncated input, trailing
/// bytes, nesting beyond 64 levels.
///
/// # Examples
///
/// ```
/// use influxdb3_provider::framework::value::{decode_msgpack, Type, Value};
///
/// let ty = Type::object([("a", Type::String), ("b", Type::Number)]);
/// // {"a": "x", "b": <unknown>}
/// let bytes = [0x82, 0xa1, b'a', 0xa1, b'x', 0xa1, b'b', 0xd4, 0x00, 0x00];
/// let value = decode_msgpack(&bytes, &ty)?;
/// assert_eq!(value, Value::object([("a", Value::string("x")), ("b", Value::unknown())]));
/// # Ok::<(), influxdb3_provider::framework::value::ValueError>(())
/// ```
pub fn decode_msgpack(bytes: &[u8], ty: &Type) -> Result<Value, ValueError> {
    if bytes.is_empty() {
        return Ok(Value::Null);
    }
    let mut reader = Reader { input: bytes };
    let value = decode(&mut reader, ty, 0)?;
    if !reader.input.is_empty() {
        return Err(ValueErrorKind::TrailingBytes(reader.input.len()).into());
    }
    Ok(value)
}

/// Encodes `value` as msgpack of type `ty`, as go-cty does: object
/// attributes sorted by name, unknown as `d4 00 00`, numbers as int64 when
/// they are integers in range, else float64 when exact, else a decimal
/// string (±infinity as float64).
///
/// # Errors
///
/// When `value` does not conform to `ty` (see [`Value::conforms_to`]), or
/// nests deeper than 64 levels.
///
/// # Examples
///
/// ```
/// use influxdb3_provider::framework::value::{encode_msgpack, Type, Value};
///
/// let ty = Type::object([("a", Type::String)]);
/// let bytes = encode_msgpack(&Value::object([("a", Value::string("x"))]), &ty)?;
/// assert_eq!(bytes, [0x81, 0xa1, b'a', 0xa1, b'x']);
/// assert_eq!(encode_msgpack(&Value::unknown(), &ty)?, [0xd4, 0x00, 0x00]);
/// # Ok::<(), influxdb3_provider::framework::value::ValueError>(())
/// ```
pub fn encode_msgpack(value: &Value, ty: &Type) -> Result<Vec<u8>, ValueError> {
    let mut out = ByteBuf::new();
    encode(&mut out, value, ty, 0)?;
    Ok(out.into_vec())
}

/// The unread rest of the input.
struct Reader<'a> {
    input: &'a [u8],
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Result<u8, ValueError> {
        let (&first, rest) = self.input.split_first().ok_or(ValueErrorKind::Truncated)?;
        self.input = rest;
        Ok(first)
    }

    fn fixed<const N: usize>(&mut self) -> Result<[u8; N], ValueError> {
        let (head, rest) = self
            .input
            .split_first_chunk::<N>()
            .ok_or(ValueErrorKind::Truncated)?;
        self.input = rest;
        Ok(*head)
    }

    fn bytes(&mut self, len: usize) -> Result<&'a [u8], ValueError> {
        if len > self.input.len() {
            return Err(ValueErrorKind::Truncated.into());
        }
        let (head, rest) = self.input.split_at(len);
        self.input = rest;
        Ok(head)
    }

    /// Reads a length of the given width and checks that `len × min_item_size`
    /// bytes remain, so a hostile prefix cannot make us allocate.
    fn length(&mut self, width: usize, min_item_size: usize) -> Result<usize, ValueError> {
        let declared = match width {
            1 => u64::from(self.byte()?),
            2 => u64::from(u16::from_be_bytes(self.fixed()?)),
            _ => u64::from(u32::from_be_bytes(self.fixed()?)),
        };
        self.check_length(declared, min_item_size)
    }

    fn check_length(&self, declared: u64, min_item_size: usize) -> Result<usize, ValueError> {
        let fits = usize::try_from(declared)
            .ok()
            .and_then(|len| len.checked_mul(min_item_size))
            .is_some_and(|needed| needed <= self.input.len());
        match usize::try_from(declared) {
            Ok(len) if fits => Ok(len),
            _ => Err(ValueErrorKind::LengthExceedsInput {
                declared,
                remaining: self.input.len(),
            }
            .into()),
        }
    }
}

/// A description of a marker's kind for messages.
fn marker_kind(marker: Marker) -> &'static str {
    match marker {
        Marker::Null => "msgpack nil",
        Marker::True | Marker::False => "msgpack bool",
        Marker::FixPos(_)
        | Marker::FixNeg(_)
        | Marker::U8
        | Marker::U16
        | Marker::U32
        | Marker::U64
        | Marker::I8
        | Marker::I16
        | Marker::I32
        | Marker::I64 => "msgpack integer",
        Marker::F32 | Marker::F64 => "msgpack float",
        Marker::FixStr(_) | Marker::Str8 | Marker::Str16 | Marker::Str32 => "msgpack string",
        Marker::Bin8 | Marker::Bin16 | Marker::Bin32 => "msgpack binary",
        Marker::FixArray(_) | Marker::Array16 | Marker::Array32 => "msgpack array",
        Marker::FixMap(_) | Marker::Map16 | Marker::Map32 => "msgpack map",
        Marker::FixExt1
        | Marker::FixExt2
        | Marker::FixExt4
        | Marker::FixExt8
        | Marker::FixExt16
        | Marker::Ext8
        | Marker::Ext16
        | Marker::Ext32 => "msgpack extension",
        Marker::Reserved => "reserved msgpack byte",
    }
}

fn decode(reader: &mut Reader<'_>, ty: &Type, depth: usize) -> Result<Value, ValueError> {
    if depth > MAX_DEPTH {
        return Err(ValueErrorKind::TooDeep(MAX_DEPTH).into());
    }
    let marker = Marker::from_u8(reader.byte()?);
    // Null and unknown override the type.
    let extension_len = match marker {
        Marker::Null => return Ok(Value::Null),
        Marker::Reserved => return Err(ValueErrorKind::InvalidMsgpack("reserved byte 0xc1").into()),
        Marker::FixExt1 => Some(1),
        Marker::FixExt2 => Some(2),
        Marker::FixExt4 => Some(4),
        Marker::FixExt8 => Some(8),
        Marker::FixExt16 => Some(16),
        Marker::Ext8 => Some(reader.length(1, 1)?),
        Marker::Ext16 => Some(reader.length(2, 1)?),
        Marker::Ext32 => Some(reader.length(4, 1)?),
        _ => None,
    };
    if let Some(len) = extension_len {
        // The type code and payload (refinements, for code 12) are skipped.
        reader.bytes(1 + len)?;
        return Ok(Value::Unknown);
    }
    let nested = |reader: &mut Reader<'_>, ty: &Type, step: PathStep| {
        decode(reader, ty, depth + 1).map_err(|err| err.at(step))
    };
    match ty {
        Type::String => read_string(reader, marker)?
            .map(Value::String)
            .ok_or_else(|| ValueError::wrong_type(ty, marker_kind(marker))),
        Type::Number => read_number(reader, marker, ty).map(Value::Number),
        Type::Bool => match marker {
            Marker::True => Ok(Value::Bool(true)),
            Marker::False => Ok(Value::Bool(false)),
            _ => Err(ValueError::wrong_type(ty, marker_kind(marker))),
        },
        Type::List(element_ty) | Type::Set(element_ty) => {
            let len = array_len(reader, marker, ty)?;
            let mut elements = Vec::with_capacity(len);
            for index in 0..len {
                elements.push(nested(reader, element_ty, PathStep::Index(index))?);
            }
            Ok(match ty {
                Type::Set(_) => Value::Set(elements),
                _ => Value::List(elements),
            })
        }
        Type::Map(element_ty) => {
            let len = map_len(reader, marker, ty)?;
            let mut entries = BTreeMap::new();
            for _ in 0..len {
                let key = read_key(reader)?;
                if entries.contains_key(&key) {
                    return Err(ValueErrorKind::DuplicateKey(key).into());
                }
                let element = nested(reader, element_ty, PathStep::Key(key.clone()))?;
                entries.insert(key, element);
            }
            Ok(Value::Map(entries))
        }
        Type::Object(attribute_types) => decode_object(reader, marker, ty, attribute_types, depth),
        Type::Tuple(element_types) => {
            let len = array_len(reader, marker, ty)?;
            if len != element_types.len() {
                return Err(ValueErrorKind::TupleLength {
                    expected: element_types.len(),
                    given: len,
                }
                .into());
            }
            let mut elements = Vec::with_capacity(len);
            for (index, element_ty) in element_types.iter().enumerate() {
                elements.push(nested(reader, element_ty, PathStep::Index(index))?);
            }
            Ok(Value::Tuple(elements))
        }
        Type::Dynamic => decode_dynamic(reader, marker, depth),
    }
}

/// Reads a dynamic slot's `[type JSON, value]` array (after its marker).
fn decode_dynamic(
    reader: &mut Reader<'_>,
    marker: Marker,
    depth: usize,
) -> Result<Value, ValueError> {
    if array_len(reader, marker, &Type::Dynamic)? != 2 {
        return Err(ValueErrorKind::InvalidMsgpack(
            "a dynamic value must be a [type, value] array",
        )
        .into());
    }
    let type_marker = Marker::from_u8(reader.byte()?);
    // go-cty writes the type as bin; its reader also takes str.
    let type_json = match type_marker {
        Marker::Bin8 => reader.length(1, 1)?,
        Marker::Bin16 => reader.length(2, 1)?,
        Marker::Bin32 => reader.length(4, 1)?,
        _ => str_len(reader, type_marker)?.ok_or(ValueErrorKind::InvalidMsgpack(
            "a dynamic value's type must be msgpack binary",
        ))?,
    };
    let inner_ty = Type::from_json_bytes(reader.bytes(type_json)?)?;
    // A typed null or unknown is just null or unknown: the model
    // keeps types only for known dynamic values.
    match decode(reader, &inner_ty, depth + 1)? {
        inner @ (Value::Null | Value::Unknown) => Ok(inner),
        inner => Ok(Value::dynamic(inner_ty, inner)),
    }
}

/// Reads an object's map (after its marker): every attribute, no other.
fn decode_object(
    reader: &mut Reader<'_>,
    marker: Marker,
    ty: &Type,
    attribute_types: &BTreeMap<String, Type>,
    depth: usize,
) -> Result<Value, ValueError> {
    let len = map_len(reader, marker, ty)?;
    let mut attributes = BTreeMap::new();
    for _ in 0..len {
        let name = read_key(reader)?;
        let Some(attribute_ty) = attribute_types.get(&name) else {
            return Err(ValueErrorKind::UnsupportedAttribute(name).into());
        };
        if attributes.contains_key(&name) {
            return Err(ValueErrorKind::DuplicateKey(name).into());
        }
        let attribute = decode(reader, attribute_ty, depth + 1)
            .map_err(|err| err.at(PathStep::Attribute(name.clone())))?;
        attributes.insert(name, attribute);
    }
    // Every key was a distinct attribute, so a shortfall is a gap.
    check_attribute_names(attribute_types, &attributes)?;
    Ok(Value::Object(attributes))
}

/// The byte length of a string marker, or `None` if `marker` is not one.
fn str_len(reader: &mut Reader<'_>, marker: Marker) -> Result<Option<usize>, ValueError> {
    Ok(Some(match marker {
        Marker::FixStr(len) => reader.check_length(u64::from(len), 1)?,
        Marker::Str8 => reader.length(1, 1)?,
        Marker::Str16 => reader.length(2, 1)?,
        Marker::Str32 => reader.length(4, 1)?,
        _ => return Ok(None),
    }))
}

/// The string after `marker`, or `None` if `marker` is not a string.
fn read_string(reader: &mut Reader<'_>, marker: Marker) -> Result<Option<String>, ValueError> {
    let Some(len) = str_len(reader, marker)? else {
        return Ok(None);
    };
    let text = std::str::from_utf8(reader.bytes(len)?).map_err(|_| ValueErrorKind::InvalidUtf8)?;
    Ok(Some(text.to_owned()))
}

fn read_key(reader: &mut Reader<'_>) -> Result<String, ValueError> {
    let marker = Marker::from_u8(reader.byte()?);
    read_string(reader, marker)?
        .ok_or_else(|| ValueErrorKind::InvalidMsgpack("map keys must be strings").into())
}

fn array_len(reader: &mut Reader<'_>, marker: Marker, ty: &Type) -> Result<usize, ValueError> {
    match marker {
        Marker::FixArray(len) => reader.check_length(u64::from(len), 1),
        Marker::Array16 => reader.length(2, 1),
        Marker::Array32 => reader.length(4, 1),
        _ => Err(ValueError::wrong_type(ty, marker_kind(marker))),
    }
}

fn map_len(reader: &mut Reader<'_>, marker: Marker, ty: &Type) -> Result<usize, ValueError> {
    match marker {
        Marker::FixMap(len) => reader.check_length(u64::from(len), 2),
        Marker::Map16 => reader.length(2, 2),
        Marker::Map32 => reader.length(4, 2),
        _ => Err(ValueError::wrong_type(ty, marker_kind(marker))),
    }
}

fn read_number(reader: &mut Reader<'_>, marker: Marker, ty: &Type) -> Result<Number, ValueError> {
    let float = |value: f64| {
        Number::try_from_f64(value)
            .ok_or_else(|| ValueError::from(ValueErrorKind::InvalidNumber("NaN")))
    };
    Ok(match marker {
        Marker::FixPos(value) => Number::from_i64(value.into()),
        Marker::FixNeg(value) => Number::from_i64(value.into()),
        Marker::U8 => Number::from_u64(reader.byte()?.into()),
        Marker::U16 => Number::from_u64(u16::from_be_bytes(reader.fixed()?).into()),
        Marker::U32 => Number::from_u64(u32::from_be_bytes(reader.fixed()?).into()),
        Marker::U64 => Number::from_u64(u64::from_be_bytes(reader.fixed()?)),
        Marker::I8 => Number::from_i64(i8::from_be_bytes(reader.fixed()?).into()),
        Marker::I16 => Number::from_i64(i16::from_be_bytes(reader.fixed()?).into()),
        Marker::I32 => Number::from_i64(i32::from_be_bytes(reader.fixed()?).into()),
        Marker::I64 => Number::from_i64(i64::from_be_bytes(reader.fixed()?)),
        Marker::F32 => float(f32::from_be_bytes(reader.fixed()?).into())?,
        Marker::F64 => float(f64::from_be_bytes(reader.fixed()?))?,
        _ => match read_string(reader, marker)? {
            Some(text) => Number::parse_decimal(&text)?,
            None => return Err(ValueError::wrong_type(ty, marker_kind(marker))),
        },
    })
}

/// Unwraps a write to [`ByteBuf`], which cannot fail.
fn written<T>(result: Result<T, ValueWriteError<Infallible>>) -> T {
    match result {
        Ok(value) => value,
        Err(
            ValueWriteError::InvalidMarkerWrite(never) | ValueWriteError::InvalidDataWrite(never),
        ) => match never {},
    }
}

fn length_u32(len: usize) -> Result<u32, ValueError> {
    u32::try_from(len).map_err(|_| ValueErrorKind::LengthTooLarge(len).into())
}

fn write_str(out: &mut ByteBuf, text: &str) -> Result<(), ValueError> {
    written(write::write_str_len(out, length_u32(text.len())?));
    out.as_mut_vec().extend_from_slice(text.as_bytes());
    Ok(())
}

fn write_null(out: &mut ByteBuf) {
    out.as_mut_vec().push(0xc0);
}

fn write_unknown(out: &mut ByteBuf) {
    // fixext1, extension type 0, one zero byte: what go-cty writes.
    out.as_mut_vec().extend_from_slice(&[0xd4, 0x00, 0x00]);
}

fn write_number(out: &mut ByteBuf, number: &Number) -> Result<(), ValueError> {
    if let Some(integer) = number.as_i64() {
        written(write::write_sint(out, integer));
    } else if let Some(float) = number.as_f64() {
        written(write::write_f64(out, float));
    } else {
        write_str(out, &number.to_decimal_string())?;
    }
    Ok(())
}

fn encode(out: &mut ByteBuf, value: &Value, ty: &Type, depth: usize) -> Result<(), ValueError> {
    if depth > MAX_DEPTH {
        return Err(ValueErrorKind::TooDeep(MAX_DEPTH).into());
    }
    let nested = |out: &mut ByteBuf, value: &Value, ty: &Type, step: PathStep| {
        encode(out, value, ty, depth + 1).map_err(|err| err.at(step))
    };
    match (ty, value) {
        (_, Value::Null) => write_null(out),
        (_, Value::Unknown) => write_unknown(out),
        (Type::Dynamic, Value::Dynamic(inner_ty, inner)) => match **inner {
            // As go-cty: a typed null or unknown is written bare.
            Value::Null => write_null(out),
            Value::Unknown => write_unknown(out),
            _ => {
                written(write::write_array_len(out, 2));
                let type_json = inner_ty.to_json_bytes();
                written(write::write_bin_len(out, length_u32(type_json.len())?));
                out.as_mut_vec().extend_from_slice(&type_json);
                encode(out, inner, inner_ty, depth + 1)?;
            }
        },
        (Type::Dynamic, other) => {
            return Err(ValueErrorKind::DynamicValueRequired(other.kind_name().into()).into());
        }
        (Type::String, Value::String(text)) => write_str(out, text)?,
        (Type::Number, Value::Number(number)) => write_number(out, number)?,
        (Type::Bool, Value::Bool(flag)) => out.as_mut_vec().push(if *flag { 0xc3 } else { 0xc2 }),
        (Type::List(element_ty), Value::List(elements))
        | (Type::Set(element_ty), Value::Set(elements)) => {
            written(write::write_array_len(out, length_u32(elements.len())?));
            for (index, element) in elements.iter().enumerate() {
                nested(out, element, element_ty, PathStep::Index(index))?;
            }
        }
        (Type::Map(element_ty), Value::Map(entries)) => {
            written(write::write_map_len(out, length_u32(entries.len())?));
            for (key, element) in entries {
                write_str(out, key)?;
                nested(out, element, element_ty, PathStep::Key(key.clone()))?;
            }
        }
        (Type::Object(attribute_types), Value::Object(attributes)) => {
            check_attribute_names(attribute_types, attributes)?;
            written(write::write_map_len(
                out,
                length_u32(attribute_types.len())?,
            ));
            for ((name, attribute_ty), attribute) in attribute_types.iter().zip(attributes.values())
            {
                // Same key set and both sorted, so the zip pairs names.
                write_str(out, name)?;
                nested(
                    out,
                    attribute,
                    attribute_ty,
                    PathStep::Attribute(name.clone()),
                )?;
            }
        }
        (Type::Tuple(element_types), Value::Tuple(elements)) => {
            check_tuple_length(element_types, elements)?;
            written(write::write_array_len(out, length_u32(elements.len())?));
            for (index, (element, element_ty)) in elements.iter().zip(element_types).enumerate() {
                nested(out, element, element_ty, PathStep::Index(index))?;
            }
        }
        (ty, value) => return Err(ValueError::wrong_type(ty, value.kind_name())),
    }
    Ok(())
}

#[cfg(test)]
#[path = "msgpack_tests.rs"]
mod tests;
