/// How serious a [`Diagnostic`] is. Any error aborts the operation in Terraform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Severity {
    /// The operation failed.
    Error,
    /// Shown to the user; the operation goes on.
    Warning,
}

/// A message for the Terraform user, optionally attached to one attribute.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A short headline in Title Case.
    pub summary: String,
    /// What happened, what to do about it, and the original error.
    pub detail: String,
    /// The attribute at fault, when there is one.
    pub attribute: Option<AttributePath>,
}

/// A path from the root of a block to one attribute or element.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct AttributePath {
    /// The steps, outermost first.
    pub steps: Vec<AttributePathStep>,
}

/// One step of an [`AttributePath`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AttributePathStep {
    /// An attribute or nested block by name.
    AttributeName(String),
    /// A map element by key.
    ElementKeyString(String),
    /// A list or tuple element by index.
    ElementKeyInt(i64),
}
