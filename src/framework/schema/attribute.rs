//! [`Attribute`]s, their [`AttributeMode`]s, and nested attributes
//! ([`NestedObject`]).

use crate::plugin::protocol;

use super::{PlanModifier, SemanticEquality, Validator};
use crate::framework::value::{Type, Value};

/// Who sets an attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttributeMode {
    /// The configuration must set it.
    Required,
    /// The configuration may set it; null otherwise.
    Optional,
    /// Only the provider sets it.
    Computed,
    /// The configuration may set it; otherwise the provider does.
    OptionalComputed,
}

impl AttributeMode {
    /// Whether the provider may choose the value (computed or optional+computed).
    pub fn is_computed(self) -> bool {
        matches!(
            self,
            AttributeMode::Computed | AttributeMode::OptionalComputed
        )
    }
}

/// One attribute.
///
/// # Examples
///
/// ```
/// use influxdb3_provider::framework::schema::{Attribute, NestedObject, Validator};
/// use influxdb3_provider::framework::value::{Type, Value};
/// let description = Attribute::required("description", Type::String)
///     .description("What the token is for.")
///     .validator(Validator::string_length(1, Some(200)))
///     .requires_replace();
/// assert!(description.is_requires_replace());
///
/// let template = Attribute::optional_nested(
///     "partition_template",
///     NestedObject::list(vec![
///         Attribute::required("type", Type::String),
///         Attribute::required("value", Type::String),
///         Attribute::optional("number_of_buckets", Type::Number),
///     ]),
/// );
/// assert_eq!(
///     template.value_type(),
///     Type::list(Type::object([
///         ("type", Type::String),
///         ("value", Type::String),
///         ("number_of_buckets", Type::Number),
///     ]))
/// );
/// let retention = Attribute::optional_computed("retention_period", Type::String)
///     .default_value(Value::string("0s"));
/// assert_eq!(retention.default, Some(Value::string("0s")));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    /// Name, `^[a-z0-9_]+$`.
    pub name: String,
    /// Its type; for a nested attribute, the type of its value (derived from
    /// `nested`).
    pub ty: Type,
    /// Nested attributes instead of a plain type.
    pub nested: Option<NestedObject>,
    /// Who sets it.
    pub mode: AttributeMode,
    /// Markdown documentation; the single source for the registry docs.
    pub description: String,
    /// Redacted in Terraform's output (still stored in state).
    pub sensitive: bool,
    /// Shown as deprecated.
    pub deprecated: bool,
    /// Run in order on the planned value.
    pub plan_modifiers: Vec<PlanModifier>,
    /// Run on the configured value.
    pub validators: Vec<Validator>,
    /// The planned value when the configuration leaves it null (computed
    /// attributes only).
    pub default: Option<Value>,
    /// When two values mean the same.
    pub semantic_equality: Option<SemanticEquality>,
}

impl Attribute {
    fn new(name: impl Into<String>, ty: Type, mode: AttributeMode) -> Self {
        Self {
            name: name.into(),
            ty,
            nested: None,
            mode,
            description: String::new(),
            sensitive: false,
            deprecated: false,
            plan_modifiers: Vec::new(),
            validators: Vec::new(),
            default: None,
            semantic_equality: None,
        }
    }

    fn new_nested(name: impl Into<String>, nested: NestedObject, mode: AttributeMode) -> Self {
        Self {
            nested: Some(nested.clone()),
            ..Self::new(name, nested.value_type(), mode)
        }
    }

    /// A required attribute.
    pub fn required(name: impl Into<String>, ty: Type) -> Self {
        Self::new(name, ty, AttributeMode::Required)
    }

    /// An optional attribute.
    pub fn optional(name: impl Into<String>, ty: Type) -> Self {
        Self::new(name, ty, AttributeMode::Optional)
    }

    /// A computed attribute.
    pub fn computed(name: impl Into<String>, ty: Type) -> Self {
        Self::new(name, ty, AttributeMode::Computed)
    }

    /// An optional attribute the provider fills when unset.
    pub fn optional_computed(name: impl Into<String>, ty: Type) -> Self {
        Self::new(name, ty, AttributeMode::OptionalComputed)
    }

