//! [`Value`]: a Terraform value that may be null, unknown or known.

use std::collections::BTreeMap;

use super::error::{PathStep, ValueError, ValueErrorKind};
use super::{MAX_DEPTH, Number, Type};

/// A Terraform value: null, unknown, or a known value of some [`Type`].
///
/// Values do not carry their type: the schema supplies it, and the codecs
/// and [`Value::conforms_to`] take it as an argument. So [`Value::Null`] and
/// [`Value::Unknown`] fit any type. The exception is a known value in a
/// `dynamic` slot, which carries its concrete type in [`Value::Dynamic`].
///
/// Unknown values may appear at any depth during planning. `Set` elements
/// keep their order, and equality (`==`) compares them in order.
///
/// # Examples
///
/// ```
/// use influxdb3_provider::framework::value::{Type, Value};
///
/// let ty = Type::object([("name", Type::String), ("id", Type::String)]);
/// let planned = Value::object([("name", Value::string("ci")), ("id", Value::unknown())]);
/// planned.conforms_to(&ty)?;
/// assert_eq!(planned.get_attr("name").and_then(Value::as_str), Some("ci"));
/// assert!(planned.get_attr("id").is_some_and(Value::is_unknown));
/// assert!(!planned.is_wholly_known());
/// # Ok::<(), influxdb3_provider::framework::value::ValueError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// Absent: not set in configuration, or no object at all.
    Null,
    /// Not known until apply.
    Unknown,
    /// A known string.
    String(String),
    /// A known number.
    Number(Number),
    /// A known bool.
    Bool(bool),
    /// A known list: its elements, in order.
    List(Vec<Value>),
    /// A known set: its elements, in no meaningful order.
    Set(Vec<Value>),
    /// A known map: keys to elements.
    Map(BTreeMap<String, Value>),
    /// A known object: every attribute of its type, by name.
    Object(BTreeMap<String, Value>),
    /// A known tuple: one element per element type.
    Tuple(Vec<Value>),
    /// A known value in a `dynamic` slot, with its concrete type.
    Dynamic(Box<Type>, Box<Value>),
}

impl Value {
    /// A null value (of whatever type the slot has).
    pub fn null() -> Value {
        Value::Null
    }

    /// An unknown value (of whatever type the slot has).
    pub fn unknown() -> Value {
        Value::Unknown
    }

    /// A known string.
    pub fn string(value: impl Into<String>) -> Value {
        Value::String(value.into())
    }

    /// A known number: `Value::number(3)`, `Value::number(0.5)`.
    pub fn number(value: impl Into<Number>) -> Value {
        Value::Number(value.into())
    }

    /// A known bool.
    pub fn bool(value: bool) -> Value {
        Value::Bool(value)
    }

    /// A known list of `elements`.
    pub fn list(elements: impl IntoIterator<Item = Value>) -> Value {
        Value::List(elements.into_iter().collect())
    }

    /// A known set of `elements` (the caller keeps them distinct).
    pub fn set(elements: impl IntoIterator<Item = Value>) -> Value {
        Value::Set(elements.into_iter().collect())
    }

    /// A known map from `(key, element)` pairs.
    pub fn map<K: Into<String>>(entries: impl IntoIterator<Item = (K, Value)>) -> Value {
        Value::Map(
            entries
                .into_iter()
                .map(|(key, value)| (key.into(), value))
                .collect(),
        )
    }

    /// A known object from `(attribute name, value)` pairs.
    pub fn object<K: Into<String>>(attributes: impl IntoIterator<Item = (K, Value)>) -> Value {
        Value::Object(
            attributes
                .into_iter()
                .map(|(name, value)| (name.into(), value))
                .collect(),
        )
    }

    /// A known tuple of `elements`.
    pub fn tuple(elements: impl IntoIterator<Item = Value>) -> Value {
        Value::Tuple(elements.into_iter().collect())
    }

