//! `list "influxdb3_self_hosted_admin_token"` and `list
//! "influxdb3_enterprise_resource_token"`: the tokens of a self-hosted InfluxDB
//! 3 server for `terraform query`, each with its identity (`{ name }`), its
//! name as display name and, when asked, its state (no secret: the server only
//! returns it at creation). Reads the same per-process `system.tokens` list as
//! every refresh. Expired tokens are left out unless `include_expired` is
//! true; the operator token (`_admin`) is never listed: the server does not
//! delete it, so Terraform cannot own it.

use std::sync::Arc;

use async_trait::async_trait;

use crate::api::v3::{OPERATOR_TOKEN_NAME, TokenRow};
use crate::framework::diag::Diagnostics;
use crate::framework::list_resource::{ListRequest, ListResource, ListResults};
use crate::framework::schema::{Attribute, Schema};
use crate::framework::value::{Type, Value};
use crate::provider::ProviderData;
use crate::provider::diagnostics::self_hosted_api_error;
use crate::provider::resources::{
    SelfHostedTokenKind, SelfHostedTokenResource, self_hosted_identity, self_hosted_token_expired,
};

use super::results::{failed, listed};

/// The list resource of one of the two self-hosted token resources.
#[derive(Debug)]
pub(crate) struct SelfHostedTokenList {
    data: Arc<ProviderData>,
    kind: SelfHostedTokenKind,
}

impl SelfHostedTokenList {
    pub(crate) fn new(data: Arc<ProviderData>, kind: SelfHostedTokenKind) -> Self {
        Self { data, kind }
    }

    /// Whether the row is a token of this list's kind that may be listed.
    fn lists(&self, row: &TokenRow, include_expired: bool) -> bool {
        let kind_matches = match self.kind {
            SelfHostedTokenKind::Admin => row.is_admin() && row.name != OPERATOR_TOKEN_NAME,
            SelfHostedTokenKind::Resource => !row.is_admin(),
        };
        kind_matches && (include_expired || !self_hosted_token_expired(row))
    }
}

#[async_trait]
impl ListResource for SelfHostedTokenList {
    fn type_name(&self) -> String {
        self.kind.type_name().to_owned()
    }

    fn config_schema(&self) -> Schema {
        config_schema(self.kind)
    }

    async fn list(&self, request: ListRequest) -> ListResults {
        let summary = format!("Error Listing {}s", self.kind.noun());
        let include_expired = request
            .config
            .get_attr("include_expired")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let mut diagnostics = Diagnostics::new();
        let scope = self.kind.product("list resource");
        let client = match self.data.require_v3_client_for(&scope, &summary) {
            Ok(client) => client,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                return failed(diagnostics);
            }
        };
        let resource = SelfHostedTokenResource::new(self.data.clone(), self.kind);
        if let Some(diagnostic) = resource.enterprise_only(&client) {
            diagnostics.push(diagnostic);
            return failed(diagnostics);
        }
        let rows = match self.data.listed_self_hosted_tokens(&client).await {
            Ok(rows) => rows,
            Err(error) => {
                diagnostics.push(self_hosted_api_error(&summary, &error));
                return failed(diagnostics);
            }
        };
        let mut rows: Vec<&TokenRow> = rows
            .iter()
            .filter(|row| self.lists(row, include_expired))
            .collect();
        rows.sort_by(|a, b| a.name.cmp(&b.name));
        let state_and_name = |row: &TokenRow| {
            let state = resource.state_from_row(&Value::Null, row);
            (state, row.name.clone())
        };
        let what = format!("{}s", self.kind.noun());
        listed(&request, rows, state_and_name, self_hosted_identity, &what)
    }
}

/// The schema of the `config` block of a `list` block of this kind.
pub(crate) fn config_schema(kind: SelfHostedTokenKind) -> Schema {
    let what = match kind {
        SelfHostedTokenKind::Admin => {
            "Lists the named admin tokens of a self-hosted InfluxDB 3 Core or Enterprise server \
             for `terraform query` (Terraform 1.14 and later), leaving out the operator token \
             `_admin`"
        }
        SelfHostedTokenKind::Resource => {
            "Lists the resource tokens of a self-hosted InfluxDB 3 Enterprise server for \
             `terraform query` (Terraform 1.14 and later; on InfluxDB 3 Core the query fails \
             with an Enterprise-only diagnostic)"
        }
    };
    Schema::new(
        0,
        format!(
            "{what}: each token's identity (`name`), its name as display name, and, with \
             `include_resource = true`, its attributes (never the secret, which the server only \
             returns when a token is created). `terraform query -generate-config-out=FILE` \
             writes `import` and `resource` blocks that bring the listed tokens under \
             management."
        ),
        vec![
            Attribute::optional("include_expired", Type::Bool).description(
                "Also list expired tokens (which cannot be imported). Defaults to false.",
            ),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, permissions: &str, expiry: Option<&str>) -> TokenRow {
        TokenRow {
            token_id: 1,
            name: name.to_owned(),
            hash: None,
            created_at: None,
            expiry: expiry.map(str::to_owned),
            permissions: Some(permissions.to_owned()),
        }
    }

    #[test]
    fn config_schemas_are_valid() {
        config_schema(SelfHostedTokenKind::Admin)
            .validate()
            .unwrap();
        config_schema(SelfHostedTokenKind::Resource)
            .validate()
            .unwrap();
    }

    #[test]
    fn each_list_takes_its_kind_and_never_the_operator_token() {
        let data = Arc::new(ProviderData::default());
        let admin = SelfHostedTokenList::new(data.clone(), SelfHostedTokenKind::Admin);
        let resource = SelfHostedTokenList::new(data, SelfHostedTokenKind::Resource);
        let operator = row(OPERATOR_TOKEN_NAME, "*:*:*", None);
        let named = row("ops", "*:*:*", None);
        let reader = row("reader", "db:a:read", None);
        let expired = row("old", "*:*:*", Some("2001-01-01T00:00:00Z"));
        assert!(!admin.lists(&operator, true));
        assert!(admin.lists(&named, false));
        assert!(!admin.lists(&reader, false));
        assert!(resource.lists(&reader, false));
        assert!(!resource.lists(&named, false));
        assert!(!admin.lists(&expired, false));
        assert!(admin.lists(&expired, true));
    }

    #[tokio::test]
    async fn an_unconfigured_provider_lists_one_error() {
        let list = SelfHostedTokenList::new(
            Arc::new(ProviderData::default()),
            SelfHostedTokenKind::Admin,
        );
        let config = Value::object([("include_expired", Value::Null)]);
        super::super::results::assert_lists_one_error(&list, config).await;
    }
}