    /// A required nested attribute.
    pub fn required_nested(name: impl Into<String>, nested: NestedObject) -> Self {
        Self::new_nested(name, nested, AttributeMode::Required)
    }

    /// An optional nested attribute.
    pub fn optional_nested(name: impl Into<String>, nested: NestedObject) -> Self {
        Self::new_nested(name, nested, AttributeMode::Optional)
    }

    /// A computed nested attribute (its nested attributes must be computed).
    pub fn computed_nested(name: impl Into<String>, nested: NestedObject) -> Self {
        Self::new_nested(name, nested, AttributeMode::Computed)
    }

    /// An optional nested attribute the provider fills when unset.
    pub fn optional_computed_nested(name: impl Into<String>, nested: NestedObject) -> Self {
        Self::new_nested(name, nested, AttributeMode::OptionalComputed)
    }

    /// Sets the Markdown description.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = text.into();
        self
    }

    /// Marks it sensitive.
    pub fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }

    /// Marks it deprecated.
    pub fn deprecated(mut self) -> Self {
        self.deprecated = true;
        self
    }

    /// Adds a plan modifier (run after those added before).
    pub fn plan_modifier(mut self, modifier: PlanModifier) -> Self {
        self.plan_modifiers.push(modifier);
        self
    }

    /// A change replaces the resource: [`PlanModifier::RequiresReplace`].
    pub fn requires_replace(self) -> Self {
        self.plan_modifier(PlanModifier::RequiresReplace)
    }

    /// Keeps the prior computed value in plans of updates:
    /// [`PlanModifier::UseStateForUnknown`].
    pub fn use_state_for_unknown(self) -> Self {
        self.plan_modifier(PlanModifier::UseStateForUnknown)
    }

    /// Adds a validator.
    pub fn validator(mut self, validator: Validator) -> Self {
        self.validators.push(validator);
        self
    }

    /// The planned value when the configuration leaves it null.
    pub fn default_value(mut self, value: Value) -> Self {
        self.default = Some(value);
        self
    }

    /// When two values of it mean the same.
    pub fn semantic_equality(mut self, equality: SemanticEquality) -> Self {
        self.semantic_equality = Some(equality);
        self
    }

    /// Whether a change always replaces the resource.
    pub fn is_requires_replace(&self) -> bool {
        self.plan_modifiers.contains(&PlanModifier::RequiresReplace)
    }

    /// Whether the prior value is kept instead of unknown.
    pub fn is_use_state_for_unknown(&self) -> bool {
        self.plan_modifiers
            .contains(&PlanModifier::UseStateForUnknown)
    }

    /// The type of its value.
    pub fn value_type(&self) -> Type {
        match &self.nested {
            Some(nested) => nested.value_type(),
            None => self.ty.clone(),
        }
    }

    pub(super) fn to_protocol(&self) -> protocol::SchemaAttribute {
        protocol::SchemaAttribute {
            name: self.name.clone(),
            type_json: match &self.nested {
                Some(_) => Vec::new(),
                None => self.ty.to_json_bytes(),
            },
            nested_type: self.nested.as_ref().map(NestedObject::to_protocol),
            description: self.description.clone(),
            required: self.mode == AttributeMode::Required,
            optional: matches!(
                self.mode,
                AttributeMode::Optional | AttributeMode::OptionalComputed
            ),
            computed: self.mode.is_computed(),
            sensitive: self.sensitive,
            description_kind: protocol::StringKind::Markdown,
            deprecated: self.deprecated,
            write_only: false,
        }
    }

    pub(super) fn validate(&self, errors: &mut Vec<String>, prefix: &str) {
        let name = format!("{prefix}{}", self.name);
        if self.is_use_state_for_unknown() && !self.mode.is_computed() {
            errors.push(format!(
                "{name}: use_state_for_unknown needs a computed attribute"
            ));
        }
        if let Some(default) = &self.default {
            if !self.mode.is_computed() {
                errors.push(format!("{name}: a default needs a computed attribute"));
            }
            if default.conforms_to(&self.value_type()).is_err() || !default.is_wholly_known() {
                errors.push(format!(
                    "{name}: the default is not a known value of the attribute's type"
                ));
            }
        }
        let Some(nested) = &self.nested else {
            return;
        };
        if nested.nesting == Nesting::Set && contains_dynamic(&nested.object_type()) {
            errors.push(format!(
                "{name}: a set of nested attributes may not contain dynamic types"
            ));
        }
        if self.mode == AttributeMode::Computed
            && let Some(child) = nested
                .attributes
                .iter()
                .find(|child| child.mode != AttributeMode::Computed)
        {
            errors.push(format!(
                "{name}.{}: the nested attributes of a computed attribute must be computed",
                child.name
            ));
        }
        validate_attributes(&nested.attributes, errors, &format!("{name}."));
    }
}