    /// A known value of type `ty` for a `dynamic` slot.
    pub fn dynamic(ty: Type, value: Value) -> Value {
        Value::Dynamic(Box::new(ty), Box::new(value))
    }

    /// Whether the value is null.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Whether the value itself is unknown (see [`Value::is_wholly_known`]
    /// for unknowns inside it).
    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown)
    }

    /// Whether the value itself is known (null counts as known).
    pub fn is_known(&self) -> bool {
        !self.is_unknown()
    }

    /// Whether no part of the value, at any depth, is unknown.
    pub fn is_wholly_known(&self) -> bool {
        match self {
            Value::Unknown => false,
            Value::Null | Value::String(_) | Value::Number(_) | Value::Bool(_) => true,
            Value::List(elements) | Value::Set(elements) | Value::Tuple(elements) => {
                elements.iter().all(Value::is_wholly_known)
            }
            Value::Map(entries) | Value::Object(entries) => {
                entries.values().all(Value::is_wholly_known)
            }
            Value::Dynamic(_, value) => value.is_wholly_known(),
        }
    }

    /// The string, if this is a known string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(value) => Some(value),
            _ => None,
        }
    }

    /// The bool, if this is a known bool.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(value) => Some(*value),
            _ => None,
        }
    }

    /// The number, if this is a known number.
    pub fn as_number(&self) -> Option<&Number> {
        match self {
            Value::Number(value) => Some(value),
            _ => None,
        }
    }

    /// The elements of a known list, set or tuple.
    pub fn as_elements(&self) -> Option<&[Value]> {
        match self {
            Value::List(elements) | Value::Set(elements) | Value::Tuple(elements) => Some(elements),
            _ => None,
        }
    }

    /// The entries of a known map.
    pub fn as_map(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The attributes of a known object.
    pub fn as_object(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Object(attributes) => Some(attributes),
            _ => None,
        }
    }

    /// The type and value of a known value in a `dynamic` slot.
    pub fn as_dynamic(&self) -> Option<(&Type, &Value)> {
        match self {
            Value::Dynamic(ty, value) => Some((ty, value)),
            _ => None,
        }
    }

    /// The attribute `name` of a known object; `None` for other values
    /// (including null and unknown) and for absent attributes.
    pub fn get_attr(&self, name: &str) -> Option<&Value> {
        self.as_object().and_then(|attributes| attributes.get(name))
    }

    /// A short name of the value's kind for messages (`string value`,
    /// `null`): never the value itself.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Unknown => "unknown",
            Value::String(_) => "string value",
            Value::Number(_) => "number value",
            Value::Bool(_) => "bool value",
            Value::List(_) => "list value",
            Value::Set(_) => "set value",
            Value::Map(_) => "map value",
            Value::Object(_) => "object value",
            Value::Tuple(_) => "tuple value",
            Value::Dynamic(..) => "dynamic value",
        }
    }

    /// Checks that the value has the shape of `ty` at every depth: kinds
    /// match, objects have exactly the type's attributes, tuples one element
    /// per element type, and `dynamic` slots hold [`Value::Dynamic`] (or
    /// null or unknown) whose value conforms to its own type. Null and
    /// unknown fit any type. The codecs check the same rules.
    ///
    /// # Errors
    ///
    /// The first mismatch, with its path.
    pub fn conforms_to(&self, ty: &Type) -> Result<(), ValueError> {
        conforms(self, ty, 0)
    }
}

