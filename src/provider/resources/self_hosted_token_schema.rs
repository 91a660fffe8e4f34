//! The schema of the two self-hosted token resources (see `self_hosted_token`).

use crate::framework::schema::{Attribute, Schema};
use crate::framework::value::Type;

use super::self_hosted_token::TokenKind;

/// The schema of either token resource; descriptions are the single source of
/// the docs.
pub(crate) fn schema(kind: TokenKind) -> Schema {
    let description = match kind {
        TokenKind::Admin => {
            "A named admin token of a self-hosted InfluxDB 3 Core or Enterprise server \
             (`product = \"core\"` or `\"enterprise\"`). Creating the resource mints the token and \
             keeps its secret in state (marked sensitive); destroying it deletes the token. A \
             token deleted outside Terraform, or expired, shows up as gone and is created again \
             on the next apply. Any change to an argument replaces the token. Import with the \
             token's name."
        }
        TokenKind::Resource => {
            "A resource token with per-database (or system) permissions of a self-hosted InfluxDB \
             3 Enterprise server (`product = \"enterprise\"`); InfluxDB 3 Core has no resource \
             tokens, and a plan for one on Core fails. Creating the resource mints the token and \
             keeps its secret in state (marked sensitive); destroying it deletes the token. A \
             token deleted outside Terraform, or expired, shows up as gone and is created again \
             on the next apply. Any change to an argument replaces the token. Import with the \
             token's name."
        }
    };
    let mut attributes = vec![
        Attribute::required("name", Type::String)
            .requires_replace()
            .description(
                "The token's name, unique on the server; also the import id. Changing it \
                 replaces the token.",
            ),
        Attribute::optional("expiry_secs", Type::Number)
            .requires_replace()
            .description(
                "Seconds from creation until the token expires (0 or more). Unset means it never \
                 expires. Changing it replaces the token. Not known after an import: set it in \
                 the configuration only for a token created by Terraform, or the plan replaces \
                 the imported token.",
            ),
    ];
    if kind == TokenKind::Resource {
        attributes.push(
            Attribute::required("permissions", Type::set(Type::String))
                .requires_replace()
                .description(
                    "What the token may do, each as `RESOURCE_TYPE:NAMES:ACTIONS` (the form of \
                     `influxdb3 create token --permission`): `db:sensors:read`, \
                     `db:sensors,metrics:read,write`, `db:*:write`, `system:*:read`. Resource \
                     types are `db` and `system`; actions `read`, `write`, or `*` for both. \
                     Changing them replaces the token.",
                ),
        );
    }
    attributes.extend([
        Attribute::computed("id", Type::String)
            .use_state_for_unknown()
            .description("The token's name."),
        Attribute::computed("token_id", Type::Number)
            .use_state_for_unknown()
            .description("The server's numeric id of the token."),
        Attribute::computed("token", Type::String)
            .sensitive()
            .use_state_for_unknown()
            .description(
                "The secret, returned once at creation; null after an import. Use it as \
                 `Authorization: Bearer`.",
            ),
        Attribute::computed("created_at", Type::String)
            .use_state_for_unknown()
            .description("When the token was created (RFC 3339)."),
        Attribute::computed("expires_at", Type::String)
            .use_state_for_unknown()
            .description("When the token expires (RFC 3339); null if never."),
    ]);
    Schema::new(0, description, attributes)
}
