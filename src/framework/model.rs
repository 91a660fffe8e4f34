//! Typed models: a resource's attributes as a Rust struct, declared once.
//!
//! The [`model!`](crate::model) macro defines a struct whose field names are
//! the attribute names, each with the [`Attribute`] it is in the schema. It
//! generates [`Model::attributes`] (for [`Schema::new`]), conversion from a
//! [`Value`] ([`Model::from_value_root`]) and to one ([`ToValue`]), so a
//! resource never spells an attribute name twice.
//!
//! A field named by a keyword is written raw (`r#type`) and is the attribute
//! `type`.
//!
//! Field types: `String`, `bool`, `i64`, [`Number`], [`Value`] (anything,
//! including unknown), `Option<T>` (null is `None`), `Vec<T>` (a list),
//! [`SetOf<T>`] (a set), `BTreeMap<String, T>` (a map) and other models
//! (nested objects). Unknown values only fit [`Value`] fields: convert
//! configurations and states (wholly known at create, read, update), and use
//! `Value` fields or the raw [`Value`] for plans.
//!
//! [`Schema::new`]: crate::framework::schema::Schema::new
//!
//! # Examples
//!
//! ```
//! use influxdb3_provider::framework::model::{Model, ToValue};
//! use influxdb3_provider::framework::schema::{Attribute, Schema};
//! use influxdb3_provider::framework::value::{Type, Value};
//!
//! influxdb3_provider::model! {
//!     /// A thing's state.
//!     pub struct Thing {
//!         pub name: String => |name| Attribute::required(name, Type::String).requires_replace(),
//!         pub size: Option<i64> => |name| Attribute::optional(name, Type::Number),
//!     }
//! }
//!
//! let schema = Schema::new(0, "A thing.", Thing::attributes());
//! assert_eq!(Thing::attribute_names(), ["name", "size"]);
//! let value = Value::object([("name", Value::string("a")), ("size", Value::Null)]);
//! let thing = Thing::from_value_root(&value)?;
//! assert_eq!(thing, Thing { name: "a".into(), size: None });
//! assert_eq!(thing.to_value(), value);
//! # assert!(schema.validate().is_ok());
//! # Ok::<(), influxdb3_provider::framework::diag::Diagnostics>(())
//! ```

use std::collections::BTreeMap;

use super::diag::{Diagnostic, Diagnostics};
use super::path::Path;
use super::schema::Attribute;
use super::value::{Number, Value};

/// A struct declared with [`model!`](crate::model).
pub trait Model: FromValue + ToValue {
    /// The schema attributes, in declaration order.
    fn attributes() -> Vec<Attribute>;

    /// Converts a whole configuration or state.
    ///
    /// # Errors
    ///
    /// A diagnostic on the first attribute that does not fit its field.
    fn from_value_root(value: &Value) -> Result<Self, Diagnostics> {
        Self::from_value(value, None).map_err(Diagnostics::from)
    }
}

/// Conversion from a [`Value`] at `path` (`None`: the root object).
pub trait FromValue: Sized {
    /// Converts `value`.
    ///
    /// # Errors
    ///
    /// A diagnostic naming the path and the kinds, never the value.
    fn from_value(value: &Value, path: Option<&Path>) -> Result<Self, Diagnostic>;
}

/// Conversion to a [`Value`].
pub trait ToValue {
    /// Converts `self`.
    fn to_value(&self) -> Value;
}

/// A set of `T`: [`Value::Set`] rather than the list a `Vec` becomes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SetOf<T>(pub Vec<T>);

fn mismatch(path: Option<&Path>, expected: &str, value: &Value) -> Diagnostic {
    let place = path.map_or_else(|| "the object".to_string(), |path| path.to_string());
    let detail = format!(
        "{place}: expected {expected}, got {}. This is a bug in the provider.",
        value.kind_name()
    );
    match path {
        Some(path) => {
            Diagnostic::attribute_error(path.clone(), "Value Does Not Fit The Model", detail)
        }
        None => Diagnostic::error("Value Does Not Fit The Model", detail),
    }
}

impl FromValue for Value {
    fn from_value(value: &Value, _path: Option<&Path>) -> Result<Self, Diagnostic> {
        Ok(value.clone())
    }
}

impl ToValue for Value {
    fn to_value(&self) -> Value {
        self.clone()
    }
}

impl FromValue for String {
    fn from_value(value: &Value, path: Option<&Path>) -> Result<Self, Diagnostic> {
        value
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| mismatch(path, "a known string", value))
    }
}

impl ToValue for String {
    fn to_value(&self) -> Value {
        Value::string(self.clone())
    }
}

impl FromValue for bool {
    fn from_value(value: &Value, path: Option<&Path>) -> Result<Self, Diagnostic> {
        value
            .as_bool()
            .ok_or_else(|| mismatch(path, "a known bool", value))
    }
}

