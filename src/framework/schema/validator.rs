//! Per-attribute [`Validator`]s, run by the engine in
//! `ValidateResourceConfig` and `ValidateDataResourceConfig` on every known,
//! non-null configuration value of the attribute (at every depth of nested
//! attributes), with the attribute's path on the diagnostic.
//!
//! Messages never repeat the value: it may be a secret.

use std::fmt;
use std::sync::Arc;

use crate::framework::value::Value;

type Check = Arc<dyn Fn(&Value) -> Result<(), String> + Send + Sync>;

/// A check of one attribute's configured value.
///
/// The check returns `Err(message)` where the message completes "Attribute
/// `path` ..." (e.g. `must be 1 to 64 characters long, got 0`).
///
/// # Examples
///
/// ```
/// use influxdb3_provider::framework::schema::Validator;
/// use influxdb3_provider::framework::value::Value;
/// let name = Validator::string_length(1, Some(64));
/// assert!(name.validate(&Value::string("db")).is_ok());
/// assert_eq!(
///     name.validate(&Value::string("")).unwrap_err(),
///     "must be 1 to 64 characters long, got 0"
/// );
/// let kind = Validator::one_of(["tag", "bucket"]);
/// assert!(kind.validate(&Value::string("time")).is_err());
/// ```
#[derive(Clone)]
pub struct Validator {
    description: String,
    check: Check,
}

impl Validator {
    /// A custom check: `check` returns `Err(message)` for a bad value.
    pub fn new(
        description: impl Into<String>,
        check: impl Fn(&Value) -> Result<(), String> + Send + Sync + 'static,
    ) -> Self {
        Self {
            description: description.into(),
            check: Arc::new(check),
        }
    }

    /// A string of `min` to `max` (inclusive; `None`: no limit) characters.
    pub fn string_length(min: usize, max: Option<usize>) -> Self {
        let description = match max {
            Some(max) => format!("string length between {min} and {max}"),
            None => format!("string length at least {min}"),
        };
        Self::new(description, move |value| {
            let Some(text) = value.as_str() else {
                return Ok(());
            };
            let length = text.chars().count();
            if length >= min && max.is_none_or(|max| length <= max) {
                return Ok(());
            }
            Err(match max {
                Some(max) => format!("must be {min} to {max} characters long, got {length}"),
                None => format!("must be at least {min} characters long, got {length}"),
            })
        })
    }

    /// A string accepted by `predicate`; `expected` says what is expected
    /// (`"a lowercase name: letters, digits and _"`).
    pub fn string_matches(
        expected: impl Into<String>,
        predicate: impl Fn(&str) -> bool + Send + Sync + 'static,
    ) -> Self {
        let expected = expected.into();
        let message = format!("must be {expected}");
        Self::new(expected, move |value| match value.as_str() {
            Some(text) if !predicate(text) => Err(message.clone()),
            _ => Ok(()),
        })
    }

    /// A string equal to one of `allowed`.
    pub fn one_of<S: Into<String>>(allowed: impl IntoIterator<Item = S>) -> Self {
        let allowed: Vec<String> = allowed.into_iter().map(Into::into).collect();
        let listed = allowed
            .iter()
            .map(|value| format!("{value:?}"))
            .collect::<Vec<_>>()
            .join(", ");
        let message = format!("must be one of: {listed}");
        Self::new(format!("one of {listed}"), move |value| {
            match value.as_str() {
                Some(text) if !allowed.iter().any(|allowed| allowed == text) => {
                    Err(message.clone())
                }
                _ => Ok(()),
            }
        })
    }

    /// A whole number from `min` to `max` inclusive.
    pub fn int_range(min: i64, max: i64) -> Self {
        Self::new(
            format!("whole number between {min} and {max}"),
            move |value| {
                let Some(number) = value.as_number() else {
                    return Ok(());
                };
                match number.as_i64() {
                    Some(n) if (min..=max).contains(&n) => Ok(()),
                    Some(_) => Err(format!("must be between {min} and {max}")),
                    None => Err(format!("must be a whole number between {min} and {max}")),
                }
            },
        )
    }

    /// What the validator checks.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// Checks a known, non-null value.
    ///
    /// # Errors
    ///
    /// The message for the diagnostic, completing "Attribute `path` ...".
    pub fn validate(&self, value: &Value) -> Result<(), String> {
        (self.check)(value)
    }
}

impl fmt::Debug for Validator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Validator({:?})", self.description)
    }
}

impl PartialEq for Validator {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.check, &other.check)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_length_counts_characters() {
        let validator = Validator::string_length(2, Some(3));
        assert!(validator.validate(&Value::string("éé")).is_ok());
        assert!(validator.validate(&Value::string("abcd")).is_err());
        assert!(
            Validator::string_length(1, None)
                .validate(&Value::string(""))
                .is_err()
        );
        // Other kinds are for other validators.
        assert!(validator.validate(&Value::number(1)).is_ok());
    }

    #[test]
    fn string_matches_uses_the_predicate() {
        let validator =
            Validator::string_matches("lowercase", |s| s.chars().all(|c| c.is_ascii_lowercase()));
        assert!(validator.validate(&Value::string("abc")).is_ok());
        assert_eq!(
            validator.validate(&Value::string("ABC")).unwrap_err(),
            "must be lowercase"
        );
    }

    #[test]
    fn one_of_lists_the_choices_not_the_value() {
        let validator = Validator::one_of(["tag", "bucket"]);
        assert!(validator.validate(&Value::string("tag")).is_ok());
        let message = validator.validate(&Value::string("s3cret")).unwrap_err();
        assert_eq!(message, r#"must be one of: "tag", "bucket""#);
        assert!(!message.contains("s3cret"));
    }

    #[test]
    fn int_range_rejects_out_of_range_and_fractions() {
        let validator = Validator::int_range(1, 10);
        assert!(validator.validate(&Value::number(10)).is_ok());
        assert!(validator.validate(&Value::number(0)).is_err());
        assert!(validator.validate(&Value::number(1.5)).is_err());
    }
}
