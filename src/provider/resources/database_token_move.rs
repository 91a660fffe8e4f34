//! `moved {}` from the Go provider `thulasirajkomminar/influxdb3`: its
//! `influxdb3_cloud_token` (Cloud Dedicated) and `influxdb3_token` (Clustered)
//! store the same attributes as `influxdb3_database_token` plus `revoked_at`,
//! which this resource does not keep (a revoked token reads as gone).
//!
//! Terraform only plans a `moved` block whose source provider is installed,
//! and the Go provider cannot be installed everywhere (no network, or no wish
//! to): after `terraform state replace-provider` from its address to this
//! provider's, the state names `influxdb3_cloud_token` under this provider,
//! and the same `moved` block then works. Both source addresses are accepted.

use async_trait::async_trait;
use serde_json::Value as Json;

use crate::api::Secret;
use crate::framework::diag::Diagnostics;
use crate::framework::model::{SetOf, ToValue};
use crate::framework::resource::{MoveStateRequest, MoveStateResponse, ResourceWithMoveState};

use super::DatabaseTokenResource;
use super::database_token_model::{DatabaseTokenModelV0, PermissionModel};

/// The Go provider's address, as Terraform writes it in the state.
pub(crate) const GO_PROVIDER_ADDRESS: &str = "registry.terraform.io/thulasirajkomminar/influxdb3";

/// The provider addresses a moved token may come from: the Go provider's, or
/// this provider's after `terraform state replace-provider`.
const SOURCE_ADDRESSES: [&str; 2] = [GO_PROVIDER_ADDRESS, crate::provider::PROVIDER_ADDRESS];

/// The Go provider's token resource types.
const GO_TOKEN_TYPES: [&str; 2] = ["influxdb3_cloud_token", "influxdb3_token"];

fn text(state: &Json, name: &str) -> Option<String> {
    state
        .get(name)
        .and_then(Json::as_str)
        .filter(|text| !text.is_empty())
        .map(str::to_owned)
}

/// The state of this resource from the Go provider's token state, or what is
/// missing from it.
fn moved_state(state: &Json) -> Result<DatabaseTokenModelV0, String> {
    let id = text(state, "id").ok_or("the source state has no `id`")?;
    let description = text(state, "description").ok_or("the source state has no `description`")?;
    let permissions = match state.get("permissions") {
        None | Some(Json::Null) => Vec::new(),
        Some(Json::Array(permissions)) => permissions
            .iter()
            .map(
                |permission| match (text(permission, "action"), text(permission, "resource")) {
                    (Some(action), Some(resource)) => Ok(PermissionModel { action, resource }),
                    _ => Err("a permission of the source state lacks `action` or `resource`"),
                },
            )
            .collect::<Result<_, _>>()?,
        Some(_) => return Err("the source state's `permissions` is not a list".into()),
    };
    Ok(DatabaseTokenModelV0 {
        description,
        permissions: SetOf(permissions),
        expires_at: text(state, "expires_at"),
        id,
        access_token: text(state, "access_token").map(Secret::from),
        created_at: text(state, "created_at").unwrap_or_default(),
        account_id: text(state, "account_id"),
        cluster_id: text(state, "cluster_id"),
    })
}

#[async_trait]
impl ResourceWithMoveState for DatabaseTokenResource {
    async fn move_state(&self, request: MoveStateRequest) -> Option<MoveStateResponse> {
        if !SOURCE_ADDRESSES.contains(&request.source_provider_address.as_str())
            || !GO_TOKEN_TYPES.contains(&request.source_type_name.as_str())
        {
            return None;
        }
        let mut diagnostics = Diagnostics::new();
        match moved_state(&request.source_state) {
            Ok(model) => Some(MoveStateResponse {
                state: Some(model.to_value()),
                diagnostics,
            }),
            Err(problem) => {
                diagnostics.error(
                    "Unable to Move Resource State",
                    format!(
                        "The state of {} cannot become an influxdb3_database_token: {problem}. \
                         Import the token by id instead (`import {{}}` block).",
                        request.source_type_name
                    ),
                );
                Some(MoveStateResponse {
                    state: None,
                    diagnostics,
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use serde_json::json;

    use super::*;
    use crate::framework::value::Value;
    use crate::provider::ProviderData;

    fn request(type_name: &str, state: Json) -> MoveStateRequest {
        MoveStateRequest {
            source_provider_address: GO_PROVIDER_ADDRESS.into(),
            source_type_name: type_name.into(),
            source_schema_version: 0,
            source_state: state,
        }
    }

    #[tokio::test]
    async fn a_go_provider_token_moves_without_revoked_at() {
        let resource = DatabaseTokenResource::new(Arc::new(ProviderData::default()));
        let state = json!({
            "id": "7f7fa77d-b77e-47ba-a777-77cd077d0f7c",
            "description": "signals",
            "permissions": [{"action": "read", "resource": "signals"}],
            "expires_at": "",
            "access_token": "apiv1_secret",
            "created_at": "2025-01-01T00:00:00Z",
            "revoked_at": "",
            "account_id": "a1",
            "cluster_id": "c1"
        });
        let moved = resource
            .move_state(request("influxdb3_cloud_token", state))
            .await
            .expect("taken");
        assert!(moved.diagnostics.is_empty());
        let value = moved.state.expect("a state");
        assert_eq!(value.get_attr("expires_at"), Some(&Value::Null));
        assert_eq!(
            value.get_attr("access_token").and_then(Value::as_str),
            Some("apiv1_secret")
        );
        assert!(value.get_attr("revoked_at").is_none());
    }

    #[tokio::test]
    async fn other_sources_are_declined_and_broken_states_explained() {
        let resource = DatabaseTokenResource::new(Arc::new(ProviderData::default()));
        assert!(
            resource
                .move_state(request("influxdb3_cloud_database", json!({})))
                .await
                .is_none()
        );
        let mut elsewhere = request("influxdb3_token", json!({}));
        elsewhere.source_provider_address = "registry.terraform.io/hashicorp/null".into();
        assert!(resource.move_state(elsewhere).await.is_none());
        let broken = resource
            .move_state(request("influxdb3_token", json!({"id": "x"})))
            .await
            .expect("taken");
        assert!(broken.diagnostics.has_error());
        assert!(broken.state.is_none());
    }
}
