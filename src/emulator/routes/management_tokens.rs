//! `/management-tokens`: create, list, get and revoke, under `/accounts/{accountId}`
//! in the Cloud Dedicated form and directly under the API base in the Clustered form.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use chrono::Utc;

use super::api_route;
use super::extract::{Caller, JsonBody, ResourcePath, idempotency_key};
use crate::api::{API_BASE_PATH, CreateManagementTokenRequest, ManagementToken};
use crate::emulator::operation::Operation;
use crate::emulator::store::token_not_found;
use crate::emulator::{ApiError, EmulatorState, Flavor};

/// The management-token routes of the flavor `state` serves.
pub(super) fn routes(state: &EmulatorState) -> Router<EmulatorState> {
    let scope = match state.flavor() {
        Flavor::CloudDedicated => "/accounts/{account_id}",
        _ => "",
    };
    let collection = format!("{API_BASE_PATH}{scope}/management-tokens");
    let item = format!("{collection}/{{token_id}}");
    Router::new()
        .route(
            &collection,
            api_route(state, Operation::CreateManagementToken, post(create)).merge(api_route(
                state,
                Operation::ListManagementTokens,
                get(list),
            )),
        )
        .route(
            &item,
            api_route(state, Operation::GetManagementToken, get(get_one)).merge(api_route(
                state,
                Operation::RevokeManagementToken,
                delete(revoke),
            )),
        )
}

async fn create(
    State(state): State<EmulatorState>,
    Caller(caller): Caller,
    _path: ResourcePath,
    headers: HeaderMap,
    JsonBody(request): JsonBody<CreateManagementTokenRequest>,
) -> Result<Json<ManagementToken>, ApiError> {
    let key = idempotency_key(&headers)?;
    let token = state
        .write(move |store| {
            store.create_management_token(caller, request, key.as_deref(), Utc::now())
        })
        .await?;
    log::info!("management token {} created", token.id);
    Ok(Json(token))
}

async fn list(
    State(state): State<EmulatorState>,
    _caller: Caller,
    _path: ResourcePath,
) -> Json<Vec<ManagementToken>> {
    Json(state.read(|store| store.list_management_tokens()))
}

async fn get_one(
    State(state): State<EmulatorState>,
    _caller: Caller,
    path: ResourcePath,
) -> Result<Json<ManagementToken>, ApiError> {
    let token_id = path.uuid("token_id", token_not_found)?;
    state
        .read(|store| store.get_management_token(token_id))
        .map(Json)
}

async fn revoke(
    State(state): State<EmulatorState>,
    _caller: Caller,
    path: ResourcePath,
) -> Result<StatusCode, ApiError> {
    let token_id = path.uuid("token_id", token_not_found)?;
    state
        .write(move |store| store.revoke_management_token(token_id, Utc::now()))
        .await?;
    log::info!("management token {token_id} revoked");
    Ok(StatusCode::NO_CONTENT)
}
