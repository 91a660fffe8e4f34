//! The JSON codec, for stored state (`RawState.json`), per go-cty's
//! `cty/json`.
//!
//! The shapes are those of msgpack, with `null` for null, numbers as JSON
//! numbers kept to every digit (see [`json_text`](super::json_text)), and a
//! known dynamic value as `{"type": <type JSON>, "value": <value>}`. JSON
//! has no unknown values.

use std::collections::BTreeMap;

use super::error::{PathStep, ValueError, ValueErrorKind};
use super::json_text::{self, Json, write_json_string};
use super::values::{check_attribute_names, check_tuple_length};
use super::{MAX_DEPTH, Number, Type, Value};

/// Decodes JSON of type `ty`, as Terraform stores state. An empty input is
/// null.
///
/// Object attributes missing from the JSON are null: state written by an
/// older schema version may lack newer attributes. As go-cty does, a string
/// slot also takes a JSON number or bool (as its text), and number and bool
/// slots take a JSON string holding one.
///
/// # Errors
///
/// Malformed JSON, attributes the type does not have, kinds that do not fit
/// `ty`, nesting beyond 64 levels.
///
/// # Examples
///
/// ```
/// use influxdb3_provider::framework::value::{decode_json, Type, Value};
///
/// let ty = Type::object([("id", Type::String), ("added_later", Type::Bool)]);
/// let value = decode_json(br#"{"id": "t1"}"#, &ty)?;
/// assert_eq!(value, Value::object([("id", Value::string("t1")), ("added_later", Value::null())]));
/// # Ok::<(), influxdb3_provider::framework::value::ValueError>(())
/// ```
pub fn decode_json(bytes: &[u8], ty: &Type) -> Result<Value, ValueError> {
    decode_document(bytes, ty, false)
}

/// Like [`decode_json`], but object attributes the type does not have are
/// dropped instead of rejected: stored state may hold attributes that a
/// newer schema removed.
///
/// # Errors
///
/// As [`decode_json`], except for unknown attributes.
///
/// # Examples
///
/// ```
/// use influxdb3_provider::framework::value::{decode_json_dropping_unknown_attributes, Type, Value};
///
/// let ty = Type::object([("id", Type::String)]);
/// let value = decode_json_dropping_unknown_attributes(br#"{"id": "t1", "removed": 3}"#, &ty)?;
/// assert_eq!(value, Value::object([("id", Value::string("t1"))]));
/// # Ok::<(), influxdb3_provider::framework::value::ValueError>(())
/// ```
pub fn decode_json_dropping_unknown_attributes(
    bytes: &[u8],
    ty: &Type,
) -> Result<Value, ValueError> {
    decode_document(bytes, ty, true)
}

fn decode_document(bytes: &[u8], ty: &Type, drop_unknown: bool) -> Result<Value, ValueError> {
    if bytes.is_empty() {
        return Ok(Value::Null);
    }
    let document = json_text::parse(bytes)?;
    Decoder { drop_unknown }.decode(&document, ty, 0)
}

struct Decoder {
    drop_unknown: bool,
}

/// Encodes `value` as compact JSON of type `ty`, object attributes sorted
/// by name.
///
/// # Errors
///
/// When `value` does not conform to `ty` (see [`Value::conforms_to`]), or
/// contains an unknown value or an infinite number, which JSON cannot hold.
///
/// # Examples
///
/// ```
/// use influxdb3_provider::framework::value::{encode_json, Type, Value};
///
/// let ty = Type::object([("n", Type::Number), ("any", Type::Dynamic)]);
/// let value = Value::object([
///     ("n", Value::number(0.5)),
///     ("any", Value::dynamic(Type::String, Value::string("x"))),
/// ]);
/// assert_eq!(
///     String::from_utf8(encode_json(&value, &ty)?).unwrap(),
///     r#"{"any":{"type":"string","value":"x"},"n":0.5}"#
/// );
/// # Ok::<(), influxdb3_provider::framework::value::ValueError>(())
/// ```
pub fn encode_json(value: &Value, ty: &Type) -> Result<Vec<u8>, ValueError> {
    let mut out = Vec::new();
    encode(&mut out, value, ty, 0)?;
    Ok(out)
}

