//! `/_emulator/`: test controls (fault injection and request counters), reachable only
//! with the bootstrap token.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};

use super::extract::{BootstrapCaller, JsonBody};
use crate::emulator::faults::FaultRequest;
use crate::emulator::stats::StatsBody;
use crate::emulator::{ApiError, EmulatorState};

/// The control routes.
pub(super) fn routes() -> Router<EmulatorState> {
    Router::new()
        .route("/_emulator/faults", post(add_fault).delete(clear_faults))
        .route("/_emulator/stats", get(stats))
        .route("/_emulator/stats/reset", post(reset_stats))
}

async fn add_fault(
    State(state): State<EmulatorState>,
    _caller: BootstrapCaller,
    JsonBody(request): JsonBody<FaultRequest>,
) -> Result<StatusCode, ApiError> {
    state.faults().push(request)?;
    Ok(StatusCode::NO_CONTENT)
}

async fn clear_faults(State(state): State<EmulatorState>, _caller: BootstrapCaller) -> StatusCode {
    state.faults().clear();
    StatusCode::NO_CONTENT
}

async fn stats(State(state): State<EmulatorState>, _caller: BootstrapCaller) -> Json<StatsBody> {
    Json(state.stats().body())
}

async fn reset_stats(State(state): State<EmulatorState>, _caller: BootstrapCaller) -> StatusCode {
    state.stats().reset();
    StatusCode::NO_CONTENT
}
