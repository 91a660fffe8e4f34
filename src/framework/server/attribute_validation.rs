//! Runs the schema's per-attribute [`Validator`]s on a configuration, at
//! every depth of nested attributes. Null and unknown values are skipped
//! (an unknown value is checked once it is known, at plan or apply).
//!
//! [`Validator`]: crate::framework::schema::Validator

use crate::framework::diag::Diagnostics;
use crate::framework::path::Path;
use crate::framework::schema::{Attribute, Nesting};
use crate::framework::value::Value;

/// Adds an "Invalid Attribute Value" error, on the attribute's path, for
/// every failed validator.
pub(super) fn validate_attributes(
    attributes: &[Attribute],
    config: &Value,
    path: Option<&Path>,
    diagnostics: &mut Diagnostics,
) {
    for attribute in attributes {
        let here = path.map_or_else(
            || Path::root(attribute.name.clone()),
            |path| path.attribute(attribute.name.clone()),
        );
        let Some(value) = config.get_attr(&attribute.name) else {
            continue;
        };
        if value.is_null() || value.is_unknown() {
            continue;
        }
        if value.is_wholly_known() {
            for validator in &attribute.validators {
                if let Err(message) = validator.validate(value) {
                    diagnostics.attribute_error(
                        here.clone(),
                        "Invalid Attribute Value",
                        format!("Attribute {here} {message}."),
                    );
                }
            }
        }
        let Some(nested) = &attribute.nested else {
            continue;
        };
        match (nested.nesting, value) {
            (Nesting::Single, object) => {
                validate_attributes(&nested.attributes, object, Some(&here), diagnostics);
            }
            (Nesting::List, Value::List(elements)) => {
                for (index, element) in elements.iter().enumerate() {
                    let element_path = here.index(index as i64);
                    validate_attributes(
                        &nested.attributes,
                        element,
                        Some(&element_path),
                        diagnostics,
                    );
                }
            }
            (Nesting::Map, Value::Map(entries)) => {
                for (key, element) in entries {
                    let element_path = here.key(key.clone());
                    validate_attributes(
                        &nested.attributes,
                        element,
                        Some(&element_path),
                        diagnostics,
                    );
                }
            }
            // A set element has no path of its own here: report on the set.
            (Nesting::Set, Value::Set(elements)) => {
                for element in elements {
                    validate_attributes(&nested.attributes, element, Some(&here), diagnostics);
                }
            }
            _ => {}
        }
    }
}
