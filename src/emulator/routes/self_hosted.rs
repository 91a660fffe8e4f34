//! The `/api/v3` routes of the self-hosted products (InfluxDB 3 Core and
//! Enterprise): named admin tokens, resource tokens (Enterprise only), token
//! deletion by name, databases, and the one SQL query that lists tokens.
//!
//! Errors use the v3 body `{"error": "..."}` ([`V3ErrorBody`]).

use std::collections::HashMap;

use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::middleware::map_response;
use axum::response::{IntoResponse as _, Response};
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use chrono::Utc;

use super::api_route;
use super::extract::{Caller, JsonBody};
use crate::api::ErrorBody;
use crate::api::v3::{
    CreateDatabaseRequest, CreateNamedAdminTokenRequest, CreateResourceTokenRequest, CreatedToken,
    DATABASE_PATH, DATABASE_RETENTION_PATH, INTERNAL_DATABASE, NAMED_ADMIN_TOKEN_PATH,
    QUERY_SQL_PATH, QueryRequest, RESOURCE_TOKEN_PATH, ShowDatabasesResponse, TOKEN_PATH,
    UpdateDatabaseRequest, V3ErrorBody,
};
use crate::emulator::operation::Operation;
use crate::emulator::store::is_admin;
use crate::emulator::{ApiError, EmulatorState, Flavor};

/// The largest error body rewritten into the v3 form.
const MAX_ERROR_BODY_BYTES: usize = 64 * 1024;

pub(super) type QueryParams = Result<Query<HashMap<String, String>>, QueryRejection>;

/// The `/api/v3` routes of the product `state` serves.
pub(super) fn routes(state: &EmulatorState) -> Router<EmulatorState> {
    let mut router = Router::new()
        .route(
            NAMED_ADMIN_TOKEN_PATH,
            api_route(state, Operation::CreateAdminToken, post(create_admin_token)),
        )
        .route(
            TOKEN_PATH,
            api_route(state, Operation::DeleteToken, delete(delete_token)),
        )
        .route(
            QUERY_SQL_PATH,
            api_route(state, Operation::QuerySql, post(query_sql)),
        )
        .route(
            DATABASE_PATH,
            api_route(state, Operation::CreateDatabase, post(create_database))
                .merge(api_route(
                    state,
                    Operation::ListDatabases,
                    get(list_databases),
                ))
                .merge(api_route(
                    state,
                    Operation::UpdateDatabase,
                    put(update_database),
                ))
                .merge(api_route(
                    state,
                    Operation::DeleteDatabase,
                    delete(delete_database),
                )),
        )
        .route(
            DATABASE_RETENTION_PATH,
            api_route(
                state,
                Operation::DeleteDatabaseRetention,
                delete(delete_database_retention),
            ),
        );
    if state.flavor() == Flavor::Enterprise {
        router = router.route(
            RESOURCE_TOKEN_PATH,
            api_route(
                state,
                Operation::CreateResourceToken,
                post(create_resource_token),
            ),
        );
    }
    router
        .merge(super::self_hosted_tables::routes(state))
        .merge(super::self_hosted_caches::routes(state))
        .layer(map_response(v3_error_body))
}

/// An authenticated caller allowed to administer the server.
pub(super) fn require_admin(Caller(identity): Caller) -> Result<(), ApiError> {
    if is_admin(identity) {
        Ok(())
    } else {
        Err(ApiError::forbidden("this needs an admin token"))
    }
}

/// The query parameter `name` of a request an admin must make.
fn admin_request_for(caller: Caller, query: QueryParams, name: &str) -> Result<String, ApiError> {
    let [value] = admin_params(caller, query, [name])?;
    Ok(value)
}

/// The query parameters `names` of a request an admin must make, each
/// required and non-empty (the first missing one is the error).
pub(super) fn admin_params<const N: usize>(
    caller: Caller,
    query: QueryParams,
    names: [&str; N],
) -> Result<[String; N], ApiError> {
    require_admin(caller)?;
    let params = params(query)?;
    let mut values = names.map(|_| String::new());
    for (value, name) in values.iter_mut().zip(names) {
        *value = required(&params, name)?.to_owned();
    }
    Ok(values)
}

pub(super) fn params(query: QueryParams) -> Result<HashMap<String, String>, ApiError> {
    query
        .map(|Query(params)| params)
        .map_err(|_| ApiError::bad_request("malformed query string"))
}

pub(super) fn required<'a>(
    params: &'a HashMap<String, String>,
    name: &str,
) -> Result<&'a str, ApiError> {
    params
        .get(name)
        .map(String::as_str)
        .filter(|value| !value.is_empty())
        .ok_or_else(|| ApiError::bad_request(format!("missing query parameter {name}")))
}

async fn create_admin_token(
    State(state): State<EmulatorState>,
    caller: Caller,
    JsonBody(request): JsonBody<CreateNamedAdminTokenRequest>,
) -> Result<(StatusCode, Json<CreatedToken>), ApiError> {
    require_admin(caller)?;
    let token = state
        .write(move |store| store.create_named_admin_token(request, Utc::now()))
        .await?;
    log::info!("admin token {:?} created", token.name);
    Ok((StatusCode::CREATED, Json(token)))
}

