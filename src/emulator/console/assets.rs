//! The console's stylesheet and script, compiled into the binary and served from
//! `/console/assets/`: no build step, nothing from another host.

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

use super::ConsoleState;

/// The stylesheet's path.
pub(crate) const STYLESHEET_PATH: &str = "/console/assets/console.css";
/// The script's path.
pub(crate) const SCRIPT_PATH: &str = "/console/assets/console.js";

const STYLESHEET: &str = include_str!("assets/console.css");
const SCRIPT: &str = include_str!("assets/console.js");

pub(super) fn routes() -> Router<ConsoleState> {
    Router::new()
        .route(STYLESHEET_PATH, get(stylesheet))
        .route(SCRIPT_PATH, get(script))
}

async fn stylesheet() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        STYLESHEET,
    )
}

async fn script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        SCRIPT,
    )
}
