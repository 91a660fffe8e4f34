//! `influxdb3_database_token`: a database token (the kind that authorizes
//! queries and writes) as code.
//!
//! Create mints a token and keeps its secret in state (sensitive).
//! `description` and `permissions` change in place (PATCH); `expires_at`
//! forces a replacement. Destroy revokes; already revoked or unknown counts as
//! done once the API's own answer and its token list confirm it. Read treats a
//! token that is revoked (still listed), expired or missing as gone.

use std::sync::Arc;

use async_trait::async_trait;
use uuid::Uuid;

use crate::api::{CreateDatabaseTokenRequest, UpdateDatabaseTokenRequest};
use crate::framework::diag::{Diagnostic, Diagnostics};
use crate::framework::identity::ResourceWithIdentity;
use crate::framework::model::{Model, ToValue};
use crate::framework::resource::{
    CreateRequest, CreateResponse, DeleteRequest, DeleteResponse, ImportResponse, PlanContext,
    ReadRequest, ReadResponse, Resource, ResourceWithImport, ResourceWithMoveState, UpdateRequest,
    UpdateResponse,
};
use crate::framework::schema::Schema;
use crate::framework::value::Value;
use crate::provider::ProviderData;
use crate::provider::diagnostics::api_error;
use crate::provider::product::ProductScope;
use crate::provider::token_kind::{DatabaseTokens, TokenKind};

use super::database_token_model::{
    DatabaseTokenConfig, DatabaseTokenModelV0, same_permissions, to_api_permissions,
};
use super::token_lifecycle;
use super::token_rules::{check_token_to_mint, parse_time, validate_description_and_expiry};

/// The product family of the resource, and its self-hosted counterpart.
const PRODUCT: ProductScope = DatabaseTokens::WORDS.product("resource");

/// The `influxdb3_database_token` resource.
#[derive(Debug)]
pub(crate) struct DatabaseTokenResource {
    pub(super) data: Arc<ProviderData>,
}

impl DatabaseTokenResource {
    pub(crate) fn new(data: Arc<ProviderData>) -> Self {
        Self { data }
    }
}

#[async_trait]
impl Resource for DatabaseTokenResource {
    fn type_name(&self) -> String {
        "influxdb3_database_token".to_string()
    }

    fn schema(&self) -> Schema {
        schema()
    }

    async fn validate_config(&self, config: &Value) -> Diagnostics {
        validate_description_and_expiry(config)
    }

    async fn modify_plan(&self, plan: &mut PlanContext) {
        // Cloud Dedicated without a cluster: every call would fail at apply.
        if let Ok(Some(client)) = self.data.client()
            && client.account_id().is_some()
            && client.cluster_id().is_none()
        {
            plan.diagnostics.error(
                "Missing Cluster ID",
                "Database tokens belong to a cluster: on InfluxDB 3 Cloud Dedicated set the \
                 provider's `cluster_id` argument or the INFLUXDB3_CLUSTER_ID environment \
                 variable (the cluster's UUID, as `influxctl cluster list` shows it).",
            );
            return;
        }
        check_token_to_mint(&self.data, &PRODUCT, plan, "database token").await;
    }

