//! The permissions of an Enterprise resource token, written as strings in the
//! form `influxdb3 create token --permission` takes: `RESOURCE_TYPE:NAMES:ACTIONS`,
//! e.g. `db:sensors,metrics:read,write` or `system:*:read`. One string becomes
//! one permission object of the create request.

use crate::api::v3::TokenPermission;
use crate::framework::diag::Diagnostics;
use crate::framework::path::Path;
use crate::framework::value::Value;

/// The resource types the API knows.
const RESOURCE_TYPES: [&str; 2] = ["db", "system"];

/// The known strings of the `permissions` attribute of `value`.
pub(crate) fn permission_strings(value: &Value) -> Vec<String> {
    value
        .get_attr("permissions")
        .and_then(Value::as_elements)
        .map(|elements| {
            elements
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// Checks the `permissions` of a configuration (the resource token's and the
/// ephemeral one's): at least one, each one parses; problems on `permissions`.
pub(crate) fn validate_permissions(config: &Value, diagnostics: &mut Diagnostics) {
    if let Some(elements) = config.get_attr("permissions").and_then(Value::as_elements)
        && elements.is_empty()
    {
        diagnostics.attribute_error(
            Path::root("permissions"),
            "Invalid Permissions",
            "Give the token at least one permission, e.g. \"db:sensors:read\".",
        );
    }
    for text in permission_strings(config) {
        if let Err(problem) = parse_permission(&text) {
            diagnostics.attribute_error(Path::root("permissions"), "Invalid Permission", problem);
        }
    }
}

/// Parses one permission string.
pub(crate) fn parse_permission(text: &str) -> Result<TokenPermission, String> {
    let parts: Vec<&str> = text.split(':').collect();
    let [resource_type, names, actions] = parts.as_slice() else {
        return Err(format!(
            "{text:?} is not a permission: write RESOURCE_TYPE:NAMES:ACTIONS, for example \
             \"db:sensors:read,write\" or \"system:*:read\"."
        ));
    };
    if !RESOURCE_TYPES.contains(resource_type) {
        return Err(format!(
            "{text:?}: unknown resource type {resource_type:?}; use \"db\" or \"system\"."
        ));
    }
    let resource_names: Vec<String> = names.split(',').map(str::to_owned).collect();
    if resource_names.iter().any(|name| name.trim().is_empty()) {
        return Err(format!(
            "{text:?}: name at least one resource between the colons (or \"*\" for all), \
             separated by commas without blanks."
        ));
    }
    let mut granted: Vec<String> = Vec::new();
    for action in actions.split(',') {
        let expanded: &[&str] = match action {
            "read" => &["read"],
            "write" => &["write"],
            "*" => &["read", "write"],
            other => {
                return Err(format!(
                    "{text:?}: unknown permission action {other:?}; use \"read\", \"write\" \
                     or \"*\" (both)."
                ));
            }
        };
        for action in expanded {
            if !granted.iter().any(|known| known == action) {
                granted.push((*action).to_owned());
            }
        }
    }
    Ok(TokenPermission {
        resource_type: (*resource_type).to_owned(),
        resource_names,
        actions: granted,
    })
}

/// The string form of a permission, as [`parse_permission`] reads it.
pub(crate) fn format_permission(permission: &TokenPermission) -> String {
    format!(
        "{}:{}:{}",
        permission.resource_type,
        permission.resource_names.join(","),
        permission.actions.join(",")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_cli_form() {
        let permission = parse_permission("db:sensors,metrics:read,write").unwrap();
        assert_eq!(permission.resource_type, "db");
        assert_eq!(permission.resource_names, vec!["sensors", "metrics"]);
        assert_eq!(permission.actions, vec!["read", "write"]);
        assert_eq!(
            format_permission(&permission),
            "db:sensors,metrics:read,write"
        );
        assert_eq!(
            parse_permission("system:*:*").unwrap().actions,
            vec!["read", "write"]
        );
    }

    #[test]
    fn refuses_bad_permissions_with_a_reason() {
        for (bad, reason) in [
            ("db:sensors:delete", "unknown permission action \"delete\""),
            ("table:x:read", "unknown resource type"),
            ("db::read", "name at least one resource"),
            ("db:a,:read", "name at least one resource"),
            ("db:sensors", "is not a permission"),
            ("", "is not a permission"),
        ] {
            let problem = parse_permission(bad).unwrap_err();
            assert!(problem.contains(reason), "{bad}: {problem}");
        }
    }
}