impl ToValue for bool {
    fn to_value(&self) -> Value {
        Value::bool(*self)
    }
}

impl FromValue for Number {
    fn from_value(value: &Value, path: Option<&Path>) -> Result<Self, Diagnostic> {
        value
            .as_number()
            .cloned()
            .ok_or_else(|| mismatch(path, "a known number", value))
    }
}

impl ToValue for Number {
    fn to_value(&self) -> Value {
        Value::Number(self.clone())
    }
}

impl FromValue for i64 {
    fn from_value(value: &Value, path: Option<&Path>) -> Result<Self, Diagnostic> {
        value
            .as_number()
            .and_then(Number::as_i64)
            .ok_or_else(|| mismatch(path, "a known whole number (64-bit)", value))
    }
}

impl ToValue for i64 {
    fn to_value(&self) -> Value {
        Value::number(*self)
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(value: &Value, path: Option<&Path>) -> Result<Self, Diagnostic> {
        match value {
            Value::Null => Ok(None),
            other => T::from_value(other, path).map(Some),
        }
    }
}

impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToValue::to_value)
    }
}

fn elements<T: FromValue>(
    value: &Value,
    path: Option<&Path>,
    expected: &str,
    set: bool,
) -> Result<Vec<T>, Diagnostic> {
    let elements = match (value, set) {
        (Value::List(elements), false) | (Value::Set(elements), true) => elements,
        _ => return Err(mismatch(path, expected, value)),
    };
    elements
        .iter()
        .enumerate()
        .map(|(index, element)| {
            // A set element has no index path: report on the set.
            let here = match (path, set) {
                (Some(path), false) => Some(path.index(index as i64)),
                (path, _) => path.cloned(),
            };
            T::from_value(element, here.as_ref())
        })
        .collect()
}

impl<T: FromValue> FromValue for Vec<T> {
    fn from_value(value: &Value, path: Option<&Path>) -> Result<Self, Diagnostic> {
        elements(value, path, "a known list", false)
    }
}

impl<T: ToValue> ToValue for Vec<T> {
    fn to_value(&self) -> Value {
        Value::list(self.iter().map(ToValue::to_value))
    }
}

impl<T: FromValue> FromValue for SetOf<T> {
    fn from_value(value: &Value, path: Option<&Path>) -> Result<Self, Diagnostic> {
        elements(value, path, "a known set", true).map(SetOf)
    }
}

impl<T: ToValue> ToValue for SetOf<T> {
    fn to_value(&self) -> Value {
        Value::set(self.0.iter().map(ToValue::to_value))
    }
}

impl<T: FromValue> FromValue for BTreeMap<String, T> {
    fn from_value(value: &Value, path: Option<&Path>) -> Result<Self, Diagnostic> {
        let Some(entries) = value.as_map() else {
            return Err(mismatch(path, "a known map", value));
        };
        entries
            .iter()
            .map(|(key, element)| {
                let here = path.map(|path| path.key(key.clone()));
                Ok((key.clone(), T::from_value(element, here.as_ref())?))
            })
            .collect()
    }
}

impl<T: ToValue> ToValue for BTreeMap<String, T> {
    fn to_value(&self) -> Value {
        Value::Map(
            self.iter()
                .map(|(key, element)| (key.clone(), element.to_value()))
                .collect(),
        )
    }
}

/// For [`model!`](crate::model): the attribute name of a field (`r#type`
/// is `type`).
#[doc(hidden)]
pub fn attribute_name(field: &'static str) -> &'static str {
    field.strip_prefix("r#").unwrap_or(field)
}

/// For [`model!`](crate::model): the attribute of field `name`.
#[doc(hidden)]
pub fn attribute(name: &'static str, make: impl FnOnce(&'static str) -> Attribute) -> Attribute {
    make(name)
}

/// For [`model!`](crate::model): the attributes of an object value.
#[doc(hidden)]
pub fn object_of<'a>(
    value: &'a Value,
    path: Option<&Path>,
) -> Result<&'a BTreeMap<String, Value>, Diagnostic> {
    value
        .as_object()
        .ok_or_else(|| mismatch(path, "a known object", value))
}

/// For [`model!`](crate::model): field `name` of an object (null when absent).
#[doc(hidden)]
pub fn field<T: FromValue>(
    object: &BTreeMap<String, Value>,
    name: &str,
    path: Option<&Path>,
) -> Result<T, Diagnostic> {
    let here = path.map_or_else(|| Path::root(name), |path| path.attribute(name));
    T::from_value(object.get(name).unwrap_or(&Value::Null), Some(&here))
}

