/// A resource, data source or provider schema as sent to Terraform.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Schema {
    /// The schema version; stored with state and passed back to `UpgradeResourceState`.
    pub version: i64,
    /// The top-level block.
    pub block: SchemaBlock,
}

/// A block: attributes and nested blocks.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SchemaBlock {
    /// Unused by Terraform for nested blocks; mirrors the schema version.
    pub version: i64,
    /// The attributes.
    pub attributes: Vec<SchemaAttribute>,
    /// The nested block types.
    pub block_types: Vec<SchemaNestedBlock>,
    /// Documentation.
    pub description: String,
    /// Whether `description` is plain text or Markdown.
    pub description_kind: StringKind,
    /// Whether the whole block is deprecated.
    pub deprecated: bool,
}

/// One attribute of a block.
///
/// Valid combinations of the flags are: required; optional; computed;
/// optional + computed. The framework's schema types only produce these.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SchemaAttribute {
    /// Name, `^[a-z0-9_]+$`.
    pub name: String,
    /// The cty type as JSON bytes (`"string"`, `["list","number"]`); empty when `nested_type` is set.
    pub type_json: Vec<u8>,
    /// Nested attributes instead of a type.
    pub nested_type: Option<SchemaObject>,
    /// Documentation.
    pub description: String,
    /// Must be set in configuration.
    pub required: bool,
    /// May be set in configuration.
    pub optional: bool,
    /// Set by the provider.
    pub computed: bool,
    /// Redacted in Terraform's output.
    pub sensitive: bool,
    /// Whether `description` is plain text or Markdown.
    pub description_kind: StringKind,
    /// Shown as a deprecation warning when used.
    pub deprecated: bool,
    /// Only in configuration, never in state (protocol 6.8+).
    pub write_only: bool,
}

/// Nested attributes of an attribute.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SchemaObject {
    /// The nested attributes.
    pub attributes: Vec<SchemaAttribute>,
    /// How the nested object repeats.
    pub nesting: ObjectNesting,
}

/// A nested block type.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SchemaNestedBlock {
    /// The block's name in configuration.
    pub type_name: String,
    /// Its contents.
    pub block: SchemaBlock,
    /// How it repeats.
    pub nesting: NestedBlockNesting,
    /// Minimum count.
    pub min_items: i64,
    /// Maximum count (0 for no limit).
    pub max_items: i64,
}

/// Nesting of a nested block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NestedBlockNesting {
    /// At most one block, an object or null.
    #[default]
    Single,
    /// An ordered list of blocks.
    List,
    /// A set of blocks.
    Set,
    /// Blocks keyed by a label.
    Map,
    /// Exactly one block, always present.
    Group,
}

/// Nesting of nested attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ObjectNesting {
    /// One object.
    #[default]
    Single,
    /// A list of objects.
    List,
    /// A set of objects.
    Set,
    /// A map of objects.
    Map,
}

/// How a description is formatted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StringKind {
    /// Plain text.
    #[default]
    Plain,
    /// Markdown.
    Markdown,
}
