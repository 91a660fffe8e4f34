//! Decoding and encoding request values by schema, with diagnostics instead
//! of errors. Error texts name the value's role and the path inside it, never
//! the value itself (it may be a secret).

use crate::framework::diag::Diagnostics;
use crate::framework::value::{self, Type, Value};
use crate::plugin::protocol::DynamicValue;

/// Decodes `value` (msgpack, or JSON when only that is set; both empty is null).
pub(super) fn decode(value: &DynamicValue, ty: &Type, role: &str) -> Result<Value, Diagnostics> {
    let decoded = if !value.msgpack.is_empty() {
        value::decode_msgpack(&value.msgpack, ty)
    } else if !value.json.is_empty() {
        value::decode_json(&value.json, ty)
    } else {
        Ok(Value::Null)
    };
    decoded.map_err(|error| {
        let mut diagnostics = Diagnostics::new();
        diagnostics.error(
            "Invalid Value From Terraform",
            format!(
                "The provider could not decode the {role} Terraform sent: {error}. \
                 This is a bug in the provider or Terraform; please report it."
            ),
        );
        diagnostics
    })
}

/// Encodes `value` as msgpack for Terraform.
pub(super) fn encode(value: &Value, ty: &Type, role: &str) -> Result<DynamicValue, Diagnostics> {
    value::encode_msgpack(value, ty).map(DynamicValue::msgpack).map_err(|error| {
        let mut diagnostics = Diagnostics::new();
        diagnostics.error(
            "Provider Produced An Invalid Value",
            format!("The provider could not encode the {role}: {error}. This is a bug in the provider."),
        );
        diagnostics
    })
}

/// Checks that a value returned to Terraform holds no unknowns.
pub(super) fn require_wholly_known(
    value: &Value,
    role: &str,
    diagnostics: &mut Diagnostics,
) -> bool {
    if value.is_wholly_known() {
        return true;
    }
    diagnostics.error(
        "Provider Produced An Invalid Value",
        format!("The {role} contains unknown values. This is a bug in the provider."),
    );
    false
}
