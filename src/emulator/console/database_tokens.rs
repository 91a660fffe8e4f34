//! The database-tokens page: every database token with its description, prefix,
//! permissions, creation, expiry and status; a status filter and a search by
//! description; Revoke (the API's delete) with a confirmation (a dialog with
//! JavaScript, a page of its own without).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse as _, Response};
use axum::routing::get;
use axum::{Form, Router};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::ConsoleState;
use super::page::{self, ErrorPage, Layout, NotFound, display_time, machine_time};
use super::session::SignedIn;
use super::token_lists::{FilterOption, ListQuery, RevokeForm, Search, StatusFilter, status_word};
use crate::api::{ALL_DATABASES, DatabaseTokenPermission};
use crate::emulator::operation::Operation;
use crate::emulator::store::StoredDatabaseToken;

/// The list page.
pub(crate) const LIST_PATH: &str = "/console/database-tokens";

pub(super) fn routes() -> Router<ConsoleState> {
    Router::new().route(LIST_PATH, get(list)).route(
        "/console/database-tokens/{token_id}/revoke",
        get(confirm_revoke).post(revoke),
    )
}

/// The URL of a token's revoke confirmation page (GET) and revoke action (POST).
fn revoke_path(id: Uuid) -> String {
    format!("{LIST_PATH}/{id}/revoke")
}

/// Whether `token` still would authenticate at `now`: neither revoked nor expired.
fn is_active(token: &StoredDatabaseToken, now: DateTime<Utc>) -> bool {
    token.revoked_at.is_none() && token.expires_at.is_none_or(|expiry| expiry > now)
}

/// One row of the table.
#[derive(Debug)]
struct TokenRow {
    id: Uuid,
    description: String,
    /// The first characters of the secret; empty for tokens from old state files.
    prefix: String,
    permissions: Vec<String>,
    created: String,
    created_iso: String,
    expires: String,
    expires_iso: Option<String>,
    /// `active`, `expired` or `revoked`: the badge's text and class.
    status: &'static str,
    revoked: Option<String>,
    revoked_iso: Option<String>,
    revoke_url: Option<String>,
}

impl TokenRow {
    fn new(token: &StoredDatabaseToken, now: DateTime<Utc>) -> Self {
        Self {
            id: token.id,
            description: token.description.clone(),
            prefix: token.token_prefix.clone(),
            permissions: token.permissions.iter().map(permission_in_words).collect(),
            created: display_time(token.created_at),
            created_iso: machine_time(token.created_at),
            expires: token
                .expires_at
                .map_or_else(|| "never".to_owned(), display_time),
            expires_iso: token.expires_at.map(machine_time),
            status: status_word(token.revoked_at.is_some(), is_active(token, now)),
            revoked: token.revoked_at.map(display_time),
            revoked_iso: token.revoked_at.map(machine_time),
            revoke_url: token.revoked_at.is_none().then(|| revoke_path(token.id)),
        }
    }
}

/// A permission in words: `read on metrics`, `write on all databases`.
fn permission_in_words(permission: &DatabaseTokenPermission) -> String {
    if permission.resource == ALL_DATABASES {
        format!("{} on all databases", permission.action)
    } else {
        format!("{} on {}", permission.action, permission.resource)
    }
}

#[derive(Debug, Template)]
#[template(path = "database_tokens.html")]
struct ListPage {
    layout: Layout,
    filters: Vec<FilterOption>,
    query: String,
    rows: Vec<TokenRow>,
    total: usize,
    notice: Option<String>,
    csrf_token: String,
}

fn all_tokens(console: &ConsoleState) -> Vec<StoredDatabaseToken> {
    console
        .emulator
        .read(|store| store.data().database_tokens.clone())
}