fn conforms(value: &Value, ty: &Type, depth: usize) -> Result<(), ValueError> {
    if depth > MAX_DEPTH {
        return Err(ValueErrorKind::TooDeep(MAX_DEPTH).into());
    }
    let nested = |value: &Value, ty: &Type, step: PathStep| {
        conforms(value, ty, depth + 1).map_err(|err| err.at(step))
    };
    match (ty, value) {
        (_, Value::Null | Value::Unknown) => Ok(()),
        (Type::Dynamic, Value::Dynamic(inner_ty, inner)) => conforms(inner, inner_ty, depth + 1),
        (Type::Dynamic, other) => {
            Err(ValueErrorKind::DynamicValueRequired(other.kind_name().into()).into())
        }
        (Type::String, Value::String(_))
        | (Type::Number, Value::Number(_))
        | (Type::Bool, Value::Bool(_)) => Ok(()),
        (Type::List(element_ty), Value::List(elements))
        | (Type::Set(element_ty), Value::Set(elements)) => {
            for (index, element) in elements.iter().enumerate() {
                nested(element, element_ty, PathStep::Index(index))?;
            }
            Ok(())
        }
        (Type::Map(element_ty), Value::Map(entries)) => {
            for (key, element) in entries {
                nested(element, element_ty, PathStep::Key(key.clone()))?;
            }
            Ok(())
        }
        (Type::Object(attribute_types), Value::Object(attributes)) => {
            check_attribute_names(attribute_types, attributes)?;
            for (name, attribute_ty) in attribute_types {
                if let Some(attribute) = attributes.get(name) {
                    nested(attribute, attribute_ty, PathStep::Attribute(name.clone()))?;
                }
            }
            Ok(())
        }
        (Type::Tuple(element_types), Value::Tuple(elements)) => {
            check_tuple_length(element_types, elements)?;
            for (index, (element, element_ty)) in elements.iter().zip(element_types).enumerate() {
                nested(element, element_ty, PathStep::Index(index))?;
            }
            Ok(())
        }
        (ty, value) => Err(ValueError::wrong_type(ty, value.kind_name())),
    }
}

/// Checks that an object value has exactly its type's attributes.
pub(crate) fn check_attribute_names(
    attribute_types: &BTreeMap<String, Type>,
    attributes: &BTreeMap<String, Value>,
) -> Result<(), ValueError> {
    if let Some(missing) = attribute_types
        .keys()
        .find(|name| !attributes.contains_key(*name))
    {
        return Err(ValueErrorKind::MissingAttribute(missing.clone()).into());
    }
    if let Some(extra) = attributes
        .keys()
        .find(|name| !attribute_types.contains_key(*name))
    {
        return Err(ValueErrorKind::UnsupportedAttribute(extra.clone()).into());
    }
    Ok(())
}

/// Checks that a tuple value has one element per element type.
pub(crate) fn check_tuple_length(
    element_types: &[Type],
    elements: &[Value],
) -> Result<(), ValueError> {
    if element_types.len() != elements.len() {
        return Err(ValueErrorKind::TupleLength {
            expected: element_types.len(),
            given: elements.len(),
        }
        .into());
    }
    Ok(())
}

impl From<&str> for Value {
    fn from(value: &str) -> Value {
        Value::String(value.to_owned())
    }
}

impl From<String> for Value {
    fn from(value: String) -> Value {
        Value::String(value)
    }
}

impl From<bool> for Value {
    fn from(value: bool) -> Value {
        Value::Bool(value)
    }
}

