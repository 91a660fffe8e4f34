//! `/databases` and their `/tables`, as the published Management API serves them:
//! under `/accounts/{accountId}/clusters/{clusterId}` in the Cloud Dedicated form and
//! directly under the API base in the Clustered form.
//!
//! The path parameter in the position of a database is a name everywhere except in
//! `/databases/{databaseId}/undelete`, where it is the numeric id; likewise for
//! tables. One parameter name per position keeps the router's paths unambiguous.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{delete, get, patch, post, put};
use axum::{Json, Router};
use chrono::Utc;

use super::api_route;
use super::extract::{Caller, JsonBody, ResourcePath, idempotency_key};
use crate::api::{
    API_BASE_PATH, CreateDatabaseRequest, CreateTableRequest, Database, RenameRequest, Table,
    UpdateDatabaseRequest,
};
use crate::emulator::operation::Operation;
use crate::emulator::store::{database_not_found, table_not_found};
use crate::emulator::{ApiError, EmulatorState, Flavor};

/// The path every cluster resource is under: `/api/v0/accounts/{account_id}/clusters/
/// {cluster_id}` (Cloud Dedicated) or `/api/v0` (Clustered).
pub(super) fn cluster_scope(state: &EmulatorState) -> String {
    match state.flavor() {
        Flavor::CloudDedicated => {
            format!("{API_BASE_PATH}/accounts/{{account_id}}/clusters/{{cluster_id}}")
        }
        // The self-hosted products do not serve these routes; Clustered's paths.
        Flavor::Clustered | Flavor::Core | Flavor::Enterprise => API_BASE_PATH.to_owned(),
    }
}

/// The database and table routes of the flavor `state` serves.
pub(super) fn routes(state: &EmulatorState) -> Router<EmulatorState> {
    let databases = format!("{}/databases", cluster_scope(state));
    let database = format!("{databases}/{{database}}");
    let tables = format!("{database}/tables");
    let table = format!("{tables}/{{table}}");
    Router::new()
        .route(
            &databases,
            api_route(state, Operation::ListDatabases, get(list_databases)).merge(api_route(
                state,
                Operation::CreateDatabase,
                post(create_database),
            )),
        )
        .route(
            &database,
            api_route(state, Operation::UpdateDatabase, patch(update_database)).merge(api_route(
                state,
                Operation::DeleteDatabase,
                delete(delete_database),
            )),
        )
        .route(
            &format!("{database}/rename"),
            api_route(state, Operation::RenameDatabase, put(rename_database)),
        )
        .route(
            &format!("{database}/undelete"),
            api_route(state, Operation::UndeleteDatabase, put(undelete_database)),
        )
        .route(
            &tables,
            api_route(state, Operation::CreateTable, post(create_table)),
        )
        .route(
            &table,
            api_route(state, Operation::DeleteTable, delete(delete_table)),
        )
        .route(
            &format!("{table}/rename"),
            api_route(state, Operation::RenameTable, put(rename_table)),
        )
        .route(
            &format!("{table}/undelete"),
            api_route(state, Operation::UndeleteTable, put(undelete_table)),
        )
}

async fn list_databases(
    State(state): State<EmulatorState>,
    _caller: Caller,
    _path: ResourcePath,
) -> Json<Vec<Database>> {
    Json(state.read(|store| store.list_databases()))
}

async fn create_database(
    State(state): State<EmulatorState>,
    _caller: Caller,
    _path: ResourcePath,
    headers: HeaderMap,
    JsonBody(request): JsonBody<CreateDatabaseRequest>,
) -> Result<Json<Database>, ApiError> {
    let key = idempotency_key(&headers)?;
    let database = state
        .write(move |store| store.create_database(request, key.as_deref(), Utc::now()))
        .await?;
    log::info!("database {:?} created", database.name);
    Ok(Json(database))
}

async fn update_database(
    State(state): State<EmulatorState>,
    _caller: Caller,
    path: ResourcePath,
    JsonBody(request): JsonBody<UpdateDatabaseRequest>,
) -> Result<Json<Database>, ApiError> {
    let name = path.text("database", database_not_found)?.to_owned();
    let database = state
        .write(move |store| store.update_database(&name, request))
        .await?;
    log::info!("database {:?} updated", database.name);
    Ok(Json(database))
}

