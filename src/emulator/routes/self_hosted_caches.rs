//! The cache routes of the self-hosted products' `/api/v3` API: create and
//! delete last value caches and distinct value caches. Their system tables
//! are answered by `query_sql` ([`cache_rows`]).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse as _, Response};
use axum::routing::post;
use axum::{Json, Router};

use super::api_route;
use super::extract::{Caller, JsonBody};
use super::self_hosted::{QueryParams, admin_params, require_admin};
use crate::api::v3_caches::{
    DISTINCT_CACHE_PATH, DISTINCT_CACHES_QUERY, DistinctCacheCreateRequest, LAST_CACHE_PATH,
    LAST_CACHES_QUERY, LastCacheCreateRequest,
};
use crate::emulator::operation::Operation;
use crate::emulator::store::CacheKind;
use crate::emulator::{ApiError, EmulatorState};

/// The cache routes.
pub(super) fn routes(state: &EmulatorState) -> Router<EmulatorState> {
    Router::new()
        .route(
            LAST_CACHE_PATH,
            api_route(state, Operation::CreateLastCache, post(create_last_cache)).merge(api_route(
                state,
                Operation::DeleteLastCache,
                axum::routing::delete(delete_last_cache),
            )),
        )
        .route(
            DISTINCT_CACHE_PATH,
            api_route(
                state,
                Operation::CreateDistinctCache,
                post(create_distinct_cache),
            )
            .merge(api_route(
                state,
                Operation::DeleteDistinctCache,
                axum::routing::delete(delete_distinct_cache),
            )),
        )
}

/// The answer to `query` on `database` when it lists one of the cache system
/// tables (spacing and case free); `None` for any other query.
pub(super) fn cache_rows(
    state: &EmulatorState,
    database: &str,
    query: &str,
) -> Option<Result<Response, ApiError>> {
    let normalized = query
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_end_matches(';')
        .to_owned();
    let missing = || ApiError::not_found(format!("database not found: {database}"));
    if normalized.eq_ignore_ascii_case(LAST_CACHES_QUERY) {
        let rows = state.read(|store| store.last_cache_rows(database));
        return Some(
            rows.map(|rows| Json(rows).into_response())
                .ok_or_else(missing),
        );
    }
    if normalized.eq_ignore_ascii_case(DISTINCT_CACHES_QUERY) {
        let rows = state.read(|store| store.distinct_cache_rows(database));
        return Some(
            rows.map(|rows| Json(rows).into_response())
                .ok_or_else(missing),
        );
    }
    None
}

async fn create_last_cache(
    State(state): State<EmulatorState>,
    caller: Caller,
    JsonBody(request): JsonBody<LastCacheCreateRequest>,
) -> Result<StatusCode, ApiError> {
    require_admin(caller)?;
    state
        .write(move |store| store.create_last_cache(request))
        .await?;
    Ok(StatusCode::CREATED)
}

async fn create_distinct_cache(
    State(state): State<EmulatorState>,
    caller: Caller,
    JsonBody(request): JsonBody<DistinctCacheCreateRequest>,
) -> Result<StatusCode, ApiError> {
    require_admin(caller)?;
    state
        .write(move |store| store.create_distinct_cache(request))
        .await?;
    Ok(StatusCode::CREATED)
}

async fn delete_cache(
    state: EmulatorState,
    kind: CacheKind,
    caller: Caller,
    query: QueryParams,
) -> Result<StatusCode, ApiError> {
    let [database, table, name] = admin_params(caller, query, ["db", "table", "name"])?;
    state
        .write(move |store| store.delete_cache(kind, &database, &table, &name))
        .await?;
    Ok(StatusCode::OK)
}

async fn delete_last_cache(
    State(state): State<EmulatorState>,
    caller: Caller,
    query: QueryParams,
) -> Result<StatusCode, ApiError> {
    delete_cache(state, CacheKind::Last, caller, query).await
}

async fn delete_distinct_cache(
    State(state): State<EmulatorState>,
    caller: Caller,
    query: QueryParams,
) -> Result<StatusCode, ApiError> {
    delete_cache(state, CacheKind::Distinct, caller, query).await
}
