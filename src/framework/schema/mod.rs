//! Schemas: the attributes of a provider, resource or data source, how
//! Terraform treats them, and how the framework plans and validates them.
//!
//! The types make Terraform's schema rules hold by construction: an
//! attribute's [`AttributeMode`] is one of the four valid combinations of
//! required / optional / computed, and [`Schema::validate`] checks names
//! (`^[a-z0-9_]+$`, unique) and the rules below in a unit test of every
//! schema.
//!
//! An attribute is either of a plain [`Type`] or a nested object of
//! attributes ([`NestedObject`], protocol `Schema.Object`) repeated as one
//! object, a list, a set or a map: nested attributes keep their own mode,
//! sensitivity, plan modifiers, validators and defaults, unlike a
//! `list(object(...))` type whose object attributes are all required.
//!
//! Per attribute, the engine runs:
//! - [`Validator`]s in `ValidateResourceConfig` / `ValidateDataResourceConfig`
//!   on known, non-null configured values;
//! - a [`Attribute::default`] value when an optional+computed (or computed)
//!   attribute is null in the configuration;
//! - [`SemanticEquality`]: a configured value that means the same as the prior
//!   state's keeps the prior value (no change), and read/apply results that
//!   mean the same as Terraform's value keep Terraform's spelling;
//! - [`PlanModifier`]s (`RequiresReplace`, `RequiresReplaceIf`,
//!   `UseStateForUnknown`, custom) after the plan is computed.

use std::collections::BTreeMap;

use crate::plugin::protocol;

use super::value::Type;

mod attribute;
mod plan_modifier;
mod validator;

use attribute::check_name;
pub use attribute::{Attribute, AttributeMode, NestedObject, Nesting};
pub use plan_modifier::{AttributePlan, PlanModifier, SemanticEquality};
pub use validator::Validator;

/// How a nested block repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockNesting {
    /// Zero or one block.
    Single,
    /// An ordered list of blocks.
    List,
    /// A set of blocks.
    Set,
}

/// A nested block type.
#[derive(Debug, Clone, PartialEq)]
pub struct NestedBlock {
    /// Its name in configuration.
    pub name: String,
    /// How it repeats.
    pub nesting: BlockNesting,
    /// Its contents.
    pub block: Block,
}

/// A block: attributes and nested blocks.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Block {
    /// Markdown documentation.
    pub description: String,
    /// The attributes, in documentation order.
    pub attributes: Vec<Attribute>,
    /// The nested block types.
    pub blocks: Vec<NestedBlock>,
}

impl Block {
    /// The object type of a value of this block.
    pub fn value_type(&self) -> Type {
        let mut attributes: BTreeMap<String, Type> = self
            .attributes
            .iter()
            .map(|a| (a.name.clone(), a.value_type()))
            .collect();
        for nested in &self.blocks {
            let object = nested.block.value_type();
            let ty = match nested.nesting {
                BlockNesting::Single => object,
                BlockNesting::List => Type::List(Box::new(object)),
                BlockNesting::Set => Type::Set(Box::new(object)),
            };
            attributes.insert(nested.name.clone(), ty);
        }
        Type::Object(attributes)
    }

    /// The attribute named `name`.
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }

    fn to_protocol(&self, version: i64) -> protocol::SchemaBlock {
        protocol::SchemaBlock {
            version,
            attributes: self.attributes.iter().map(Attribute::to_protocol).collect(),
            block_types: self
                .blocks
                .iter()
                .map(|nested| protocol::SchemaNestedBlock {
                    type_name: nested.name.clone(),
                    block: nested.block.to_protocol(version),
                    nesting: match nested.nesting {
                        BlockNesting::Single => protocol::NestedBlockNesting::Single,
                        BlockNesting::List => protocol::NestedBlockNesting::List,
                        BlockNesting::Set => protocol::NestedBlockNesting::Set,
                    },
                    min_items: 0,
                    max_items: if nested.nesting == BlockNesting::Single {
                        1
                    } else {
                        0
                    },
                })
                .collect(),
            description: self.description.clone(),
            description_kind: protocol::StringKind::Markdown,
            deprecated: false,
        }
    }

    fn validate(&self, errors: &mut Vec<String>, prefix: &str) {
        let mut seen = std::collections::BTreeSet::new();
        for attribute in &self.attributes {
            check_name(&attribute.name, &mut seen, errors, prefix);
            attribute.validate(errors, prefix);
        }
        for nested in &self.blocks {
            check_name(&nested.name, &mut seen, errors, prefix);
            nested
                .block
                .validate(errors, &format!("{prefix}{}.", nested.name));
        }
    }
}

