//! The resource identities of the self-hosted resources (Terraform 1.12+):
//!
//! - `influxdb3_self_hosted_admin_token` and
//!   `influxdb3_enterprise_resource_token`: `{ name }`. The `/api/v3` API
//!   addresses a token by its name only (`DELETE /api/v3/configure/token?
//!   token_name=...`), names are unique on the server, and `influxdb3 show
//!   tokens` shows them; the numeric `token_id` cannot be used in any request
//!   and changes when a token of the same name is made again.
//! - `influxdb3_self_hosted_database`: `{ name }`, the only key of the API's
//!   database operations.
//!
//! A self-hosted server has no account or cluster id to scope them by (the
//! server's URL is how it is reached, not what it is, so it is left out).
//! Both are derived from the state's `name`, so a read returns the identity
//! the create or import returned.

use async_trait::async_trait;

use crate::framework::diag::Diagnostics;
use crate::framework::identity::{IdentityAttribute, IdentitySchema, ResourceWithIdentity};
use crate::framework::path::Path;
use crate::framework::value::{Type, Value};

use super::self_hosted_database::{SelfHostedDatabaseResource, check_database_name};
use super::self_hosted_token::SelfHostedTokenResource;

/// The identity schema of the two token resources (version 0).
pub(crate) fn token_identity_schema() -> IdentitySchema {
    IdentitySchema {
        version: 0,
        attributes: vec![IdentityAttribute::required_for_import(
            "name",
            Type::String,
            "The token's name, unique on the server (as `influxdb3 show tokens` lists it).",
        )],
    }
}

/// The identity schema of `influxdb3_self_hosted_database` (version 0).
pub(crate) fn database_identity_schema() -> IdentitySchema {
    IdentitySchema {
        version: 0,
        attributes: vec![IdentityAttribute::required_for_import(
            "name",
            Type::String,
            "The database name.",
        )],
    }
}

/// The identity `{ name }` of a self-hosted token or database state; `None`
/// while the name is not known.
pub(crate) fn self_hosted_identity(state: &Value) -> Option<Value> {
    let name = state.get_attr("name").and_then(Value::as_str)?;
    Some(Value::object([("name", Value::string(name))]))
}

/// The `name` an `import {}` block's identity gives, trimmed.
fn identity_name(identity: &Value) -> &str {
    identity
        .get_attr("name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .trim()
}

#[async_trait]
impl ResourceWithIdentity for SelfHostedTokenResource {
    fn identity_schema(&self) -> IdentitySchema {
        token_identity_schema()
    }

    fn identity(&self, state: &Value) -> Option<Value> {
        self_hosted_identity(state)
    }

    async fn import_id(&self, identity: &Value) -> Result<String, Diagnostics> {
        let name = identity_name(identity);
        if name.is_empty() {
            let mut diagnostics = Diagnostics::new();
            diagnostics.attribute_error(
                Path::root("name"),
                "Invalid Import Identity",
                "Give the token's name, as `influxdb3 show tokens` or `terraform query` lists it.",
            );
            return Err(diagnostics);
        }
        Ok(name.to_owned())
    }
}

#[async_trait]
impl ResourceWithIdentity for SelfHostedDatabaseResource {
    fn identity_schema(&self) -> IdentitySchema {
        database_identity_schema()
    }

    fn identity(&self, state: &Value) -> Option<Value> {
        self_hosted_identity(state)
    }

    async fn import_id(&self, identity: &Value) -> Result<String, Diagnostics> {
        let name = identity_name(identity);
        if let Err(problem) = check_database_name(name) {
            let mut diagnostics = Diagnostics::new();
            diagnostics.attribute_error(Path::root("name"), "Invalid Import Identity", problem);
            return Err(diagnostics);
        }
        Ok(name.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::provider::ProviderData;
    use crate::provider::resources::self_hosted_token::TokenKind;

    #[test]
    fn identity_is_the_name_of_the_state() {
        let state = Value::object([
            ("name", Value::string("ops")),
            ("id", Value::string("ops")),
            ("token_id", Value::number(7)),
        ]);
        let identity = self_hosted_identity(&state).unwrap();
        identity
            .conforms_to(&token_identity_schema().value_type())
            .unwrap();
        identity
            .conforms_to(&database_identity_schema().value_type())
            .unwrap();
        assert_eq!(identity, Value::object([("name", Value::string("ops"))]));
        let unknown = Value::object([("name", Value::Unknown)]);
        assert_eq!(self_hosted_identity(&unknown), None);
    }

    #[tokio::test]
    async fn token_import_identity_needs_a_name() {
        let resource =
            SelfHostedTokenResource::new(Arc::new(ProviderData::default()), TokenKind::Admin);
        let blank = Value::object([("name", Value::string("  "))]);
        let problems = resource.import_id(&blank).await.unwrap_err();
        assert_eq!(
            problems.iter().next().unwrap().path,
            Some(Path::root("name"))
        );
        let good = Value::object([("name", Value::string(" ci & ops "))]);
        assert_eq!(resource.import_id(&good).await.unwrap(), "ci & ops");
    }

    #[tokio::test]
    async fn database_import_identity_needs_a_valid_name() {
        let resource = SelfHostedDatabaseResource::new(Arc::new(ProviderData::default()));
        for bad in ["no_underscores", "", "_internal"] {
            let identity = Value::object([("name", Value::string(bad))]);
            let problems = resource.import_id(&identity).await.unwrap_err();
            assert_eq!(
                problems.iter().next().unwrap().path,
                Some(Path::root("name")),
                "{bad}"
            );
        }
        let good = Value::object([("name", Value::string(" sensors "))]);
        assert_eq!(resource.import_id(&good).await.unwrap(), "sensors");
    }
}
