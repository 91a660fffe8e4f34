//! [`Type`]: Terraform's (go-cty's) type system and its JSON form.

use std::collections::BTreeMap;
use std::fmt;

use super::MAX_DEPTH;
use super::error::{ValueError, ValueErrorKind, shorten};
use super::json_text::write_json_string;

/// A Terraform value type (a go-cty type).
///
/// Schemas carry one per attribute, and the protocol sends it as JSON
/// ([`Type::to_json`]); a `dynamic` slot's values carry their own.
///
/// # Examples
///
/// ```
/// use influxdb3_provider::framework::value::Type;
///
/// let ty = Type::list(Type::object([("id", Type::String), ("n", Type::Number)]));
/// assert_eq!(
///     String::from_utf8(ty.to_json_bytes())?,
///     r#"["list",["object",{"id":"string","n":"number"}]]"#
/// );
/// assert_eq!(Type::from_json_bytes(&ty.to_json_bytes())?, ty);
/// assert_eq!(ty.to_string(), "list of object");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Type {
    /// A Unicode string.
    String,
    /// An arbitrary-precision decimal number (see [`Number`](super::Number)).
    Number,
    /// `true` or `false`.
    Bool,
    /// Any type, decided per value (`"dynamic"`, HCL's `any`).
    Dynamic,
    /// An ordered sequence of elements of one type.
    List(Box<Type>),
    /// An unordered collection of distinct elements of one type.
    Set(Box<Type>),
    /// String keys to elements of one type.
    Map(Box<Type>),
    /// Named attributes, each with its own type; every value has all of them.
    Object(BTreeMap<String, Type>),
    /// A fixed-length sequence, each position with its own type.
    Tuple(Vec<Type>),
}

impl Type {
    /// `list(element)`.
    pub fn list(element: Type) -> Type {
        Type::List(Box::new(element))
    }

    /// `set(element)`.
    pub fn set(element: Type) -> Type {
        Type::Set(Box::new(element))
    }

    /// `map(element)`.
    pub fn map(element: Type) -> Type {
        Type::Map(Box::new(element))
    }

    /// An object type from `(attribute name, type)` pairs.
    pub fn object<I, N>(attributes: I) -> Type
    where
        I: IntoIterator<Item = (N, Type)>,
        N: Into<String>,
    {
        Type::Object(
            attributes
                .into_iter()
                .map(|(name, ty)| (name.into(), ty))
                .collect(),
        )
    }

    /// A tuple type from its element types, in order.
    pub fn tuple<I: IntoIterator<Item = Type>>(elements: I) -> Type {
        Type::Tuple(elements.into_iter().collect())
    }

    /// The element type of a list, set or map; `None` for other types.
    pub fn element_type(&self) -> Option<&Type> {
        match self {
            Type::List(element) | Type::Set(element) | Type::Map(element) => Some(element),
            _ => None,
        }
    }

    /// The attribute types of an object; `None` for other types.
    pub fn attribute_types(&self) -> Option<&BTreeMap<String, Type>> {
        match self {
            Type::Object(attributes) => Some(attributes),
            _ => None,
        }
    }