/// A versioned schema.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Schema {
    /// Stored with state; bump it when stored state needs an upgrade.
    pub version: i64,
    /// The top-level block.
    pub block: Block,
}

impl Schema {
    /// A schema of top-level attributes.
    pub fn new(version: i64, description: impl Into<String>, attributes: Vec<Attribute>) -> Self {
        Self {
            version,
            block: Block {
                description: description.into(),
                attributes,
                blocks: Vec::new(),
            },
        }
    }

    /// The object type of a value of this schema.
    pub fn value_type(&self) -> Type {
        self.block.value_type()
    }

    /// The top-level attribute named `name`.
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.block.attribute(name)
    }

    /// Checks the rules Terraform applies when it loads a schema; every
    /// schema of the provider is checked by a unit test.
    pub fn validate(&self) -> Result<(), Vec<String>> {
        let mut errors = Vec::new();
        if self.version < 0 {
            errors.push("negative schema version".to_string());
        }
        self.block.validate(&mut errors, "");
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// The protocol form.
    pub fn to_protocol(&self) -> protocol::Schema {
        protocol::Schema {
            version: self.version,
            block: self.block.to_protocol(self.version),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::value::Value;

    fn sample() -> Schema {
        Schema::new(
            1,
            "A thing.",
            vec![
                Attribute::required("description", Type::String).requires_replace(),
                Attribute::optional("expires_at", Type::String),
                Attribute::computed("id", Type::String).use_state_for_unknown(),
                Attribute::computed("access_token", Type::String).sensitive(),
                Attribute::optional_computed("labels", Type::map(Type::String)),
            ],
        )
    }

    #[test]
    fn protocol_flags_follow_modes() {
        let wire = sample().to_protocol();
        let flags: Vec<(String, bool, bool, bool, bool)> = wire
            .block
            .attributes
            .iter()
            .map(|a| {
                (
                    a.name.clone(),
                    a.required,
                    a.optional,
                    a.computed,
                    a.sensitive,
                )
            })
            .collect();
        assert_eq!(
            flags,
            vec![
                ("description".into(), true, false, false, false),
                ("expires_at".into(), false, true, false, false),
                ("id".into(), false, false, true, false),
                ("access_token".into(), false, false, true, true),
                ("labels".into(), false, true, true, false),
            ]
        );
        assert_eq!(wire.version, 1);
        assert_eq!(
            wire.block.attributes[4].type_json,
            br#"["map","string"]"#.to_vec()
        );
    }

    #[test]
    fn value_type_is_an_object_of_all_attributes() {
        let Type::Object(attributes) = sample().value_type() else {
            panic!("not an object")
        };
        assert_eq!(attributes.len(), 5);
        assert_eq!(attributes["id"], Type::String);
    }

    #[test]
    fn validate_rejects_bad_and_duplicate_names() {
        assert!(sample().validate().is_ok());
        let bad = Schema::new(
            0,
            "",
            vec![
                Attribute::required("Bad-Name", Type::String),
                Attribute::required("x", Type::String),
                Attribute::optional("x", Type::String),
                Attribute::optional("y", Type::String).use_state_for_unknown(),
            ],
        );
        let errors = bad.validate().unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:?}");
    }

    fn partition_template() -> Attribute {
        Attribute::optional_nested(
            "partition_template",
            NestedObject::list(vec![
                Attribute::required("type", Type::String),
                Attribute::required("value", Type::String).sensitive(),
                Attribute::optional("number_of_buckets", Type::Number),
            ]),
        )
        .requires_replace()
    }

    #[test]
    fn nested_attribute_protocol_form_has_nested_type_and_no_type() {
        let schema = Schema::new(0, "", vec![partition_template()]);
        assert!(schema.validate().is_ok());
        let wire = schema.to_protocol();
        let attribute = &wire.block.attributes[0];
        assert!(attribute.type_json.is_empty());
        assert!(attribute.optional && !attribute.required && !attribute.computed);
        let nested = attribute.nested_type.as_ref().unwrap();
        assert_eq!(nested.nesting, protocol::ObjectNesting::List);
        let flags: Vec<(&str, bool, bool, bool)> = nested
            .attributes
            .iter()
            .map(|a| (a.name.as_str(), a.required, a.optional, a.sensitive))
            .collect();
        assert_eq!(
            flags,
            vec![
                ("type", true, false, false),
                ("value", true, false, true),
                ("number_of_buckets", false, true, false),
            ]
        );
        assert_eq!(nested.attributes[2].type_json, br#""number""#.to_vec());
    }

    #[test]
    fn nested_value_types_follow_the_nesting() {
        let attributes = || vec![Attribute::required("a", Type::String)];
        let object = Type::object([("a", Type::String)]);
        assert_eq!(NestedObject::single(attributes()).value_type(), object);
        assert_eq!(
            NestedObject::set(attributes()).value_type(),
            Type::set(object.clone())
        );
        assert_eq!(
            NestedObject::map(attributes()).value_type(),
            Type::map(object.clone())
        );
        let schema = Schema::new(0, "", vec![partition_template()]);
        let Type::Object(attributes) = schema.value_type() else {
            panic!("not an object")
        };
        assert_eq!(attributes["partition_template"], partition_template().ty);
    }

    #[test]
    fn validate_checks_nested_names_and_rules() {
        let bad = Schema::new(
            0,
            "",
            vec![
                Attribute::optional_nested(
                    "things",
                    NestedObject::set(vec![
                        Attribute::required("Bad", Type::String),
                        Attribute::required("x", Type::String),
                        Attribute::required("x", Type::String),
                        Attribute::optional("any", Type::Dynamic),
                        Attribute::optional("d", Type::String).default_value(Value::string("a")),
                    ]),
                ),
                Attribute::computed_nested(
                    "facts",
                    NestedObject::single(vec![Attribute::optional("y", Type::String)]),
                ),
                Attribute::optional_computed("n", Type::Number).default_value(Value::string("x")),
            ],
        );
        let errors = bad.validate().unwrap_err();
        let expected = [
            "things: a set of nested attributes may not contain dynamic types",
            "things.\"Bad\" is not a valid name (^[a-z0-9_]+$)",
            "things.\"x\" is declared twice",
            "things.d: a default needs a computed attribute",
            "facts.y: the nested attributes of a computed attribute must be computed",
            "n: the default is not a known value of the attribute's type",
        ];
        for message in expected {
            assert!(
                errors.iter().any(|e| e == message),
                "{message} not in {errors:?}"
            );
        }
        assert_eq!(errors.len(), expected.len(), "{errors:?}");
    }

    #[test]
    fn shorthands_are_plan_modifiers() {
        let attribute = Attribute::computed("id", Type::String)
            .use_state_for_unknown()
            .requires_replace();
        assert_eq!(
            attribute.plan_modifiers,
            vec![
                PlanModifier::UseStateForUnknown,
                PlanModifier::RequiresReplace
            ]
        );
        assert!(attribute.is_requires_replace() && attribute.is_use_state_for_unknown());
    }
}