async fn list(
    State(console): State<ConsoleState>,
    signed_in: SignedIn,
    Query(query): Query<ListQuery>,
) -> Response {
    let now = Utc::now();
    let filter = StatusFilter::parse(query.status.as_deref());
    let search = query.q.unwrap_or_default();
    let matching = Search::new(&search);
    let tokens = all_tokens(&console);
    let rows = tokens
        .iter()
        .filter(|token| filter.keeps(token.revoked_at.is_some(), is_active(token, now)))
        .filter(|token| matching.keeps(&token.description))
        .map(|token| TokenRow::new(token, now))
        .collect();
    let notice = query
        .revoked
        .and_then(|id| find(&tokens, &id))
        .map(|token| {
            format!(
                "Revoked “{}” ({}…). It can no longer be used.",
                token.description, token.token_prefix
            )
        });
    let page = ListPage {
        layout: Layout::new(Some(&signed_in), "Database tokens", LIST_PATH),
        filters: filter.options(),
        query: search,
        rows,
        total: tokens.len(),
        notice,
        csrf_token: signed_in.session.csrf_token.clone(),
    };
    page::render(StatusCode::OK, &page)
}

#[derive(Debug, Template)]
#[template(path = "revoke_database_token.html")]
struct ConfirmPage {
    layout: Layout,
    token: TokenRow,
    action: String,
    csrf_token: String,
}

/// The confirmation page: what a Revoke link leads to without JavaScript.
async fn confirm_revoke(
    State(console): State<ConsoleState>,
    signed_in: SignedIn,
    Path(token_id): Path<String>,
) -> Response {
    let tokens = all_tokens(&console);
    let Some(token) = find(&tokens, &token_id) else {
        return token_not_found(&signed_in);
    };
    let page = ConfirmPage {
        layout: Layout::new(Some(&signed_in), "Revoke database token", LIST_PATH),
        token: TokenRow::new(token, Utc::now()),
        action: revoke_path(token.id),
        csrf_token: signed_in.session.csrf_token.clone(),
    };
    page::render(StatusCode::OK, &page)
}

/// Revokes a token (the confirmed form of the dialog or the confirmation page) with
/// the API's delete, then back to the list, which shows the token marked revoked.
async fn revoke(
    State(console): State<ConsoleState>,
    signed_in: SignedIn,
    Path(token_id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<RevokeForm>,
) -> Response {
    if let Err(reason) = signed_in.check_post(&headers, &form.csrf_token) {
        return signed_in.refuse(reason);
    }
    let tokens = all_tokens(&console);
    let Some(token) = find(&tokens, &token_id) else {
        return token_not_found(&signed_in);
    };
    if token.revoked_at.is_some() {
        // The API's delete would succeed and change nothing; the console says so.
        return ErrorPage::new(
            Some(&signed_in),
            StatusCode::CONFLICT,
            "Already revoked",
            "This database token was already revoked.",
        )
        .into_response();
    }
    let id = token.id;
    // The same operation as DELETE on the API, counted as one.
    console
        .emulator
        .stats()
        .record(Operation::DeleteDatabaseToken);
    let revoked = console
        .emulator
        .write(move |store| store.delete_database_token(id, Utc::now()))
        .await;
    match revoked {
        Ok(()) => {
            log::info!("database token {id} deleted (console)");
            page::see_other(&format!("{LIST_PATH}?revoked={id}"))
        }
        Err(error) if error.status() == StatusCode::NOT_FOUND => token_not_found(&signed_in),
        Err(error) => ErrorPage::new(
            Some(&signed_in),
            error.status(),
            "Revoke failed",
            error.message(),
        )
        .into_response(),
    }
}

fn find<'a>(tokens: &'a [StoredDatabaseToken], id: &str) -> Option<&'a StoredDatabaseToken> {
    let id = Uuid::parse_str(id).ok()?;
    tokens.iter().find(|token| token.id == id)
}

fn token_not_found(signed_in: &SignedIn) -> Response {
    NotFound::new(Some(signed_in), "There is no database token with this id.").into_response()
}
