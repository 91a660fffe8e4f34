//! The router: one module per resource (management tokens, databases with their
//! tables, database tokens), plus the `/_emulator/` controls.
//!
//! Every API route is wrapped in [`api_controls`], which counts the request for
//! `/_emulator/stats` and applies the injected faults of `/_emulator/faults` before the
//! handler runs. Requests that match no route get the API's error body as well (404,
//! or 405 for a known path with another method).

mod controls;
mod database_tokens;
mod databases;
mod extract;
mod management_tokens;
mod self_hosted;
mod self_hosted_caches;
mod self_hosted_tables;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::http::StatusCode;
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse as _, Response};
use axum::routing::MethodRouter;

use super::faults::BodyCorruption;
use super::operation::Operation;
use super::server::ConnectionAbort;
use super::{ApiError, EmulatorState};

/// The whole application: API routes of the configured flavor plus the controls.
pub(crate) fn router(state: EmulatorState) -> Router {
    let api = if state.flavor().is_self_hosted() {
        self_hosted::routes(&state)
    } else {
        Router::new()
            .merge(management_tokens::routes(&state))
            .merge(databases::routes(&state))
            .merge(database_tokens::routes(&state))
            .merge(super::console::routes(&state))
    };
    Router::new()
        .merge(api)
        .merge(controls::routes())
        .fallback(route_not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
}

/// The state of [`api_controls`]: the emulator and the operation of the wrapped route.
#[derive(Debug, Clone)]
struct ApiOperation {
    state: EmulatorState,
    operation: Operation,
}

/// Wraps the handlers of `route` (all serving `operation`) in [`api_controls`].
fn api_route(
    state: &EmulatorState,
    operation: Operation,
    route: MethodRouter<EmulatorState>,
) -> MethodRouter<EmulatorState> {
    let api = ApiOperation {
        state: state.clone(),
        operation,
    };
    route.layer(from_fn_with_state(api, api_controls))
}

/// Counts the request, then applies the first matching injected fault: a delay, an
/// error response instead of the handler, the handler followed by a dropped
/// connection, or the handler with its success body spoiled.
async fn api_controls(State(api): State<ApiOperation>, request: Request, next: Next) -> Response {
    let ApiOperation { state, operation } = api;
    state.stats().record(operation);
    let fault = state.faults().take(request.method(), operation);
    let Some(fault) = fault else {
        return next.run(request).await;
    };
    if !fault.delay.is_zero() {
        log::info!(
            "{}: delaying by {:?} (injected)",
            operation.name(),
            fault.delay
        );
        tokio::time::sleep(fault.delay).await;
    }
    if let Some(error) = fault.error {
        log::info!(
            "{}: answering {} (injected)",
            operation.name(),
            error.status()
        );
        return error.into_response();
    }
    if let Some(corruption) = fault.corrupt_body {
        let response = next.run(request).await;
        return corrupt_success_body(operation, corruption, response).await;
    }
    if !fault.drop_after_commit {
        return next.run(request).await;
    }
    let abort = request.extensions().get::<ConnectionAbort>().cloned();
    let response = next.run(request).await;
    match abort {
        Some(abort) => {
            log::info!(
                "{}: dropping the connection after {} (injected)",
                operation.name(),
                response.status()
            );
            abort.abort();
            // Never answer: the connection task drops the connection (and this future).
            std::future::pending().await
        }
        None => {
            // Only `serve` provides the abort handle; `app()` driven directly (as unit
            // tests do) has no connection to drop.
            log::warn!("drop_after_commit needs a served connection; sending the response");
            response
        }
    }
}

/// The response with its body spoiled as `corruption` says, if it is a success;
/// an error response passes unchanged.
async fn corrupt_success_body(
    operation: Operation,
    corruption: BodyCorruption,
    response: Response,
) -> Response {
    if !response.status().is_success() {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return ApiError::internal("cannot read the response to corrupt").into_response();
    };
    log::info!(
        "{}: corrupting the {} body ({corruption:?}, injected)",
        operation.name(),
        parts.status
    );
    parts.headers.remove(CONTENT_LENGTH);
    parts.headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static(corruption.content_type()),
    );
    Response::from_parts(parts, Body::from(corruption.apply(&bytes)))
}

async fn route_not_found() -> ApiError {
    ApiError::not_found("no such route")
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method not allowed")
}

#[cfg(test)]
mod self_hosted_tests;
#[cfg(test)]
mod tests;
