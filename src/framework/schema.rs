//! Schemas: the attributes of a provider, resource or data source, how
//! Terraform treats them, and how the framework plans them.
//!
//! The types make Terraform's schema rules hold by construction: an
//! attribute's [`AttributeMode`] is one of the four valid combinations of
//! required / optional / computed, and [`Schema::validate`] checks names
//! (`^[a-z0-9_]+$`, unique) in a unit test of every schema.

use std::collections::BTreeMap;

use crate::plugin::protocol;

use super::value::Type;

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
/// use influxdb3_provider::framework::schema::Attribute;
/// use influxdb3_provider::framework::value::Type;
/// let description = Attribute::required("description", Type::String)
///     .description("What the token is for.")
///     .requires_replace();
/// assert!(description.plan_requires_replace);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    /// Name, `^[a-z0-9_]+$`.
    pub name: String,
    /// Its type.
    pub ty: Type,
    /// Who sets it.
    pub mode: AttributeMode,
    /// Markdown documentation; the single source for the registry docs.
    pub description: String,
    /// Redacted in Terraform's output (still stored in state).
    pub sensitive: bool,
    /// Shown as deprecated.
    pub deprecated: bool,
    /// A change to it replaces the resource (there is no in-place update).
    pub plan_requires_replace: bool,
    /// A computed value that never changes once set: the plan keeps the
    /// prior value instead of marking it unknown on updates.
    pub plan_use_state_for_unknown: bool,
}

impl Attribute {
    fn new(name: impl Into<String>, ty: Type, mode: AttributeMode) -> Self {
        Self {
            name: name.into(),
            ty,
            mode,
            description: String::new(),
            sensitive: false,
            deprecated: false,
            plan_requires_replace: false,
            plan_use_state_for_unknown: false,
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

    /// A change replaces the resource.
    pub fn requires_replace(mut self) -> Self {
        self.plan_requires_replace = true;
        self
    }

    /// Keeps the prior computed value in plans of updates.
    pub fn use_state_for_unknown(mut self) -> Self {
        self.plan_use_state_for_unknown = true;
        self
    }

    fn to_protocol(&self) -> protocol::SchemaAttribute {
        protocol::SchemaAttribute {
            name: self.name.clone(),
            type_json: self.ty.to_json_bytes(),
            nested_type: None,
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
}

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
            .map(|a| (a.name.clone(), a.ty.clone()))
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
        let names = self
            .attributes
            .iter()
            .map(|a| &a.name)
            .chain(self.blocks.iter().map(|b| &b.name));
        for name in names {
            let valid = !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            if !valid {
                errors.push(format!(
                    "{prefix}{name:?} is not a valid name (^[a-z0-9_]+$)"
                ));
            }
            if !seen.insert(name.clone()) {
                errors.push(format!("{prefix}{name:?} is declared twice"));
            }
        }
        for attribute in &self.attributes {
            if attribute.plan_use_state_for_unknown && !attribute.mode.is_computed() {
                errors.push(format!(
                    "{prefix}{}: use_state_for_unknown needs a computed attribute",
                    attribute.name
                ));
            }
        }
        for nested in &self.blocks {
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
}
