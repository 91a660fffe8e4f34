//! What `influxdb3_management_token` and `influxdb3_database_token` do alike:
//! read (a revoked, expired or missing token is gone), destroy (revoke;
//! already revoked or unknown counts as done) and import (only an active
//! token). Generic over the token kind; create (and the database token's
//! update) stay with each resource.

use chrono::Utc;
use uuid::Uuid;

use crate::api::Secret;
use crate::framework::diag::Diagnostics;
use crate::framework::path::Path;
use crate::framework::resource::{
    DeleteRequest, DeleteResponse, ImportResponse, ReadRequest, ReadResponse,
};
use crate::framework::value::Value;
use crate::provider::ProviderData;
use crate::provider::client::RevokeOutcome;
use crate::provider::diagnostics::api_error;
use crate::provider::token_kind::{TokenKind, TokenWords};

fn string_attr<'a>(value: &'a Value, name: &str) -> Option<&'a str> {
    value.get_attr(name).and_then(Value::as_str)
}

/// The token id of a state, when it has a valid one.
pub(super) fn state_id(state: &Value) -> Option<Uuid> {
    string_attr(state, "id").and_then(|id| Uuid::parse_str(id).ok())
}

/// Read: the listed token when it is live; no state when it is revoked,
/// expired or missing; the state unchanged while the configuration is unknown.
pub(super) async fn read<K: TokenKind>(data: &ProviderData, request: ReadRequest) -> ReadResponse {
    let words = K::WORDS;
    let mut diagnostics = Diagnostics::new();
    let state = request.state;
    let client = match data.client_for(&words.product("resource")) {
        Ok(Some(client)) => client,
        // Configuration not known yet (plan): keep the state as it is.
        Ok(None) => {
            return ReadResponse {
                state: Some(state),
                diagnostics,
            };
        }
        Err(diagnostic) => {
            diagnostics.push(diagnostic);
            return ReadResponse {
                state: Some(state),
                diagnostics,
            };
        }
    };
    let Some(id) = state_id(&state) else {
        log::warn!(
            "{} in state has no valid id; treating it as gone",
            words.noun
        );
        return ReadResponse {
            state: None,
            diagnostics,
        };
    };
    let state = match K::listed(data, &client, id).await {
        Ok(Some(token)) if K::is_active_at(&token, Utc::now()) => {
            let access_token = string_attr(&state, "access_token").map(Secret::from);
            let written_expiry = string_attr(&state, "expires_at");
            Some(K::state(&token, written_expiry, access_token))
        }
        Ok(Some(_)) => {
            log::info!(
                "{} {id} is revoked or expired; removing it from state",
                words.noun
            );
            None
        }
        Ok(None) => {
            log::info!(
                "{} {id} no longer exists; removing it from state",
                words.noun
            );
            None
        }
        Err(error) => {
            diagnostics.push(api_error(&format!("Error Reading {}", words.title), &error));
            Some(state)
        }
    };
    ReadResponse { state, diagnostics }
}

/// Destroy: revokes the token; already revoked or unknown counts as done.
pub(super) async fn delete<K: TokenKind>(
    data: &ProviderData,
    request: DeleteRequest,
) -> DeleteResponse {
    let words = K::WORDS;
    let summary = format!("Error Revoking {}", words.title);
    let mut diagnostics = Diagnostics::new();
    let client = match data.require_client_for(&K::WORDS.product("resource"), &summary) {
        Ok(client) => client,
        Err(diagnostic) => {
            diagnostics.push(diagnostic);
            return DeleteResponse { diagnostics };
        }
    };
    let Some(id) = state_id(&request.state) else {
        // Nothing that could authenticate was ever recorded.
        return DeleteResponse { diagnostics };
    };
    let revoked = K::revoke(&client, id).await;
    K::changed(data);
    let noun = words.noun;
    match revoked {
        Ok(RevokeOutcome::Revoked) => log::info!("revoked {noun} {id}"),
        Ok(RevokeOutcome::AlreadyRevoked) => log::info!("{noun} {id} was already revoked"),
        Ok(RevokeOutcome::NotFound) => {
            log::info!("{noun} {id} does not exist; nothing to revoke")
        }
        Err(error) => diagnostics.push(api_error(&summary, &error)),
    }
    DeleteResponse { diagnostics }
}

