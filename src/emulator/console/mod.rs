//! The console: a small web UI at `/console`, in the manner of the InfluxDB Cloud
//! Dedicated Admin UI, to see what Terraform created and to revoke tokens by hand.
//!
//! Server-rendered HTML (askama templates compiled in from `templates/`), one CSS and
//! one JavaScript file compiled in from `assets/`, nothing loaded from another host.
//! It works without JavaScript; the script only turns the confirmation page of a
//! revoke into a dialog.
//!
//! The console calls the same [`Store`](super::store::Store) as the API, so the API,
//! the statistics (a console revoke counts as `revoke_management_token` or
//! `delete_database_token`) and the state file see its changes. It changes nothing of the API contract.
//!
//! # Structure
//!
//! - `session`: sign-in sessions (random id in an HttpOnly, SameSite=Strict cookie,
//!   8-hour lifetime, a CSRF token each) and the [`SignedIn`](session::SignedIn)
//!   extractor that every page and every state change takes.
//! - `security`: the Origin check of every POST, the CSRF comparison and the
//!   security headers of every response.
//! - `page`: what every page shares: the layout data (navigation from [`PAGES`]),
//!   rendering, redirects, error pages, time formatting.
//! - `sign_in`: sign-in and sign-out.
//! - `management_tokens`: the list (filter, search) and revoke (dialog or page).
//! - `databases`: the list of databases with their tables (search; read-only).
//! - `database_tokens`: the list (filter, search) and revoke (the API's delete).
//! - `token_pages`: the list and revoke pages of both token kinds, generic over the
//!   kind (`management_tokens`, `database_tokens` say what their tokens are).
//! - `token_lists`: what the token pages share (query, status filter, search, form).
//! - `assets`: the stylesheet and the script.
//!
//! # Adding a page per object kind
//!
//! A new object kind (databases, database tokens) is one module like
//! `databases.rs` with its `routes()` (a new token kind: a `TokenPageKind` of
//! `token_pages.rs`), one or two templates extending
//! `base.html`, one entry in [`PAGES`] (the navigation) and one `.merge()` in
//! [`routes`]. Revoking or deleting goes through the store's method for that kind and
//! records the API operation it stands for in the statistics.

mod assets;
mod database_tokens;
mod databases;
mod management_tokens;
mod page;
mod security;
mod session;
mod sign_in;
mod token_lists;
mod token_pages;

#[cfg(test)]
mod tests;

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::middleware::map_response;
use axum::response::Response;
use axum::routing::{any, get};

use self::page::NotFound;
use self::session::{Sessions, SignedIn};
use super::EmulatorState;

/// Where the console is served, relative to the emulator's base URL.
pub const CONSOLE_PATH: &str = "/console";

/// One entry of the navigation: a page per object kind.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NavPage {
    /// Absolute path of the page.
    pub(crate) path: &'static str,
    /// The link text.
    pub(crate) label: &'static str,
}

/// The pages in the navigation, in order; the first is the one after sign-in.
pub(crate) const PAGES: &[NavPage] = &[
    NavPage {
        path: management_tokens::LIST_PATH,
        label: "Management tokens",
    },
    NavPage {
        path: databases::LIST_PATH,
        label: "Databases",
    },
    NavPage {
        path: database_tokens::LIST_PATH,
        label: "Database tokens",
    },
];

/// What every console handler shares: the emulator and the sign-in sessions.
#[derive(Debug, Clone)]
pub(crate) struct ConsoleState {
    emulator: EmulatorState,
    sessions: Arc<Mutex<Sessions>>,
}

/// The console's routes, with their own state (the sessions live as long as the
/// router, i.e. the emulator process; a restart signs everyone out).
pub(crate) fn routes(state: &EmulatorState) -> Router<EmulatorState> {
    let console = ConsoleState {
        emulator: state.clone(),
        sessions: Arc::default(),
    };
    Router::new()
        .route(CONSOLE_PATH, get(home))
        .route("/console/", get(home))
        .merge(assets::routes())
        .merge(sign_in::routes())
        .merge(management_tokens::routes())
        .merge(databases::routes())
        .merge(database_tokens::routes())
        .route("/console/{*rest}", any(not_found))
        .layer(map_response(security::add_headers))
        .with_state(console)
}

/// `/console`: the first page when signed in, else the sign-in page.
async fn home(signed_in: Option<SignedIn>) -> Response {
    match signed_in {
        Some(_) => page::see_other(PAGES[0].path),
        None => page::see_other(sign_in::SIGN_IN_PATH),
    }
}

async fn not_found(signed_in: Option<SignedIn>) -> NotFound {
    NotFound::new(signed_in.as_ref(), "There is no such page in the console.")
}