    /// The type JSON of this type, as go-cty writes it: `"string"`,
    /// `["list","string"]`, `["object",{"a":"number"}]`, `["tuple",[...]]`,
    /// `"dynamic"`.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as Json;
        let tagged = |tag: &str, inner: Json| Json::Array(vec![Json::from(tag), inner]);
        match self {
            Type::String => Json::from("string"),
            Type::Number => Json::from("number"),
            Type::Bool => Json::from("bool"),
            Type::Dynamic => Json::from("dynamic"),
            Type::List(element) => tagged("list", element.to_json()),
            Type::Set(element) => tagged("set", element.to_json()),
            Type::Map(element) => tagged("map", element.to_json()),
            Type::Object(attributes) => tagged(
                "object",
                Json::Object(
                    attributes
                        .iter()
                        .map(|(name, ty)| (name.clone(), ty.to_json()))
                        .collect(),
                ),
            ),
            Type::Tuple(elements) => tagged(
                "tuple",
                Json::Array(elements.iter().map(Type::to_json).collect()),
            ),
        }
    }

    /// [`Type::to_json`] as compact bytes, attributes sorted by name (the
    /// form of `Schema.Attribute.type` and of dynamic values' type tags).
    pub fn to_json_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write_json(&mut out);
        out
    }

    /// Reads type JSON. Rejects unknown primitive names (`"strng"`) and
    /// malformed shapes; an object type's optional third element (the
    /// `["opt1", ...]` list of optional attributes of a type constraint) is
    /// accepted and ignored.
    ///
    /// # Errors
    ///
    /// [`ValueErrorKind::InvalidType`] for a malformed type,
    /// [`ValueErrorKind::TooDeep`] beyond 64 levels of nesting.
    pub fn from_json(json: &serde_json::Value) -> Result<Type, ValueError> {
        type_from_json(json, 0)
    }

    /// [`Type::from_json`] of bytes; trailing data is an error.
    ///
    /// # Errors
    ///
    /// As [`Type::from_json`], plus [`ValueErrorKind::InvalidType`] for bytes
    /// that are not JSON.
    pub fn from_json_bytes(bytes: &[u8]) -> Result<Type, ValueError> {
        let json: serde_json::Value = serde_json::from_slice(bytes).map_err(|err| {
            // serde_json's messages name positions and token classes, not the
            // input text, so they are safe to pass on.
            ValueError::new(ValueErrorKind::InvalidType(format!("not json: {err}")))
        })?;
        Type::from_json(&json)
    }

    fn write_json(&self, out: &mut Vec<u8>) {
        fn tagged(tag: &[u8], out: &mut Vec<u8>) {
            out.extend_from_slice(b"[\"");
            out.extend_from_slice(tag);
            out.extend_from_slice(b"\",");
        }
        match self {
            Type::String => out.extend_from_slice(b"\"string\""),
            Type::Number => out.extend_from_slice(b"\"number\""),
            Type::Bool => out.extend_from_slice(b"\"bool\""),
            Type::Dynamic => out.extend_from_slice(b"\"dynamic\""),
            Type::List(element) | Type::Set(element) | Type::Map(element) => {
                let tag: &[u8] = match self {
                    Type::List(_) => b"list",
                    Type::Set(_) => b"set",
                    _ => b"map",
                };
                tagged(tag, out);
                element.write_json(out);
                out.push(b']');
            }
            Type::Object(attributes) => {
                tagged(b"object", out);
                out.push(b'{');
                for (position, (name, ty)) in attributes.iter().enumerate() {
                    if position > 0 {
                        out.push(b',');
                    }
                    write_json_string(out, name);
                    out.push(b':');
                    ty.write_json(out);
                }
                out.extend_from_slice(b"}]");
            }
            Type::Tuple(elements) => {
                tagged(b"tuple", out);
                out.push(b'[');
                for (position, ty) in elements.iter().enumerate() {
                    if position > 0 {
                        out.push(b',');
                    }
                    ty.write_json(out);
                }
                out.extend_from_slice(b"]]");
            }
        }
    }
}

/// The friendly name used in messages: `string`, `list of number`,
/// `object`, `tuple`, `dynamic`.
impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::String => f.write_str("string"),
            Type::Number => f.write_str("number"),
            Type::Bool => f.write_str("bool"),
            Type::Dynamic => f.write_str("dynamic"),
            Type::List(element) => write!(f, "list of {element}"),
            Type::Set(element) => write!(f, "set of {element}"),
            Type::Map(element) => write!(f, "map of {element}"),
            Type::Object(_) => f.write_str("object"),
            Type::Tuple(_) => f.write_str("tuple"),
        }
    }
}

fn invalid(message: impl Into<String>) -> ValueError {
    ValueError::new(ValueErrorKind::InvalidType(message.into()))
}

