//! The table routes of the self-hosted products' `/api/v3` API: create and
//! (soft) delete a table, and on Enterprise set or clear a table's retention
//! period. The columns query that reads a table is answered by `query_sql`
//! ([`table_columns`]).

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use chrono::Utc;

use super::api_route;
use super::extract::{Caller, JsonBody};
use super::self_hosted::{QueryParams, admin_params, require_admin};
use crate::api::v3_tables::{
    ColumnRow, CreateTableRequest, TABLE_COLUMNS_QUERY_PREFIX, TABLE_PATH, TABLE_RETENTION_PATH,
    parse_sql_string_literal,
};
use crate::emulator::operation::Operation;
use crate::emulator::{ApiError, EmulatorState, Flavor};

/// The table routes of the product `state` serves.
pub(super) fn routes(state: &EmulatorState) -> Router<EmulatorState> {
    let mut router = Router::new().route(
        TABLE_PATH,
        api_route(state, Operation::CreateTable, post(create_table)).merge(api_route(
            state,
            Operation::DeleteTable,
            axum::routing::delete(delete_table),
        )),
    );
    if state.flavor() == Flavor::Enterprise {
        router = router.route(
            TABLE_RETENTION_PATH,
            api_route(
                state,
                Operation::UpdateTableRetention,
                post(set_table_retention).delete(clear_table_retention),
            ),
        );
    }
    router
}

/// The table named by a query of the form `TABLE_COLUMNS_QUERY_PREFIX 'name'`
/// (case-insensitive keywords, a trailing `;` allowed), or `None`.
pub(super) fn table_of_columns_query(query: &str) -> Option<String> {
    let query = query.trim().trim_end_matches(';').trim_end();
    let prefix = query.get(..TABLE_COLUMNS_QUERY_PREFIX.len())?;
    if !prefix.eq_ignore_ascii_case(TABLE_COLUMNS_QUERY_PREFIX) {
        return None;
    }
    parse_sql_string_literal(&query[TABLE_COLUMNS_QUERY_PREFIX.len()..])
}

/// The rows of the columns query on `database`; 404 when there is no such
/// database, as the servers answer a query on one.
pub(super) fn table_columns(
    state: &EmulatorState,
    database: &str,
    table: &str,
) -> Result<Vec<ColumnRow>, ApiError> {
    state
        .read(|store| store.v3_table_columns(database, table))
        .ok_or_else(|| ApiError::not_found(format!("database not found: {database}")))
}

async fn create_table(
    State(state): State<EmulatorState>,
    caller: Caller,
    JsonBody(request): JsonBody<CreateTableRequest>,
) -> Result<StatusCode, ApiError> {
    require_admin(caller)?;
    if request.retention_period.is_some() && state.flavor() != Flavor::Enterprise {
        return Err(ApiError::bad_request(
            "a table retention period needs InfluxDB 3 Enterprise",
        ));
    }
    let logged = format!("{}/{}", request.db, request.table);
    state
        .write(move |store| store.create_v3_table(request))
        .await?;
    log::info!("table {logged:?} created");
    Ok(StatusCode::OK)
}

/// The `db` and `table` query parameters of an admin's request.
fn table_request(caller: Caller, query: QueryParams) -> Result<(String, String), ApiError> {
    let [database, table] = admin_params(caller, query, ["db", "table"])?;
    Ok((database, table))
}

async fn delete_table(
    State(state): State<EmulatorState>,
    caller: Caller,
    query: QueryParams,
) -> Result<StatusCode, ApiError> {
    let (database, table) = table_request(caller, query)?;
    let logged = format!("{database}/{table}");
    state
        .write(move |store| store.delete_v3_table(database, table, Utc::now()))
        .await?;
    log::info!("table {logged:?} deleted");
    Ok(StatusCode::OK)
}

async fn set_table_retention(
    State(state): State<EmulatorState>,
    caller: Caller,
    query: QueryParams,
) -> Result<StatusCode, ApiError> {
    let [database, table, duration] = admin_params(caller, query, ["db", "table", "duration"])?;
    state
        .write(move |store| store.set_v3_table_retention(database, table, Some(duration)))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn clear_table_retention(
    State(state): State<EmulatorState>,
    caller: Caller,
    query: QueryParams,
) -> Result<StatusCode, ApiError> {
    let (database, table) = table_request(caller, query)?;
    state
        .write(move |store| store.set_v3_table_retention(database, table, None))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::v3_tables::table_columns_query;

    #[test]
    fn the_columns_query_is_recognised() {
        for table in ["cpu", "it's", "a  b"] {
            let query = table_columns_query(table);
            assert_eq!(table_of_columns_query(&query).as_deref(), Some(table));
            let shouted = format!("{};", query.replacen("SELECT", "select", 1));
            assert_eq!(table_of_columns_query(&shouted).as_deref(), Some(table));
        }
        assert_eq!(table_of_columns_query("SELECT * FROM system.tokens"), None);
        let unquoted = format!("{TABLE_COLUMNS_QUERY_PREFIX}cpu");
        assert_eq!(table_of_columns_query(&unquoted), None);
    }
}