    async fn create(&self, request: CreateRequest) -> CreateResponse {
        const SUMMARY: &str = "Error Creating Database Token";
        let mut diagnostics = Diagnostics::new();
        let client = match self.data.require_client_for(&PRODUCT, SUMMARY) {
            Ok(client) => client,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                return CreateResponse {
                    state: None,
                    diagnostics,
                };
            }
        };
        let config = match DatabaseTokenConfig::from_value_root(&request.config) {
            Ok(config) => config,
            Err(problems) => {
                return CreateResponse {
                    state: None,
                    diagnostics: problems,
                };
            }
        };
        let body = CreateDatabaseTokenRequest {
            description: config.description.clone(),
            permissions: to_api_permissions(&config.permissions),
            expires_at: config.expires_at.as_deref().and_then(parse_time),
        };
        let created = client.create_database_token(&body).await;
        self.data.database_tokens_changed();
        match created {
            Ok(created) => {
                log::info!("created database token {}", created.token.id);
                if !created.possible_duplicates.is_empty() {
                    let ids: Vec<String> = created
                        .possible_duplicates
                        .iter()
                        .map(Uuid::to_string)
                        .collect();
                    diagnostics.push(Diagnostic::warning(
                        "Possible Duplicate Database Tokens",
                        format!(
                            "The create was retried, and the API now also lists these active \
                             tokens with the same description and permissions, created \
                             meanwhile: {}. An attempt whose answer was lost may have minted \
                             them; nobody knows their secrets. Revoke those that no one else \
                             created (`influxctl token delete <id>`).",
                            ids.join(", ")
                        ),
                    ));
                }
                let access_token = created.token.access_token.clone();
                let state = DatabaseTokenModelV0::from_api(
                    &created.token,
                    config.expires_at.as_deref(),
                    access_token,
                );
                CreateResponse {
                    state: Some(state.to_value()),
                    diagnostics,
                }
            }
            Err(error) => {
                let mut diagnostic = api_error(SUMMARY, &error);
                if error.outcome_unknown() {
                    diagnostic.detail.push_str(&format!(
                        " The API may have created the token without the provider learning of \
                         it: look for an active database token with the description {:?} \
                         (`influxctl token list`) and revoke it if it is not in the state.",
                        body.description
                    ));
                }
                diagnostics.push(diagnostic);
                CreateResponse {
                    state: None,
                    diagnostics,
                }
            }
        }
    }

    async fn read(&self, request: ReadRequest) -> ReadResponse {
        token_lifecycle::read::<DatabaseTokens>(&self.data, request).await
    }

    async fn update(&self, request: UpdateRequest) -> UpdateResponse {
        const SUMMARY: &str = "Error Updating Database Token";
        let mut diagnostics = Diagnostics::new();
        let fail = |diagnostics: Diagnostics| UpdateResponse {
            state: None,
            diagnostics,
        };
        let client = match self.data.require_client_for(&PRODUCT, SUMMARY) {
            Ok(client) => client,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                return fail(diagnostics);
            }
        };
        let (prior, config) = match (
            DatabaseTokenModelV0::from_value_root(&request.prior),
            DatabaseTokenConfig::from_value_root(&request.config),
        ) {
            (Ok(prior), Ok(config)) => (prior, config),
            (Err(problems), _) | (_, Err(problems)) => return fail(problems),
        };
        let Ok(id) = Uuid::parse_str(&prior.id) else {
            diagnostics.error(SUMMARY, "The state has no valid token id. This is a bug.");
            return fail(diagnostics);
        };
        let permissions = to_api_permissions(&config.permissions);
        let body = UpdateDatabaseTokenRequest {
            description: (config.description != prior.description)
                .then(|| config.description.clone()),
            permissions: (!same_permissions(&permissions, &to_api_permissions(&prior.permissions)))
                .then_some(permissions),
        };
        let token = if body.is_empty() {
            None
        } else {
            let updated = client.update_database_token(id, &body).await;
            self.data.database_tokens_changed();
            match updated {
                Ok(token) => Some(token),
                Err(error) => {
                    diagnostics.push(api_error(SUMMARY, &error));
                    return fail(diagnostics);
                }
            }
        };
        let state = match token {
            Some(token) => {
                log::info!("updated database token {id}");
                DatabaseTokenModelV0::from_api(
                    &token,
                    prior.expires_at.as_deref(),
                    prior.access_token.clone(),
                )
            }
            None => prior,
        };
        UpdateResponse {
            state: Some(state.to_value()),
            diagnostics,
        }
    }

    async fn delete(&self, request: DeleteRequest) -> DeleteResponse {
        token_lifecycle::delete::<DatabaseTokens>(&self.data, request).await
    }

    fn as_import(&self) -> Option<&dyn ResourceWithImport> {
        Some(self)
    }

    fn as_identity(&self) -> Option<&dyn ResourceWithIdentity> {
        Some(self)
    }

    fn as_move_state(&self) -> Option<&dyn ResourceWithMoveState> {
        Some(self)
    }
}

#[async_trait]
impl ResourceWithImport for DatabaseTokenResource {
    async fn import_state(&self, id: &str) -> ImportResponse {
        token_lifecycle::import::<DatabaseTokens>(&self.data, id).await
    }
}

/// The resource schema; descriptions are the single source of the docs.
pub(crate) fn schema() -> Schema {
    Schema::new(
        0,
        "A database token of InfluxDB 3 Cloud Dedicated or Clustered: the token that query and \
         write clients use. Creating the resource mints a token and keeps its secret in state \
         (marked sensitive); destroying it revokes the token. `description` and `permissions` \
         change in place; a new `expires_at` replaces the token. A token that is revoked or \
         expires outside Terraform shows up as deleted and is created again on the next apply.",
        DatabaseTokenModelV0::attributes(),
    )
}

#[cfg(test)]
#[path = "database_token_tests.rs"]
mod tests;
