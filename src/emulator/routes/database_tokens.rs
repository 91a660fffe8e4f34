//! `/tokens`: database tokens, as the published Management API serves them (create,
//! list, get, update, delete), under the cluster path of the flavor.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{delete, get, patch, post};
use axum::{Json, Router};
use chrono::Utc;

use super::api_route;
use super::databases::cluster_scope;
use super::extract::{Caller, JsonBody, ResourcePath, idempotency_key};
use crate::api::{CreateDatabaseTokenRequest, DatabaseToken, UpdateDatabaseTokenRequest};
use crate::emulator::operation::Operation;
use crate::emulator::store::database_token_not_found;
use crate::emulator::{ApiError, EmulatorState};

/// The database-token routes of the flavor `state` serves.
pub(super) fn routes(state: &EmulatorState) -> Router<EmulatorState> {
    let collection = format!("{}/tokens", cluster_scope(state));
    let item = format!("{collection}/{{token_id}}");
    Router::new()
        .route(
            &collection,
            api_route(state, Operation::ListDatabaseTokens, get(list)).merge(api_route(
                state,
                Operation::CreateDatabaseToken,
                post(create),
            )),
        )
        .route(
            &item,
            api_route(state, Operation::GetDatabaseToken, get(get_one))
                .merge(api_route(
                    state,
                    Operation::UpdateDatabaseToken,
                    patch(update),
                ))
                .merge(api_route(
                    state,
                    Operation::DeleteDatabaseToken,
                    delete(delete_one),
                )),
        )
}

async fn create(
    State(state): State<EmulatorState>,
    _caller: Caller,
    _path: ResourcePath,
    headers: HeaderMap,
    JsonBody(request): JsonBody<CreateDatabaseTokenRequest>,
) -> Result<Json<DatabaseToken>, ApiError> {
    let key = idempotency_key(&headers)?;
    let token = state
        .write(move |store| store.create_database_token(request, key.as_deref(), Utc::now()))
        .await?;
    log::info!("database token {} created", token.id);
    Ok(Json(token))
}

async fn list(
    State(state): State<EmulatorState>,
    _caller: Caller,
    _path: ResourcePath,
) -> Json<Vec<DatabaseToken>> {
    Json(state.read(|store| store.list_database_tokens()))
}

async fn get_one(
    State(state): State<EmulatorState>,
    _caller: Caller,
    path: ResourcePath,
) -> Result<Json<DatabaseToken>, ApiError> {
    let token_id = path.uuid("token_id", database_token_not_found)?;
    state
        .read(|store| store.get_database_token(token_id))
        .map(Json)
}

async fn update(
    State(state): State<EmulatorState>,
    _caller: Caller,
    path: ResourcePath,
    JsonBody(request): JsonBody<UpdateDatabaseTokenRequest>,
) -> Result<Json<DatabaseToken>, ApiError> {
    let token_id = path.uuid("token_id", database_token_not_found)?;
    let token = state
        .write(move |store| store.update_database_token(token_id, request))
        .await?;
    log::info!("database token {token_id} updated");
    Ok(Json(token))
}

async fn delete_one(
    State(state): State<EmulatorState>,
    _caller: Caller,
    path: ResourcePath,
) -> Result<StatusCode, ApiError> {
    let token_id = path.uuid("token_id", database_token_not_found)?;
    state
        .write(move |store| store.delete_database_token(token_id, Utc::now()))
        .await?;
    log::info!("database token {token_id} deleted");
    Ok(StatusCode::NO_CONTENT)
}
