//! Diagnostics: what the Terraform user sees when something is wrong.

use crate::plugin::protocol::{self, Severity};

use super::path::Path;

/// One diagnostic: severity, a short Title Case summary, a detail that says
/// what happened and what to do, and optionally the attribute at fault.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Short, Title Case.
    pub summary: String,
    /// What happened, what the user can do, the original error last.
    pub detail: String,
    /// The attribute at fault.
    pub path: Option<Path>,
}

impl Diagnostic {
    /// An error not tied to one attribute.
    pub fn error(summary: impl Into<String>, detail: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            summary: summary.into(),
            detail: detail.into(),
            path: None,
        }
    }

    /// An error on the attribute at `path`.
    pub fn attribute_error(
        path: Path,
        summary: impl Into<String>,
        detail: impl Into<String>,
    ) -> Self {
        Self {
            path: Some(path),
            ..Self::error(summary, detail)
        }
    }

    /// A warning not tied to one attribute.
    pub fn warning(summary: impl Into<String>, detail: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(summary, detail)
        }
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// An ordered, de-duplicated collection of [`Diagnostic`]s.
///
/// # Examples
///
/// ```
/// use influxdb3_provider::framework::diag::{Diagnostic, Diagnostics};
/// use influxdb3_provider::framework::path::Path;
/// let mut diagnostics = Diagnostics::new();
/// diagnostics.push(Diagnostic::attribute_error(Path::root("description"), "Invalid Description", "It is blank."));
/// diagnostics.push(Diagnostic::attribute_error(Path::root("description"), "Invalid Description", "It is blank."));
/// assert_eq!(diagnostics.len(), 1);
/// assert!(diagnostics.has_error());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// No diagnostics.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `diagnostic` unless an equal one is already there.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        if !self.items.contains(&diagnostic) {
            self.items.push(diagnostic);
        }
    }

    /// Adds an error not tied to an attribute.
    pub fn error(&mut self, summary: impl Into<String>, detail: impl Into<String>) {
        self.push(Diagnostic::error(summary, detail));
    }

    /// Adds an error on the attribute at `path`.
    pub fn attribute_error(
        &mut self,
        path: Path,
        summary: impl Into<String>,
        detail: impl Into<String>,
    ) {
        self.push(Diagnostic::attribute_error(path, summary, detail));
    }

    /// Adds all of `other`.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        for diagnostic in other {
            self.push(diagnostic);
        }
    }

    /// Whether any diagnostic is an error.
    pub fn has_error(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Iterates over them.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.items.iter()
    }

    /// The protocol form.
    pub fn into_protocol(self) -> Vec<protocol::Diagnostic> {
        self.items
            .into_iter()
            .map(|diagnostic| protocol::Diagnostic {
                severity: diagnostic.severity,
                summary: diagnostic.summary,
                detail: diagnostic.detail,
                attribute: diagnostic.path.as_ref().map(protocol::AttributePath::from),
            })
            .collect()
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Self {
            items: vec![diagnostic],
        }
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl Extend<Diagnostic> for Diagnostics {
    fn extend<T: IntoIterator<Item = Diagnostic>>(&mut self, iter: T) {
        Diagnostics::extend(self, iter);
    }
}