/// Defines a [`Model`] struct: each field is an attribute, named by the
/// field, with the [`Attribute`] it is in the schema (a closure from the
/// name). See the [module docs](crate::framework::model).
#[macro_export]
macro_rules! model {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $(
                $(#[$field_meta:meta])*
                $field_vis:vis $field:ident : $ty:ty => $attribute:expr
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        $vis struct $name {
            $( $(#[$field_meta])* $field_vis $field: $ty, )*
        }

        impl $name {
            /// The attribute names, in declaration order.
            #[allow(dead_code)]
            $vis fn attribute_names() -> ::std::vec::Vec<&'static str> {
                ::std::vec![$($crate::framework::model::attribute_name(stringify!($field))),*]
            }
        }

        impl $crate::framework::model::Model for $name {
            fn attributes() -> ::std::vec::Vec<$crate::framework::schema::Attribute> {
                ::std::vec![$(
                    $crate::framework::model::attribute(
                        $crate::framework::model::attribute_name(stringify!($field)),
                        $attribute,
                    )
                ),*]
            }
        }

        impl $crate::framework::model::FromValue for $name {
            fn from_value(
                value: &$crate::framework::value::Value,
                path: ::std::option::Option<&$crate::framework::path::Path>,
            ) -> ::std::result::Result<Self, $crate::framework::diag::Diagnostic> {
                let object = $crate::framework::model::object_of(value, path)?;
                ::std::result::Result::Ok(Self {
                    $( $field: $crate::framework::model::field(
                        object,
                        $crate::framework::model::attribute_name(stringify!($field)),
                        path,
                    )?, )*
                })
            }
        }

        impl $crate::framework::model::ToValue for $name {
            fn to_value(&self) -> $crate::framework::value::Value {
                $crate::framework::value::Value::object([$(
                    (
                        $crate::framework::model::attribute_name(stringify!($field)),
                        $crate::framework::model::ToValue::to_value(&self.$field),
                    )
                ),*])
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::schema::{NestedObject, Schema};
    use crate::framework::value::{Type, encode_msgpack};

    crate::model! {
        /// One partition template part.
        struct TemplatePart {
            r#type: String => |n| Attribute::required(n, Type::String),
            number_of_buckets: Option<i64> => |n| Attribute::optional(n, Type::Number),
        }
    }

    crate::model! {
        /// A database-like state.
        struct Database {
            name: String => |n| Attribute::required(n, Type::String).requires_replace(),
            parts: Option<Vec<TemplatePart>> => |n| Attribute::optional_nested(
                n,
                NestedObject::list(TemplatePart::attributes()),
            ),
            labels: SetOf<String> => |n| Attribute::optional(n, Type::set(Type::String)),
            limits: BTreeMap<String, i64> => |n| Attribute::optional(n, Type::map(Type::Number)),
            id: Value => |n| Attribute::computed(n, Type::String),
        }
    }

    fn sample() -> Database {
        Database {
            name: "db".into(),
            parts: Some(vec![
                TemplatePart {
                    r#type: "tag".into(),
                    number_of_buckets: None,
                },
                TemplatePart {
                    r#type: "bucket".into(),
                    number_of_buckets: Some(100),
                },
            ]),
            labels: SetOf(vec!["a".into()]),
            limits: BTreeMap::from([("tables".to_string(), 5)]),
            id: Value::Unknown,
        }
    }

    #[test]
    fn schema_and_values_come_from_one_declaration() {
        let schema = Schema::new(0, "", Database::attributes());
        assert_eq!(schema.validate(), Ok(()));
        assert!(schema.attribute("name").unwrap().is_requires_replace());
        assert_eq!(
            Database::attribute_names(),
            ["name", "parts", "labels", "limits", "id"]
        );
        assert_eq!(
            TemplatePart::attribute_names(),
            ["type", "number_of_buckets"]
        );
        let value = sample().to_value();
        // The value fits the schema's type (the codec checks every depth).
        encode_msgpack(&value, &schema.value_type()).unwrap();
        assert_eq!(Database::from_value_root(&value).unwrap(), sample());
    }

    #[test]
    fn a_mismatch_names_the_path_not_the_value() {
        let Value::Object(mut value) = sample().to_value() else {
            unreachable!()
        };
        value.insert(
            "parts".into(),
            Value::list([Value::object([
                ("type", Value::number(1)),
                ("number_of_buckets", Value::Null),
            ])]),
        );
        let error = Database::from_value_root(&Value::Object(value)).unwrap_err();
        let diagnostic = error.iter().next().unwrap();
        assert_eq!(
            diagnostic.path,
            Some(Path::root("parts").index(0).attribute("type"))
        );
        assert_eq!(
            diagnostic.detail,
            "parts[0].type: expected a known string, got number value. \
             This is a bug in the provider."
        );
        let unknown = Value::object([("name", Value::Unknown)]);
        assert!(Database::from_value_root(&unknown).is_err());
    }
}
