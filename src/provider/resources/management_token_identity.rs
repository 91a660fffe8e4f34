//! The resource identity of `influxdb3_management_token` (Terraform 1.12+):
//! `{ id, account_id }`. `account_id` is the account of the provider's
//! configuration on Cloud Dedicated, and null on Clustered (which has no
//! accounts). The identity is derived from the state's `id` and the
//! provider's account, so a read always returns the identity the create or
//! import returned.

use async_trait::async_trait;
use uuid::Uuid;

use crate::framework::diag::Diagnostics;
use crate::framework::identity::{IdentityAttribute, IdentitySchema, ResourceWithIdentity};
use crate::framework::path::Path;
use crate::framework::value::{Type, Value};

use super::ManagementTokenResource;
use super::token_lifecycle;
use crate::provider::token_kind::ManagementTokens;

/// The identity schema (version 0).
pub(crate) fn identity_schema() -> IdentitySchema {
    IdentitySchema {
        version: 0,
        attributes: vec![
            IdentityAttribute::required_for_import(
                "id",
                Type::String,
                "The management token's id (a UUID).",
            ),
            IdentityAttribute::optional_for_import(
                "account_id",
                Type::String,
                "The Cloud Dedicated account the token belongs to; null on Clustered. When \
                 given in an import, it must be the provider's account.",
            ),
        ],
    }
}

/// The identity of token `id` in `account` (`None` on Clustered).
pub(crate) fn identity_value(id: &str, account: Option<Uuid>) -> Value {
    Value::object([
        ("id", Value::string(id)),
        (
            "account_id",
            account.map_or(Value::Null, |account| Value::string(account.to_string())),
        ),
    ])
}

#[async_trait]
impl ResourceWithIdentity for ManagementTokenResource {
    fn identity_schema(&self) -> IdentitySchema {
        identity_schema()
    }

    fn identity(&self, state: &Value) -> Option<Value> {
        let id = state.get_attr("id").and_then(Value::as_str)?;
        // Without a configured client (configuration not known yet) the
        // account is unknown too: no identity rather than a different one.
        let client = self.data.client().ok().flatten()?;
        Some(identity_value(id, client.account_id()))
    }

    async fn import_id(&self, identity: &Value) -> Result<String, Diagnostics> {
        let id = token_lifecycle::identity_token_id::<ManagementTokens>(identity)?;
        let mut diagnostics = Diagnostics::new();
        let given_account = identity.get_attr("account_id").and_then(Value::as_str);
        if let Some(given) = given_account
            && let Ok(Some(client)) = self.data.client()
        {
            let configured = client.account_id().map(|account| account.to_string());
            if configured.as_deref() != Some(given) {
                diagnostics.attribute_error(
                    Path::root("account_id"),
                    "Import Identity Of Another Account",
                    format!(
                        "The identity names account {given:?}, but the provider is configured \
                         for {}. Import with the provider of that account, or leave account_id out.",
                        configured.map_or("Clustered (no account)".to_string(), |a| format!("{a:?}"))
                    ),
                );
                return Err(diagnostics);
            }
        }
        Ok(id)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::provider::ProviderData;

    #[test]
    fn identity_type_has_id_and_account() {
        let ty = identity_schema().value_type();
        let value = identity_value("0d4b6c5e-0000-4000-8000-000000000000", None);
        value.conforms_to(&ty).unwrap();
        assert!(value.get_attr("account_id").unwrap().is_null());
    }

    #[tokio::test]
    async fn import_identity_needs_a_uuid() {
        let resource = ManagementTokenResource::new(Arc::new(ProviderData::default()));
        let bad = identity_value("not-a-uuid", None);
        let diagnostics = resource.import_id(&bad).await.unwrap_err();
        assert_eq!(
            diagnostics.iter().next().unwrap().path,
            Some(Path::root("id"))
        );
        let id = Uuid::new_v4().to_string();
        let good = identity_value(&format!(" {id} "), None);
        assert_eq!(resource.import_id(&good).await.unwrap(), id);
    }

    #[test]
    fn no_identity_before_the_provider_is_configured() {
        let resource = ManagementTokenResource::new(Arc::new(ProviderData::default()));
        let state = Value::object([("id", Value::string("x"))]);
        assert_eq!(resource.identity(&state), None);
    }
}
