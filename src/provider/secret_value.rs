//! How a [`Secret`] becomes a Terraform value and back: the one place where
//! the provider exposes a secret to store it (sensitive) in state.

use crate::api::Secret;
use crate::framework::diag::Diagnostic;
use crate::framework::model::{FromValue, ToValue};
use crate::framework::path::Path;
use crate::framework::value::Value;

impl FromValue for Secret {
    fn from_value(value: &Value, path: Option<&Path>) -> Result<Self, Diagnostic> {
        String::from_value(value, path).map(Secret::from)
    }
}

impl ToValue for Secret {
    fn to_value(&self) -> Value {
        // Stored in state (the attribute is sensitive): where a secret may go.
        Value::string(self.expose())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_round_trips_through_a_value() {
        let value = Secret::new("M.V1.secret").to_value();
        assert_eq!(value.as_str(), Some("M.V1.secret"));
        let back = Secret::from_value(&value, None).expect("a string");
        assert_eq!(back.expose(), "M.V1.secret");
        assert!(Secret::from_value(&Value::Null, None).is_err());
    }
}