fn contains_dynamic(ty: &Type) -> bool {
    match ty {
        Type::Dynamic => true,
        Type::List(element) | Type::Set(element) | Type::Map(element) => contains_dynamic(element),
        Type::Object(attributes) => attributes.values().any(contains_dynamic),
        Type::Tuple(elements) => elements.iter().any(contains_dynamic),
        _ => false,
    }
}

fn validate_attributes(attributes: &[Attribute], errors: &mut Vec<String>, prefix: &str) {
    let mut seen = std::collections::BTreeSet::new();
    for attribute in attributes {
        check_name(&attribute.name, &mut seen, errors, prefix);
        attribute.validate(errors, prefix);
    }
}

pub(super) fn check_name(
    name: &str,
    seen: &mut std::collections::BTreeSet<String>,
    errors: &mut Vec<String>,
    prefix: &str,
) {
    let valid = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !valid {
        errors.push(format!(
            "{prefix}{name:?} is not a valid name (^[a-z0-9_]+$)"
        ));
    }
    if !seen.insert(name.to_string()) {
        errors.push(format!("{prefix}{name:?} is declared twice"));
    }
}

/// How a nested attribute's objects repeat (protocol `Schema.Object.nesting`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nesting {
    /// One object (or null).
    Single,
    /// A list of objects.
    List,
    /// A set of objects, matched by value.
    Set,
    /// A map of objects by key.
    Map,
}

/// The object of a nested attribute: its attributes and how it repeats.
#[derive(Debug, Clone, PartialEq)]
pub struct NestedObject {
    /// How the objects repeat.
    pub nesting: Nesting,
    /// The attributes of each object.
    pub attributes: Vec<Attribute>,
}

impl NestedObject {
    /// One object of `attributes`.
    pub fn single(attributes: Vec<Attribute>) -> Self {
        Self {
            nesting: Nesting::Single,
            attributes,
        }
    }

    /// A list of objects of `attributes`.
    pub fn list(attributes: Vec<Attribute>) -> Self {
        Self {
            nesting: Nesting::List,
            attributes,
        }
    }

    /// A set of objects of `attributes`.
    pub fn set(attributes: Vec<Attribute>) -> Self {
        Self {
            nesting: Nesting::Set,
            attributes,
        }
    }

    /// A map of objects of `attributes`.
    pub fn map(attributes: Vec<Attribute>) -> Self {
        Self {
            nesting: Nesting::Map,
            attributes,
        }
    }

    /// The type of one object.
    pub fn object_type(&self) -> Type {
        Type::Object(
            self.attributes
                .iter()
                .map(|a| (a.name.clone(), a.value_type()))
                .collect(),
        )
    }

    /// The type of the attribute's value: the object, or a list, set or map
    /// of it.
    pub fn value_type(&self) -> Type {
        let object = self.object_type();
        match self.nesting {
            Nesting::Single => object,
            Nesting::List => Type::list(object),
            Nesting::Set => Type::set(object),
            Nesting::Map => Type::map(object),
        }
    }

    /// The attribute named `name`.
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }

    fn to_protocol(&self) -> protocol::SchemaObject {
        protocol::SchemaObject {
            attributes: self.attributes.iter().map(Attribute::to_protocol).collect(),
            nesting: match self.nesting {
                Nesting::Single => protocol::ObjectNesting::Single,
                Nesting::List => protocol::ObjectNesting::List,
                Nesting::Set => protocol::ObjectNesting::Set,
                Nesting::Map => protocol::ObjectNesting::Map,
            },
        }
    }
}