impl Decoder {
    fn decode(&self, node: &Json<'_>, ty: &Type, depth: usize) -> Result<Value, ValueError> {
        if depth > MAX_DEPTH {
            return Err(ValueErrorKind::TooDeep(MAX_DEPTH).into());
        }
        let nested = |node: &Json<'_>, ty: &Type, step: PathStep| {
            self.decode(node, ty, depth + 1).map_err(|err| err.at(step))
        };
        let wrong_type = || ValueError::wrong_type(ty, node.kind_name());
        match (ty, node) {
            (_, Json::Null) => Ok(Value::Null),
            (Type::String, Json::String(text)) => Ok(Value::String(text.clone())),
            (Type::String, Json::Number(text)) => Ok(Value::string(*text)),
            (Type::String, Json::Bool(flag)) => Ok(Value::string(flag.to_string())),
            (Type::Number, Json::Number(text)) => Ok(Value::Number(Number::parse_decimal(text)?)),
            (Type::Number, Json::String(text)) => Ok(Value::Number(Number::parse_decimal(text)?)),
            (Type::Bool, Json::Bool(flag)) => Ok(Value::Bool(*flag)),
            (Type::Bool, Json::String(text)) => match text.as_str() {
                "true" => Ok(Value::Bool(true)),
                "false" => Ok(Value::Bool(false)),
                _ => Err(wrong_type()),
            },
            (Type::List(element_ty) | Type::Set(element_ty), Json::Array(elements)) => {
                let decoded = elements
                    .iter()
                    .enumerate()
                    .map(|(index, element)| nested(element, element_ty, PathStep::Index(index)))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(match ty {
                    Type::Set(_) => Value::Set(decoded),
                    _ => Value::List(decoded),
                })
            }
            (Type::Map(element_ty), Json::Object(members)) => {
                let mut entries = BTreeMap::new();
                for (key, member) in members {
                    if entries.contains_key(key) {
                        return Err(ValueErrorKind::DuplicateKey(key.clone()).into());
                    }
                    let element = nested(member, element_ty, PathStep::Key(key.clone()))?;
                    entries.insert(key.clone(), element);
                }
                Ok(Value::Map(entries))
            }
            (Type::Object(attribute_types), Json::Object(members)) => {
                let mut attributes = BTreeMap::new();
                for (name, member) in members {
                    let Some(attribute_ty) = attribute_types.get(name) else {
                        if self.drop_unknown {
                            continue;
                        }
                        return Err(ValueErrorKind::UnsupportedAttribute(name.clone()).into());
                    };
                    if attributes.contains_key(name) {
                        return Err(ValueErrorKind::DuplicateKey(name.clone()).into());
                    }
                    let attribute =
                        nested(member, attribute_ty, PathStep::Attribute(name.clone()))?;
                    attributes.insert(name.clone(), attribute);
                }
                for name in attribute_types.keys() {
                    attributes.entry(name.clone()).or_insert(Value::Null);
                }
                Ok(Value::Object(attributes))
            }
            (Type::Tuple(element_types), Json::Array(elements)) => {
                if elements.len() != element_types.len() {
                    return Err(ValueErrorKind::TupleLength {
                        expected: element_types.len(),
                        given: elements.len(),
                    }
                    .into());
                }
                let decoded = elements
                    .iter()
                    .zip(element_types)
                    .enumerate()
                    .map(|(index, (element, element_ty))| {
                        nested(element, element_ty, PathStep::Index(index))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Value::Tuple(decoded))
            }
            (Type::Dynamic, Json::Object(members)) => {
                let member = |wanted: &str| {
                    members
                        .iter()
                        .find(|(name, _)| name == wanted)
                        .map(|(_, member)| member)
                };
                let (Some(type_json), Some(value_json), 2) =
                    (member("type"), member("value"), members.len())
                else {
                    return Err(ValueErrorKind::InvalidJson(
                        "a dynamic value must be an object with exactly \"type\" and \"value\""
                            .into(),
                    )
                    .into());
                };
                let inner_ty = Type::from_json(&type_json.to_serde())?;
                match self.decode(value_json, &inner_ty, depth + 1)? {
                    Value::Null => Ok(Value::Null),
                    inner => Ok(Value::dynamic(inner_ty, inner)),
                }
            }
            _ => Err(wrong_type()),
        }
    }
}

