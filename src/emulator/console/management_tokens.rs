//! The management-tokens page: every token with its description, prefix, creation,
//! creator, expiry and status; a status filter and a search by description; Revoke
//! with a confirmation (a dialog with JavaScript, a page of its own without).

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
use crate::api::ManagementToken;
use crate::emulator::BOOTSTRAP_IDENTITY_ID;
use crate::emulator::operation::Operation;

/// The list page.
pub(crate) const LIST_PATH: &str = "/console/management-tokens";

pub(super) fn routes() -> Router<ConsoleState> {
    Router::new().route(LIST_PATH, get(list)).route(
        "/console/management-tokens/{token_id}/revoke",
        get(confirm_revoke).post(revoke),
    )
}

/// The URL of a token's revoke confirmation page (GET) and revoke action (POST).
fn revoke_path(id: Uuid) -> String {
    format!("{LIST_PATH}/{id}/revoke")
}

/// One row of the table.
#[derive(Debug)]
struct TokenRow {
    id: Uuid,
    description: String,
    prefix: String,
    created: String,
    created_iso: String,
    created_by: String,
    expires: String,
    expires_iso: Option<String>,
    /// `active`, `expired` or `revoked`: the badge's text and class.
    status: &'static str,
    revoked: Option<String>,
    revoked_iso: Option<String>,
    revoke_url: Option<String>,
}

impl TokenRow {
    fn new(token: &ManagementToken, all: &[ManagementToken], now: DateTime<Utc>) -> Self {
        let status = status_word(token.revoked_at.is_some(), token.is_active_at(now));
        Self {
            id: token.id,
            description: token.description.clone(),
            prefix: token.token_prefix.clone(),
            created: display_time(token.created_at),
            created_iso: machine_time(token.created_at),
            created_by: creator(token.created_by, all),
            expires: token
                .expires_at
                .map_or_else(|| "never".to_owned(), display_time),
            expires_iso: token.expires_at.map(machine_time),
            status,
            revoked: token.revoked_at.map(display_time),
            revoked_iso: token.revoked_at.map(machine_time),
            revoke_url: token.revoked_at.is_none().then(|| revoke_path(token.id)),
        }
    }
}

/// Who created a token, in words: the bootstrap token, or the minting token's
/// description and prefix.
fn creator(id: Uuid, all: &[ManagementToken]) -> String {
    if id == BOOTSTRAP_IDENTITY_ID {
        return "bootstrap token".to_owned();
    }
    match all.iter().find(|token| token.id == id) {
        Some(token) => format!("{} ({}…)", token.description, token.token_prefix),
        None => id.to_string(),
    }
}

#[derive(Debug, Template)]
#[template(path = "management_tokens.html")]
struct ListPage {
    layout: Layout,
    filters: Vec<FilterOption>,
    query: String,
    rows: Vec<TokenRow>,
    total: usize,
    notice: Option<String>,
    csrf_token: String,
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
    let tokens = console
        .emulator
        .read(|store| store.list_management_tokens());
    let rows = tokens
        .iter()
        .filter(|token| filter.keeps(token.revoked_at.is_some(), token.is_active_at(now)))
        .filter(|token| matching.keeps(&token.description))
        .map(|token| TokenRow::new(token, &tokens, now))
        .collect();
    let notice = query
        .revoked
        .and_then(|id| Uuid::parse_str(&id).ok())
        .and_then(|id| tokens.iter().find(|token| token.id == id))
        .map(|token| {
            format!(
                "Revoked “{}” ({}…). It no longer authenticates.",
                token.description, token.token_prefix
            )
        });
    let page = ListPage {
        layout: Layout::new(Some(&signed_in), "Management tokens", LIST_PATH),
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
#[template(path = "revoke_management_token.html")]
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
    let tokens = console
        .emulator
        .read(|store| store.list_management_tokens());
    let Some(token) = find(&tokens, &token_id) else {
        return token_not_found(&signed_in);
    };
    let page = ConfirmPage {
        layout: Layout::new(Some(&signed_in), "Revoke management token", LIST_PATH),
        token: TokenRow::new(token, &tokens, Utc::now()),
        action: revoke_path(token.id),
        csrf_token: signed_in.session.csrf_token.clone(),
    };
    page::render(StatusCode::OK, &page)
}

/// Revokes a token (the confirmed form of the dialog or the confirmation page), then
/// back to the list, which shows the token marked revoked.
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
    let Ok(id) = Uuid::parse_str(&token_id) else {
        return token_not_found(&signed_in);
    };
    // The same operation as DELETE on the API, counted as one.
    console
        .emulator
        .stats()
        .record(Operation::RevokeManagementToken);
    let revoked = console
        .emulator
        .write(move |store| store.revoke_management_token(id, Utc::now()))
        .await;
    match revoked {
        Ok(()) => {
            log::info!("management token {id} revoked (console)");
            page::see_other(&format!("{LIST_PATH}?revoked={id}"))
        }
        Err(error) if error.status() == StatusCode::NOT_FOUND => token_not_found(&signed_in),
        Err(error) if error.status() == StatusCode::CONFLICT => ErrorPage::new(
            Some(&signed_in),
            StatusCode::CONFLICT,
            "Already revoked",
            "This management token was already revoked.",
        )
        .into_response(),
        Err(error) => ErrorPage::new(
            Some(&signed_in),
            error.status(),
            "Revoke failed",
            error.message(),
        )
        .into_response(),
    }
}

fn find<'a>(tokens: &'a [ManagementToken], id: &str) -> Option<&'a ManagementToken> {
    let id = Uuid::parse_str(id).ok()?;
    tokens.iter().find(|token| token.id == id)
}

fn token_not_found(signed_in: &SignedIn) -> Response {
    NotFound::new(
        Some(signed_in),
        "There is no management token with this id.",
    )
    .into_response()
}