fn type_from_json(json: &serde_json::Value, depth: usize) -> Result<Type, ValueError> {
    use serde_json::Value as Json;
    if depth > MAX_DEPTH {
        return Err(ValueError::new(ValueErrorKind::TooDeep(MAX_DEPTH)));
    }
    let parts = match json {
        Json::String(name) => {
            return match name.as_str() {
                "string" => Ok(Type::String),
                "number" => Ok(Type::Number),
                "bool" => Ok(Type::Bool),
                "dynamic" => Ok(Type::Dynamic),
                other => Err(invalid(format!(
                    "invalid primitive type name {:?}",
                    shorten(other)
                ))),
            };
        }
        Json::Array(parts) => parts,
        _ => return Err(invalid("a type must be a string or an array")),
    };
    let (kind, arguments) = match parts.split_first() {
        Some((Json::String(kind), arguments)) => (kind.as_str(), arguments),
        _ => return Err(invalid("a complex type must start with its kind name")),
    };
    let nested = |json: &Json| type_from_json(json, depth + 1);
    match (kind, arguments) {
        ("list", [element]) => Ok(Type::list(nested(element)?)),
        ("set", [element]) => Ok(Type::set(nested(element)?)),
        ("map", [element]) => Ok(Type::map(nested(element)?)),
        // The optional third element lists optional attributes of a type
        // constraint; it does not change the type of values.
        ("object", [Json::Object(attributes)] | [Json::Object(attributes), _]) => {
            let mut types = BTreeMap::new();
            for (name, ty) in attributes {
                types.insert(name.clone(), nested(ty)?);
            }
            Ok(Type::Object(types))
        }
        ("tuple", [Json::Array(elements)]) => Ok(Type::Tuple(
            elements.iter().map(nested).collect::<Result<_, _>>()?,
        )),
        ("list" | "set" | "map" | "object" | "tuple", _) => {
            Err(invalid(format!("malformed {kind} type")))
        }
        (other, _) => Err(invalid(format!(
            "invalid complex type kind {:?}",
            shorten(other)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(name: &str, ty: Type, expected_json: &str) {
        assert_eq!(
            String::from_utf8(ty.to_json_bytes()).unwrap(),
            expected_json,
            "{name}: bytes"
        );
        let parsed: serde_json::Value = serde_json::from_str(expected_json).unwrap();
        assert_eq!(ty.to_json(), parsed, "{name}: to_json");
        assert_eq!(Type::from_json(&parsed).unwrap(), ty, "{name}: from_json");
        assert_eq!(
            Type::from_json_bytes(expected_json.as_bytes()).unwrap(),
            ty,
            "{name}: from_json_bytes"
        );
    }

    #[test]
    fn type_json_round_trips() {
        check("string", Type::String, r#""string""#);
        check("number", Type::Number, r#""number""#);
        check("bool", Type::Bool, r#""bool""#);
        check("dynamic", Type::Dynamic, r#""dynamic""#);
        check("list", Type::list(Type::String), r#"["list","string"]"#);
        check("set", Type::set(Type::Number), r#"["set","number"]"#);
        check("map", Type::map(Type::Bool), r#"["map","bool"]"#);
        check(
            "empty object",
            Type::object::<[(&str, Type); 0], &str>([]),
            r#"["object",{}]"#,
        );
        check(
            "nested",
            Type::object([
                ("b", Type::tuple([Type::String, Type::list(Type::Dynamic)])),
                ("a", Type::map(Type::object([("x\"y", Type::Number)]))),
            ]),
            r#"["object",{"a":["map",["object",{"x\"y":"number"}]],"b":["tuple",["string",["list","dynamic"]]]}]"#,
        );
        check("empty tuple", Type::tuple([]), r#"["tuple",[]]"#);
    }

    #[test]
    fn optional_attribute_list_is_ignored() {
        let json = json!(["object", {"a": "string", "b": "number"}, ["b"]]);
        assert_eq!(
            Type::from_json(&json).unwrap(),
            Type::object([("a", Type::String), ("b", Type::Number)])
        );
    }

    fn check_rejected(name: &str, json: &str, expected_message: &str) {
        let err = Type::from_json_bytes(json.as_bytes()).unwrap_err();
        assert_eq!(err.to_string(), expected_message, "{name}");
    }

    #[test]
    fn malformed_types_are_rejected() {
        check_rejected(
            "typo",
            r#""strng""#,
            r#"invalid type: invalid primitive type name "strng" at the top level"#,
        );
        check_rejected(
            "nested typo",
            r#"["list",["map","nmber"]]"#,
            r#"invalid type: invalid primitive type name "nmber" at the top level"#,
        );
        check_rejected(
            "unknown kind",
            r#"["bag","string"]"#,
            r#"invalid type: invalid complex type kind "bag" at the top level"#,
        );
        check_rejected(
            "list arity",
            r#"["list"]"#,
            "invalid type: malformed list type at the top level",
        );
        check_rejected(
            "tuple not array",
            r#"["tuple","string"]"#,
            "invalid type: malformed tuple type at the top level",
        );
        check_rejected(
            "number",
            "1",
            "invalid type: a type must be a string or an array at the top level",
        );
        check_rejected(
            "empty array",
            "[]",
            "invalid type: a complex type must start with its kind name at the top level",
        );
        assert!(
            Type::from_json_bytes(br#""string" x"#).is_err(),
            "trailing data"
        );
        assert!(Type::from_json_bytes(b"").is_err(), "empty");
    }

    #[test]
    fn deep_types_are_rejected() {
        let mut json = json!("string");
        for _ in 0..=MAX_DEPTH {
            json = json!(["list", json]);
        }
        let err = Type::from_json(&json).unwrap_err();
        assert_eq!(err.kind(), &ValueErrorKind::TooDeep(MAX_DEPTH));
    }

    #[test]
    fn display_is_friendly() {
        assert_eq!(
            Type::set(Type::map(Type::Number)).to_string(),
            "set of map of number"
        );
        assert_eq!(Type::tuple([Type::Bool]).to_string(), "tuple");
    }
}