fn encode(out: &mut Vec<u8>, value: &Value, ty: &Type, depth: usize) -> Result<(), ValueError> {
    if depth > MAX_DEPTH {
        return Err(ValueErrorKind::TooDeep(MAX_DEPTH).into());
    }
    let nested = |out: &mut Vec<u8>, value: &Value, ty: &Type, step: PathStep| {
        encode(out, value, ty, depth + 1).map_err(|err| err.at(step))
    };
    match (ty, value) {
        (_, Value::Null) => out.extend_from_slice(b"null"),
        (_, Value::Unknown) => {
            return Err(ValueErrorKind::NotJsonEncodable("an unknown value").into());
        }
        (Type::Dynamic, Value::Dynamic(inner_ty, inner)) => match **inner {
            Value::Null => out.extend_from_slice(b"null"),
            _ => {
                out.extend_from_slice(b"{\"type\":");
                out.extend_from_slice(&inner_ty.to_json_bytes());
                out.extend_from_slice(b",\"value\":");
                encode(out, inner, inner_ty, depth + 1)?;
                out.push(b'}');
            }
        },
        (Type::Dynamic, other) => {
            return Err(ValueErrorKind::DynamicValueRequired(other.kind_name().into()).into());
        }
        (Type::String, Value::String(text)) => write_json_string(out, text),
        (Type::Number, Value::Number(number)) => {
            if number.is_infinite() {
                return Err(ValueErrorKind::NotJsonEncodable("an infinite number").into());
            }
            out.extend_from_slice(number.to_decimal_string().as_bytes());
        }
        (Type::Bool, Value::Bool(flag)) => {
            out.extend_from_slice(if *flag { b"true" } else { b"false" });
        }
        (Type::List(element_ty), Value::List(elements))
        | (Type::Set(element_ty), Value::Set(elements)) => {
            out.push(b'[');
            for (index, element) in elements.iter().enumerate() {
                if index > 0 {
                    out.push(b',');
                }
                nested(out, element, element_ty, PathStep::Index(index))?;
            }
            out.push(b']');
        }
        (Type::Map(element_ty), Value::Map(entries)) => {
            out.push(b'{');
            for (position, (key, element)) in entries.iter().enumerate() {
                if position > 0 {
                    out.push(b',');
                }
                write_json_string(out, key);
                out.push(b':');
                nested(out, element, element_ty, PathStep::Key(key.clone()))?;
            }
            out.push(b'}');
        }
        (Type::Object(attribute_types), Value::Object(attributes)) => {
            check_attribute_names(attribute_types, attributes)?;
            out.push(b'{');
            // Same key set and both sorted, so the zip pairs names.
            let pairs = attribute_types.iter().zip(attributes.values());
            for (position, ((name, attribute_ty), attribute)) in pairs.enumerate() {
                if position > 0 {
                    out.push(b',');
                }
                write_json_string(out, name);
                out.push(b':');
                nested(
                    out,
                    attribute,
                    attribute_ty,
                    PathStep::Attribute(name.clone()),
                )?;
            }
            out.push(b'}');
        }
        (Type::Tuple(element_types), Value::Tuple(elements)) => {
            check_tuple_length(element_types, elements)?;
            out.push(b'[');
            for (index, (element, element_ty)) in elements.iter().zip(element_types).enumerate() {
                if index > 0 {
                    out.push(b',');
                }
                nested(out, element, element_ty, PathStep::Index(index))?;
            }
            out.push(b']');
        }
        (ty, value) => return Err(ValueError::wrong_type(ty, value.kind_name())),
    }
    Ok(())
}

#[cfg(test)]
#[path = "json_tests.rs"]
mod tests;
