//! The state model of `influxdb3_database_token` (schema version 0), its
//! permissions, and their conversions from and to the API's types. Shared
//! with the data sources, the ephemeral resource and the list resource.

use crate::api::{
    ACTION_READ, ACTION_WRITE, ALL_DATABASES, DatabaseToken, DatabaseTokenPermission, Secret,
};
use crate::framework::model::{Model, SetOf, ToValue};
use crate::framework::schema::{Attribute, NestedObject, Validator};
use crate::framework::value::{Type, Value};

use super::token_rules::{format_time, parse_time};

/// The longest database name the API accepts.
const MAX_DATABASE_NAME_CHARS: usize = 64;

/// Whether `name` is a database name the API accepts in a permission: 1 to 64
/// letters, digits, `_`, `-` and `/`, starting with a letter or digit.
pub(crate) fn is_database_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_DATABASE_NAME_CHARS
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'-' | b'/'))
}

crate::model! {
    /// One permission: an action on a database, or on every database (`*`).
    pub(crate) struct PermissionModel {
        pub(crate) action: String => |name| Attribute::required(name, Type::String)
            .validator(Validator::one_of([ACTION_READ, ACTION_WRITE]))
            .description("`read` (queries) or `write` (writes)."),
        pub(crate) resource: String => |name| Attribute::required(name, Type::String)
            .validator(Validator::string_matches(
                "\"*\" (every database) or a database name: 1 to 64 letters, digits, '_', '-' \
                 and '/', starting with a letter or a digit",
                |text| text == ALL_DATABASES || is_database_name(text),
            ))
            .description("The database name, or `*` for every database of the cluster."),
    }
}

/// The `permissions` attribute (a set of [`PermissionModel`]) with `mode`.
pub(crate) fn permissions_nested() -> NestedObject {
    NestedObject::set(PermissionModel::attributes())
}

pub(crate) fn to_api_permissions(
    permissions: &SetOf<PermissionModel>,
) -> Vec<DatabaseTokenPermission> {
    permissions
        .0
        .iter()
        .map(|permission| DatabaseTokenPermission {
            action: permission.action.clone(),
            resource: permission.resource.clone(),
        })
        .collect()
}

/// The permissions of a token as the schema's set.
pub(crate) fn from_api_permissions(
    permissions: &[DatabaseTokenPermission],
) -> SetOf<PermissionModel> {
    SetOf(
        permissions
            .iter()
            .map(|permission| PermissionModel {
                action: permission.action.clone(),
                resource: permission.resource.clone(),
            })
            .collect(),
    )
}

crate::model! {
    /// The state of one database token, schema version 0.
    pub(crate) struct DatabaseTokenModelV0 {
        pub(crate) description: String => |name| Attribute::required(name, Type::String)
            .description("What the token is for, 1 to 255 characters. Changes in place."),
        pub(crate) permissions: SetOf<PermissionModel> => |name| Attribute::required_nested(
                name,
                permissions_nested(),
            )
            .description(
                "What the token may do: a set of `{ action, resource }` objects. `[]` is a token \
                 that may do nothing. Changes in place.",
            ),
        pub(crate) expires_at: Option<String> => |name| Attribute::optional(name, Type::String)
            .requires_replace()
            .description(
                "When the token stops working, as an RFC 3339 timestamp (`2030-01-01T00:00:00Z`). \
                 Must be in the future when the token is created. Unset means it never expires. \
                 Changing it replaces the token.",
            ),
        pub(crate) id: String => |name| Attribute::computed(name, Type::String)
            .use_state_for_unknown()
            .description("The token's id (a UUID)."),
        pub(crate) access_token: Option<Secret> => |name| Attribute::computed(name, Type::String)
            .sensitive()
            .use_state_for_unknown()
            .description(
                "The secret token string, for the InfluxDB 3 query and write APIs. Only known to \
                 resources that created the token: it is null after `terraform import`.",
            ),
        pub(crate) created_at: String => |name| Attribute::computed(name, Type::String)
            .use_state_for_unknown()
            .description("When the token was created (RFC 3339)."),
        pub(crate) account_id: Option<String> => |name| Attribute::computed(name, Type::String)
            .use_state_for_unknown()
            .description("The Cloud Dedicated account of the token; null on Clustered."),
        pub(crate) cluster_id: Option<String> => |name| Attribute::computed(name, Type::String)
            .use_state_for_unknown()
            .description("The Cloud Dedicated cluster of the token; null on Clustered."),
    }
}

impl DatabaseTokenModelV0 {
    pub(crate) fn from_api(
        token: &DatabaseToken,
        expires_at_as_written: Option<&str>,
        access_token: Option<Secret>,
    ) -> Self {
        Self {
            description: token.description.clone(),
            permissions: from_api_permissions(&token.permissions),
            expires_at: token.expires_at.map(|api_expiry| {
                // Keep the user's spelling of the same instant, so the plan stays empty.
                match expires_at_as_written {
                    Some(written) if parse_time(written) == Some(api_expiry) => written.to_string(),
                    _ => format_time(api_expiry),
                }
            }),
            id: token.id.to_string(),
            access_token,
            created_at: format_time(token.created_at),
            account_id: token.account_id.map(|id| id.to_string()),
            cluster_id: token.cluster_id.map(|id| id.to_string()),
        }
    }
}

/// The state of a token as a listing (`terraform query`) shows it: no secret.
pub(crate) fn listed_state(token: &DatabaseToken) -> Value {
    DatabaseTokenModelV0::from_api(token, None, None).to_value()
}

/// The state of a token as the resource keeps it.
pub(crate) fn state(
    token: &DatabaseToken,
    expires_at_as_written: Option<&str>,
    access_token: Option<Secret>,
) -> Value {
    DatabaseTokenModelV0::from_api(token, expires_at_as_written, access_token).to_value()
}

/// Whether two permission lists hold the same permissions, in any order.
pub(crate) fn same_permissions(
    a: &[DatabaseTokenPermission],
    b: &[DatabaseTokenPermission],
) -> bool {
    let set = |list: &[DatabaseTokenPermission]| {
        list.iter()
            .map(|p| (p.action.clone(), p.resource.clone()))
            .collect::<std::collections::BTreeSet<_>>()
    };
    set(a) == set(b)
}

crate::model! {
    /// The arguments of the configuration (wholly known at create and update).
    pub(crate) struct DatabaseTokenConfig {
        pub(crate) description: String => |name| Attribute::required(name, Type::String),
        pub(crate) permissions: SetOf<PermissionModel> => |name| Attribute::required_nested(name, permissions_nested()),
        pub(crate) expires_at: Option<String> => |name| Attribute::optional(name, Type::String),
        pub(crate) id: Value => |name| Attribute::computed(name, Type::String),
        pub(crate) access_token: Value => |name| Attribute::computed(name, Type::String),
        pub(crate) created_at: Value => |name| Attribute::computed(name, Type::String),
        pub(crate) account_id: Value => |name| Attribute::computed(name, Type::String),
        pub(crate) cluster_id: Value => |name| Attribute::computed(name, Type::String),
    }
}