/// The token id of an import identity (trimmed), or an error on its `id`.
pub(super) fn identity_token_id<K: TokenKind>(identity: &Value) -> Result<String, Diagnostics> {
    let TokenWords {
        noun, list_command, ..
    } = K::WORDS;
    let id = identity
        .get_attr("id")
        .and_then(Value::as_str)
        .unwrap_or("");
    if Uuid::parse_str(id.trim()).is_err() {
        let mut diagnostics = Diagnostics::new();
        diagnostics.attribute_error(
            Path::root("id"),
            "Invalid Import Identity",
            format!(
                "{id:?} is not a {noun} id. Give the token's UUID, as shown by \
                 `{list_command}` or `terraform query`."
            ),
        );
        return Err(diagnostics);
    }
    Ok(id.trim().to_string())
}

/// Import by id: only an active token; the secret is unknown (null).
pub(super) async fn import<K: TokenKind>(data: &ProviderData, id: &str) -> ImportResponse {
    let TokenWords {
        noun,
        capitalized,
        title,
        scope,
        list_command,
        ..
    } = K::WORDS;
    let summary = format!("Error Importing {title}");
    let mut diagnostics = Diagnostics::new();
    let Ok(token_id) = Uuid::parse_str(id.trim()) else {
        diagnostics.error(
            "Invalid Import ID",
            format!(
                "{id:?} is not a {noun} id. Import with the token's UUID, as shown by \
                 `{list_command}`."
            ),
        );
        return ImportResponse {
            state: None,
            diagnostics,
        };
    };
    let client = match data.require_client_for(&K::WORDS.product("resource"), &summary) {
        Ok(client) => client,
        Err(diagnostic) => {
            diagnostics.push(diagnostic);
            return ImportResponse {
                state: None,
                diagnostics,
            };
        }
    };
    match K::get(&client, token_id).await {
        Ok(Some(token)) if K::revoked_at(&token).is_some() => diagnostics.error(
            format!("Cannot Import Revoked {title}"),
            format!(
                "{capitalized} {token_id} was revoked; a revoked token cannot be managed. \
                 Create a new one instead."
            ),
        ),
        Ok(Some(token)) if !K::is_active_at(&token, Utc::now()) => diagnostics.error(
            format!("Cannot Import Expired {title}"),
            format!(
                "{capitalized} {token_id} has expired; it cannot be managed. Create a new \
                 one instead."
            ),
        ),
        Ok(Some(token)) => {
            // The secret is only in the create response: an imported token has none.
            return ImportResponse {
                state: Some(K::state(&token, None, None)),
                diagnostics,
            };
        }
        Ok(None) => diagnostics.error(
            format!("Cannot Import Non-Existent {title}"),
            format!("No {noun} with id {token_id} exists in this {scope}."),
        ),
        Err(error) => diagnostics.push(api_error(&summary, &error)),
    }
    ImportResponse {
        state: None,
        diagnostics,
    }
}

/// Tests both token resources run, on their own configurations.
#[cfg(test)]
pub(super) mod resource_tests {
    use super::*;
    use crate::framework::resource::{PlanContext, Resource};

    /// A bad `description` and `expires_at` in `config` are reported on their
    /// attributes, in that order.
    pub(in crate::provider::resources) async fn validate_points_at_the_bad_attribute(
        resource: &dyn Resource,
        config: Value,
    ) {
        let diagnostics = resource.validate_config(&config).await;
        let paths: Vec<String> = diagnostics
            .iter()
            .filter_map(|d| d.path.as_ref())
            .map(|p| p.to_string())
            .collect();
        assert_eq!(paths, vec!["description", "expires_at"]);
    }

    /// With an `expires_at` in the past in `config`, a plan that creates fails
    /// on `expires_at`; a plan that keeps the token does not.
    pub(in crate::provider::resources) async fn past_expiry_is_a_plan_error_only_when_creating(
        resource: &dyn Resource,
        past: Value,
    ) {
        let mut create = PlanContext {
            config: past.clone(),
            prior: None,
            planned: past.clone(),
            requires_replace: vec![],
            diagnostics: Diagnostics::new(),
        };
        resource.modify_plan(&mut create).await;
        assert!(create.diagnostics.has_error());
        assert_eq!(
            create.diagnostics.iter().next().map(|d| d.path.clone()),
            Some(Some(Path::root("expires_at")))
        );
        let mut keep = PlanContext {
            config: past.clone(),
            prior: Some(past.clone()),
            planned: past,
            requires_replace: vec![],
            diagnostics: Diagnostics::new(),
        };
        resource.modify_plan(&mut keep).await;
        assert!(keep.diagnostics.is_empty());
    }
}
