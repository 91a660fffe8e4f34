//! The one error type of the value model: what went wrong, and where.

use std::fmt;

/// The longest name or map key shown in an error path or message, in
/// characters. Longer ones are cut, because a hostile message could carry
/// megabytes of key text.
const MAX_SHOWN_NAME_CHARS: usize = 64;

/// An error while checking, decoding or encoding a [`Value`](super::Value)
/// or a [`Type`](super::Type).
///
/// The message names what failed and where, as a path such as
/// `.tokens[2].id`. It never contains string *values*, which may be secrets:
/// only types, attribute names, map keys, indexes and value kinds.
///
/// # Examples
///
/// ```
/// use influxdb3_provider::framework::value::{decode_msgpack, Type, ValueErrorKind};
///
/// let ty = Type::object([("id", Type::String)]);
/// // A map with no entries: the attribute `id` is missing.
/// let err = decode_msgpack(&[0x80], &ty).unwrap_err();
/// assert_eq!(err.kind(), &ValueErrorKind::MissingAttribute("id".into()));
/// assert_eq!(err.to_string(), "missing attribute \"id\" at the top level");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} at {}", render_location(.path_reversed))]
pub struct ValueError {
    kind: ValueErrorKind,
    /// Steps from the failing value up to the root: errors are built where
    /// they happen and each enclosing level appends its own step while the
    /// error travels up, so the path costs nothing on the success path.
    path_reversed: Vec<PathStep>,
}

/// What went wrong, without the location. See [`ValueError::kind`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ValueErrorKind {
    /// The value's kind does not fit the type (`expected` is the type's
    /// name, `found` the kind of value or encoding seen).
    #[error("{expected} is required, found {found}")]
    WrongType {
        /// The expected type, as its friendly name (`list of string`).
        expected: String,
        /// What was found instead (`msgpack map`, `string value`).
        found: String,
    },
    /// An object lacks an attribute of its type.
    #[error("missing attribute {:?}", shorten(.0))]
    MissingAttribute(String),
    /// An object has an attribute that its type does not have.
    #[error("unsupported attribute {:?}", shorten(.0))]
    UnsupportedAttribute(String),
    /// A map or object repeats a key.
    #[error("duplicate key {:?}", shorten(.0))]
    DuplicateKey(String),
    /// A tuple has the wrong number of elements.
    #[error("a tuple of {expected} elements is required ({given} given)")]
    TupleLength {
        /// The number of element types.
        expected: usize,
        /// The number of elements present.
        given: usize,
    },
    /// A `dynamic` slot was given a value that is not [`Value::Dynamic`](super::Value::Dynamic),
    /// null or unknown.
    #[error("a dynamic value with its type is required, found {0}")]
    DynamicValueRequired(String),
    /// The input ended in the middle of a value.
    #[error("unexpected end of input")]
    Truncated,
    /// A length prefix announces more items or bytes than the input holds.
    #[error("length {declared} exceeds the remaining input ({remaining} bytes)")]
    LengthExceedsInput {
        /// The announced length.
        declared: u64,
        /// The bytes left in the input.
        remaining: usize,
    },
    /// A string or collection is too long for its length prefix.
    #[error("length {0} is too large to encode")]
    LengthTooLarge(usize),
    /// Bytes follow the complete top-level value.
    #[error("{0} trailing bytes after the value")]
    TrailingBytes(usize),
    /// Values, types or documents nest deeper than the limit.
    #[error("nesting deeper than {0} levels")]
    TooDeep(usize),
    /// A msgpack byte that is not valid here.
    #[error("invalid msgpack: {0}")]
    InvalidMsgpack(&'static str),
    /// A JSON document that is not valid.
    #[error("invalid json: {0}")]
    InvalidJson(String),
    /// String bytes that are not UTF-8.
    #[error("string is not valid utf-8")]
    InvalidUtf8,
    /// A number that cannot be read or represented.
    #[error("invalid number: {0}")]
    InvalidNumber(&'static str),
    /// A type constraint (type JSON) that is not valid.
    #[error("invalid type: {0}")]
    InvalidType(String),
    /// JSON cannot represent this value (unknown, or an infinite number).
    #[error("{0} cannot be encoded as json")]
    NotJsonEncodable(&'static str),
}

/// One step of the path to a failing value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PathStep {
    /// An object attribute, shown as `.name`.
    Attribute(String),
    /// A list, set or tuple element, shown as `[2]`.
    Index(usize),
    /// A map element, shown as `["key"]`.
    Key(String),
}

impl ValueError {
    /// An error of `kind` at the value being processed; enclosing levels add
    /// their steps with [`ValueError::at`].
    pub fn new(kind: ValueErrorKind) -> ValueError {
        ValueError {
            kind,
            path_reversed: Vec::new(),
        }
    }

    /// Puts `step` in front of the path: called by the enclosing level as
    /// the error travels up.
    #[must_use]
    pub fn at(mut self, step: PathStep) -> ValueError {
        self.path_reversed.push(step);
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> &ValueErrorKind {
        &self.kind
    }

    /// The steps from the root to the failing value (empty for the root).
    pub fn path(&self) -> impl Iterator<Item = &PathStep> {
        self.path_reversed.iter().rev()
    }

    /// The path rendered as text (`.tokens[2].id`; empty for the root).
    pub fn path_string(&self) -> String {
        let mut text = String::new();
        for step in self.path() {
            step.render(&mut text);
        }
        text
    }

    /// Shorthand for a [`ValueErrorKind::WrongType`] error.
    pub(crate) fn wrong_type(expected: &super::Type, found: impl Into<String>) -> ValueError {
        ValueError::new(ValueErrorKind::WrongType {
            expected: expected.to_string(),
            found: found.into(),
        })
    }
}

impl From<ValueErrorKind> for ValueError {
    fn from(kind: ValueErrorKind) -> ValueError {
        ValueError::new(kind)
    }
}

impl PathStep {
    fn render(&self, out: &mut String) {
        use fmt::Write as _;
        // Writing into a String cannot fail.
        let _ = match self {
            PathStep::Attribute(name) => write!(out, ".{}", shorten(name)),
            PathStep::Index(index) => write!(out, "[{index}]"),
            PathStep::Key(key) => write!(out, "[{:?}]", shorten(key)),
        };
    }
}

impl fmt::Display for PathStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = String::new();
        self.render(&mut text);
        f.write_str(&text)
    }
}