impl From<Number> for Value {
    fn from(value: Number) -> Value {
        Value::Number(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token_type() -> Type {
        Type::object([
            ("id", Type::String),
            ("tags", Type::map(Type::String)),
            ("pair", Type::tuple([Type::Number, Type::Bool])),
            ("extra", Type::Dynamic),
        ])
    }

    fn token(id: Value) -> Value {
        Value::object([
            ("id", id),
            ("tags", Value::map([("env", Value::string("ci"))])),
            ("pair", Value::tuple([Value::number(1), Value::bool(true)])),
            (
                "extra",
                Value::dynamic(Type::list(Type::String), Value::list([Value::string("x")])),
            ),
        ])
    }

    fn check(name: &str, value: Value, ty: &Type, expected_error: Option<&str>) {
        let result = value.conforms_to(ty).map_err(|err| err.to_string());
        assert_eq!(
            result,
            expected_error.map_or(Ok(()), |message| Err(message.to_owned())),
            "{name}"
        );
    }

    #[test]
    fn conformance() {
        let tokens = Type::object([("tokens", Type::list(token_type()))]);
        let with = |token: Value| Value::object([("tokens", Value::list([token]))]);
        check("valid", with(token(Value::string("a"))), &tokens, None);
        check(
            "null and unknown fit anywhere",
            with(token(Value::unknown())),
            &tokens,
            None,
        );
        check("null root", Value::null(), &tokens, None);
        check(
            "wrong kind",
            with(token(Value::number(1))),
            &tokens,
            Some("string is required, found number value at .tokens[0].id"),
        );
        let mut missing = token(Value::null());
        if let Value::Object(attributes) = &mut missing {
            attributes.remove("tags");
            attributes.insert("surplus".into(), Value::null());
        }
        check(
            "missing",
            with(missing),
            &tokens,
            Some("missing attribute \"tags\" at .tokens[0]"),
        );
        check(
            "extra",
            Value::object([("tokens", Value::list([])), ("x", Value::null())]),
            &tokens,
            Some("unsupported attribute \"x\" at the top level"),
        );
        check(
            "tuple length",
            Value::tuple([Value::number(1)]),
            &Type::tuple([Type::Number, Type::Bool]),
            Some("a tuple of 2 elements is required (1 given) at the top level"),
        );
        check(
            "bare value in dynamic slot",
            Value::string("secret"),
            &Type::Dynamic,
            Some("a dynamic value with its type is required, found string value at the top level"),
        );
        check(
            "dynamic inner checked",
            Value::dynamic(
                Type::list(Type::Bool),
                Value::list([Value::string("secret")]),
            ),
            &Type::Dynamic,
            Some("bool is required, found string value at [0]"),
        );
        check(
            "map key in path",
            Value::map([("k", Value::bool(true))]),
            &Type::map(Type::String),
            Some("string is required, found bool value at [\"k\"]"),
        );
        check(
            "set vs list",
            Value::set([]),
            &Type::list(Type::String),
            Some("list of string is required, found set value at the top level"),
        );
    }

    #[test]
    fn knownness() {
        assert!(token(Value::null()).is_wholly_known());
        assert!(!token(Value::unknown()).is_wholly_known());
        let deep_unknown =
            Value::dynamic(Type::list(Type::String), Value::list([Value::unknown()]));
        assert!(deep_unknown.is_known() && !deep_unknown.is_wholly_known());
        assert!(Value::null().is_known() && Value::null().is_null());
        assert!(!Value::unknown().is_known());
    }

    #[test]
    fn accessors() {
        let value = token(Value::string("a"));
        assert_eq!(value.get_attr("id").and_then(Value::as_str), Some("a"));
        assert_eq!(value.get_attr("nope"), None);
        assert_eq!(Value::null().get_attr("id"), None);
        assert_eq!(Value::unknown().as_object(), None);
        let pair = value.get_attr("pair").and_then(Value::as_elements).unwrap();
        assert_eq!(pair[0].as_number().and_then(Number::as_i64), Some(1));
        assert_eq!(pair[1].as_bool(), Some(true));
        let (ty, _) = value.get_attr("extra").and_then(Value::as_dynamic).unwrap();
        assert_eq!(ty, &Type::list(Type::String));
        assert_eq!(Value::from("x"), Value::string("x"));
    }

    #[test]
    fn deep_values_are_rejected() {
        let mut value = Value::string("x");
        let mut ty = Type::String;
        for _ in 0..=MAX_DEPTH {
            value = Value::list([value]);
            ty = Type::list(ty);
        }
        let err = value.conforms_to(&ty).unwrap_err();
        assert_eq!(err.kind(), &ValueErrorKind::TooDeep(MAX_DEPTH));
    }
}