async fn create_resource_token(
    State(state): State<EmulatorState>,
    caller: Caller,
    JsonBody(request): JsonBody<CreateResourceTokenRequest>,
) -> Result<(StatusCode, Json<CreatedToken>), ApiError> {
    require_admin(caller)?;
    let token = state
        .write(move |store| store.create_resource_token(request, Utc::now()))
        .await?;
    log::info!("resource token {:?} created", token.name);
    Ok((StatusCode::CREATED, Json(token)))
}

async fn delete_token(
    State(state): State<EmulatorState>,
    caller: Caller,
    query: QueryParams,
) -> Result<StatusCode, ApiError> {
    let name = admin_request_for(caller, query, "token_name")?;
    let logged = name.clone();
    state
        .write(move |store| store.delete_v3_token(&name))
        .await?;
    log::info!("token {logged:?} deleted");
    Ok(StatusCode::OK)
}

/// Answers, as format `json` (an array of row objects), the queries the
/// provider sends: `SELECT * FROM system.tokens` on `_internal` (spacing and
/// case free), `SELECT * FROM system.last_caches` and `system.distinct_caches`
/// on a database, and the columns of one table on a database
/// ([`table_of_columns_query`](super::self_hosted_tables::table_of_columns_query)).
async fn query_sql(
    State(state): State<EmulatorState>,
    caller: Caller,
    JsonBody(request): JsonBody<QueryRequest>,
) -> Result<Response, ApiError> {
    require_admin(caller)?;
    if !matches!(request.format.as_deref(), None | Some("json")) {
        return Err(ApiError::bad_request(
            "the emulator answers format json only",
        ));
    }
    if let Some(table) = super::self_hosted_tables::table_of_columns_query(&request.q) {
        let rows = super::self_hosted_tables::table_columns(&state, &request.db, &table)?;
        return Ok(Json(rows).into_response());
    }
    if let Some(answer) = super::self_hosted_caches::cache_rows(&state, &request.db, &request.q) {
        return answer;
    }
    if request.db != INTERNAL_DATABASE {
        return Err(ApiError::not_found("database not found"));
    }
    let normalized = request
        .q
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_end_matches(';')
        .to_ascii_lowercase();
    if normalized != "select * from system.tokens" {
        return Err(ApiError::bad_request(
            "the emulator answers only SELECT * FROM system.tokens on _internal, the \
             columns query of one table and SELECT * FROM system.last_caches or \
             system.distinct_caches",
        ));
    }
    Ok(Json(state.read(|store| store.token_rows())).into_response())
}

async fn create_database(
    State(state): State<EmulatorState>,
    caller: Caller,
    JsonBody(request): JsonBody<CreateDatabaseRequest>,
) -> Result<StatusCode, ApiError> {
    require_admin(caller)?;
    let name = request.db.clone();
    state
        .write(move |store| store.create_v3_database(request, Utc::now()))
        .await?;
    log::info!("database {name:?} created");
    Ok(StatusCode::OK)
}

async fn list_databases(
    State(state): State<EmulatorState>,
    caller: Caller,
    query: QueryParams,
) -> Result<Json<ShowDatabasesResponse>, ApiError> {
    require_admin(caller)?;
    let params = params(query)?;
    if required(&params, "format")? != "json" {
        return Err(ApiError::bad_request(
            "the emulator answers format json only",
        ));
    }
    let show_deleted = params
        .get("show_deleted")
        .is_some_and(|value| value == "true");
    Ok(Json(ShowDatabasesResponse {
        databases: state.read(|store| store.database_names(show_deleted)),
    }))
}

async fn update_database(
    State(state): State<EmulatorState>,
    caller: Caller,
    JsonBody(request): JsonBody<UpdateDatabaseRequest>,
) -> Result<StatusCode, ApiError> {
    require_admin(caller)?;
    state
        .write(move |store| {
            store.set_v3_database_retention(request.db, Some(request.retention_period))
        })
        .await?;
    Ok(StatusCode::OK)
}

async fn delete_database(
    State(state): State<EmulatorState>,
    caller: Caller,
    query: QueryParams,
) -> Result<StatusCode, ApiError> {
    let name = admin_request_for(caller, query, "db")?;
    let logged = name.clone();
    state
        .write(move |store| store.delete_v3_database(name, Utc::now()))
        .await?;
    log::info!("database {logged:?} deleted");
    Ok(StatusCode::OK)
}

async fn delete_database_retention(
    State(state): State<EmulatorState>,
    caller: Caller,
    query: QueryParams,
) -> Result<StatusCode, ApiError> {
    let name = admin_request_for(caller, query, "db")?;
    state
        .write(move |store| store.set_v3_database_retention(name, None))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Rewrites the emulator's `{"code", "message"}` error body into the v3 API's
/// `{"error"}`.
async fn v3_error_body(response: Response) -> Response {
    if response.status().is_success() {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ERROR_BODY_BYTES).await else {
        return ApiError::internal("unreadable error body").into_response();
    };
    match serde_json::from_slice::<ErrorBody>(&bytes) {
        Ok(ErrorBody { message, .. }) => {
            let rewritten = serde_json::to_vec(&V3ErrorBody { error: message }).unwrap_or_default();
            parts.headers.remove(header::CONTENT_LENGTH);
            Response::from_parts(parts, Body::from(rewritten))
        }
        Err(_) => Response::from_parts(parts, Body::from(bytes)),
    }
}