fn render_location(path_reversed: &[PathStep]) -> String {
    if path_reversed.is_empty() {
        return "the top level".to_owned();
    }
    let mut text = String::new();
    for step in path_reversed.iter().rev() {
        step.render(&mut text);
    }
    text
}

/// Cuts `name` to [`MAX_SHOWN_NAME_CHARS`], marking the cut with `...`.
pub(crate) fn shorten(name: &str) -> String {
    match name.char_indices().nth(MAX_SHOWN_NAME_CHARS) {
        None => name.to_owned(),
        Some((cut, _)) => format!("{}...", name.get(..cut).unwrap_or(name)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_names_kind_and_path() {
        let err = ValueError::new(ValueErrorKind::MissingAttribute("id".into()))
            .at(PathStep::Index(2))
            .at(PathStep::Attribute("tokens".into()));
        assert_eq!(err.to_string(), "missing attribute \"id\" at .tokens[2]");
        assert_eq!(err.path_string(), ".tokens[2]");
        let steps: Vec<_> = err.path().cloned().collect();
        assert_eq!(
            steps,
            vec![PathStep::Attribute("tokens".into()), PathStep::Index(2)]
        );
    }

    #[test]
    fn map_keys_are_quoted_and_long_names_cut() {
        let long = "k".repeat(100);
        let err = ValueError::new(ValueErrorKind::Truncated).at(PathStep::Key(long));
        let text = err.to_string();
        assert!(text.starts_with("unexpected end of input at [\"kkk"));
        assert!(text.ends_with("...\"]"));
        assert!(text.len() < 100);
    }

    #[test]
    fn root_location_is_named() {
        let err = ValueError::new(ValueErrorKind::TrailingBytes(3));
        assert_eq!(
            err.to_string(),
            "3 trailing bytes after the value at the top level"
        );
    }
}
