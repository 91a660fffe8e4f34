//! Attribute paths: where in a configuration or state a value sits.

use std::fmt;

use crate::plugin::protocol::{AttributePath, AttributePathStep};

/// An immutable path from a root attribute to a nested value. Each step
/// returns a new path.
///
/// # Examples
///
/// ```
/// use influxdb3_provider::framework::path::Path;
/// let path = Path::root("tokens").index(2).attribute("id");
/// assert_eq!(path.to_string(), "tokens[2].id");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Path {
    steps: Vec<PathStep>,
}

/// One step of a [`Path`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathStep {
    /// An attribute or block by name.
    Attribute(String),
    /// A list or tuple element by index.
    Index(i64),
    /// A map element by key.
    Key(String),
}

impl Path {
    /// A path to a top-level attribute.
    pub fn root(name: impl Into<String>) -> Self {
        Self {
            steps: vec![PathStep::Attribute(name.into())],
        }
    }

    /// This path, then the attribute `name`.
    pub fn attribute(&self, name: impl Into<String>) -> Self {
        self.with(PathStep::Attribute(name.into()))
    }

    /// This path, then the element at `index`.
    pub fn index(&self, index: i64) -> Self {
        self.with(PathStep::Index(index))
    }

    /// This path, then the map element `key`.
    pub fn key(&self, key: impl Into<String>) -> Self {
        self.with(PathStep::Key(key.into()))
    }

    /// The steps, outermost first.
    pub fn steps(&self) -> &[PathStep] {
        &self.steps
    }

    fn with(&self, step: PathStep) -> Self {
        let mut steps = self.steps.clone();
        steps.push(step);
        Self { steps }
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (position, step) in self.steps.iter().enumerate() {
            match step {
                PathStep::Attribute(name) if position == 0 => write!(f, "{name}")?,
                PathStep::Attribute(name) => write!(f, ".{name}")?,
                PathStep::Index(index) => write!(f, "[{index}]")?,
                PathStep::Key(key) => write!(f, "[{key:?}]")?,
            }
        }
        Ok(())
    }
}

impl From<&Path> for AttributePath {
    fn from(path: &Path) -> Self {
        AttributePath {
            steps: path
                .steps
                .iter()
                .map(|step| match step {
                    PathStep::Attribute(name) => AttributePathStep::AttributeName(name.clone()),
                    PathStep::Index(index) => AttributePathStep::ElementKeyInt(*index),
                    PathStep::Key(key) => AttributePathStep::ElementKeyString(key.clone()),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_and_protocol_form() {
        let path = Path::root("a").key("k").index(0).attribute("b");
        assert_eq!(path.to_string(), "a[\"k\"][0].b");
        let wire = AttributePath::from(&path);
        assert_eq!(
            wire.steps,
            vec![
                AttributePathStep::AttributeName("a".into()),
                AttributePathStep::ElementKeyString("k".into()),
                AttributePathStep::ElementKeyInt(0),
                AttributePathStep::AttributeName("b".into()),
            ]
        );
    }

    #[test]
    fn steps_do_not_mutate_the_parent() {
        let root = Path::root("a");
        let _child = root.attribute("b");
        assert_eq!(root.steps().len(), 1);
    }
}