async fn delete_database(
    State(state): State<EmulatorState>,
    _caller: Caller,
    path: ResourcePath,
) -> Result<StatusCode, ApiError> {
    let name = path.text("database", database_not_found)?.to_owned();
    let deleted = name.clone();
    state
        .write(move |store| store.delete_database(&name, Utc::now()))
        .await?;
    log::info!("database {deleted:?} deleted");
    Ok(StatusCode::NO_CONTENT)
}

async fn rename_database(
    State(state): State<EmulatorState>,
    _caller: Caller,
    path: ResourcePath,
    JsonBody(request): JsonBody<RenameRequest>,
) -> Result<Json<Database>, ApiError> {
    let name = path.text("database", database_not_found)?.to_owned();
    let database = state
        .write(move |store| store.rename_database(&name, request))
        .await?;
    log::info!("database renamed to {:?}", database.name);
    Ok(Json(database))
}

async fn undelete_database(
    State(state): State<EmulatorState>,
    _caller: Caller,
    path: ResourcePath,
) -> Result<Json<Database>, ApiError> {
    let id = numeric_id(&path, "database", "databaseId")?;
    let database = state
        .write(move |store| store.undelete_database(id))
        .await?;
    log::info!("database {:?} undeleted", database.name);
    Ok(Json(database))
}

async fn create_table(
    State(state): State<EmulatorState>,
    _caller: Caller,
    path: ResourcePath,
    headers: HeaderMap,
    JsonBody(request): JsonBody<CreateTableRequest>,
) -> Result<Json<Table>, ApiError> {
    let key = idempotency_key(&headers)?;
    let database = path.text("database", database_not_found)?.to_owned();
    let table = state
        .write(move |store| store.create_table(&database, request, key.as_deref(), Utc::now()))
        .await?;
    log::info!(
        "table {:?} of {:?} created",
        table.name,
        table.database_name
    );
    Ok(Json(table))
}

async fn delete_table(
    State(state): State<EmulatorState>,
    _caller: Caller,
    path: ResourcePath,
) -> Result<StatusCode, ApiError> {
    let database = path.text("database", database_not_found)?.to_owned();
    let table = path.text("table", table_not_found)?.to_owned();
    let deleted = format!("table {table:?} of {database:?}");
    state
        .write(move |store| store.delete_table(&database, &table, Utc::now()))
        .await?;
    log::info!("{deleted} deleted");
    Ok(StatusCode::NO_CONTENT)
}

async fn rename_table(
    State(state): State<EmulatorState>,
    _caller: Caller,
    path: ResourcePath,
    JsonBody(request): JsonBody<RenameRequest>,
) -> Result<Json<Table>, ApiError> {
    let database = path.text("database", database_not_found)?.to_owned();
    let table = path.text("table", table_not_found)?.to_owned();
    let renamed = state
        .write(move |store| store.rename_table(&database, &table, request))
        .await?;
    log::info!("table renamed to {:?}", renamed.name);
    Ok(Json(renamed))
}

async fn undelete_table(
    State(state): State<EmulatorState>,
    _caller: Caller,
    path: ResourcePath,
) -> Result<Json<Table>, ApiError> {
    let database = path.text("database", database_not_found)?.to_owned();
    let id = numeric_id(&path, "table", "tableId")?;
    let table = state
        .write(move |store| store.undelete_table(&database, id))
        .await?;
    log::info!(
        "table {:?} of {:?} undeleted",
        table.name,
        table.database_name
    );
    Ok(Json(table))
}

/// The positive integer in path parameter `name` (called `api_name` in the API);
/// 400 when it is not one.
fn numeric_id(path: &ResourcePath, name: &str, api_name: &str) -> Result<i64, ApiError> {
    let invalid = || ApiError::bad_request(format!("{api_name} must be a positive integer"));
    path.text(name, database_not_found)?
        .parse::<i64>()
        .ok()
        .filter(|id| *id >= 1)
        .ok_or_else(invalid)
}
