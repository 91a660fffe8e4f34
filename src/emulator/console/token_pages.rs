//! The token pages (management tokens, database tokens), generic over the
//! token kind: the list (status filter, search by description, the notice of a
//! revoke) and Revoke with a confirmation (a dialog with JavaScript, a page of
//! its own without). Each kind module supplies its [`TokenPageKind`]: its
//! words, its tokens, its extra column and the store's revoke.

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
use crate::emulator::ApiError;
use crate::emulator::operation::Operation;
use crate::emulator::store::Store;

/// How the pages of one token kind name it.
#[derive(Debug, Clone, Copy)]
pub(super) struct PageWords {
    /// `management` or `database`: the table's id, the filter's label, the dialog.
    pub(super) kind: &'static str,
    /// The list page's path (`/console/management-tokens`).
    pub(super) list_path: &'static str,
    /// The list page's title.
    pub(super) list_title: &'static str,
    /// The confirmation page's title.
    pub(super) revoke_title: &'static str,
    /// What revoking does to the token, after "Revoking “…” " on the confirmation page.
    pub(super) revoke_consequence: &'static str,
    /// The second sentence of the notice after a revoke.
    pub(super) revoked_notice: &'static str,
    /// The log's word for the store's change (`revoked`, `deleted`).
    pub(super) revoked_verb: &'static str,
    /// Whether the table shows permissions (database tokens) rather than who
    /// created each token (management tokens).
    pub(super) permissions_column: bool,
}

/// What the pages need of a token kind.
pub(super) trait TokenPageKind: Send + Sync + 'static {
    /// The token as the store keeps it.
    type Token: Send + Sync + 'static;

    /// How the pages name the kind.
    const WORDS: PageWords;

    /// The API operation a console revoke stands for, in the statistics.
    const OPERATION: Operation;

    /// Whether the store's revoke refuses a revoked token (409); when not,
    /// the console looks first and says it was already revoked.
    const STORE_REFUSES_REVOKED: bool;

    /// Every token of the kind, revoked ones included.
    fn tokens(store: &Store) -> Vec<Self::Token>;

    fn id(token: &Self::Token) -> Uuid;
    fn description(token: &Self::Token) -> &str;
    /// The first characters of the secret; empty when unknown.
    fn prefix(token: &Self::Token) -> &str;
    fn created_at(token: &Self::Token) -> DateTime<Utc>;
    fn expires_at(token: &Self::Token) -> Option<DateTime<Utc>>;
    fn revoked_at(token: &Self::Token) -> Option<DateTime<Utc>>;

    /// The kind's own column of a row, from the token and all tokens.
    fn column(token: &Self::Token, all: &[Self::Token]) -> KindColumn;

    /// Revokes token `id` in the store.
    fn revoke(store: &mut Store, id: Uuid, now: DateTime<Utc>) -> Result<(), ApiError>;
}

/// The column a kind adds to the table.
#[derive(Debug)]
pub(super) enum KindColumn {
    /// Who created the token, in words (management tokens).
    CreatedBy(String),
    /// What the token may do, in words (database tokens).
    Permissions(Vec<String>),
}

/// The routes of the pages of kind `K`.
pub(super) fn routes<K: TokenPageKind>() -> Router<ConsoleState> {
    Router::new()
        .route(K::WORDS.list_path, get(list::<K>))
        .route(
            &format!("{}/{{token_id}}/revoke", K::WORDS.list_path),
            get(confirm_revoke::<K>).post(revoke::<K>),
        )
}

/// The URL of a token's revoke confirmation page (GET) and revoke action (POST).
fn revoke_path<K: TokenPageKind>(id: Uuid) -> String {
    format!("{}/{id}/revoke", K::WORDS.list_path)
}

/// Whether `token` still would authenticate at `now`: neither revoked nor expired.
fn is_active<K: TokenPageKind>(token: &K::Token, now: DateTime<Utc>) -> bool {
    K::revoked_at(token).is_none() && K::expires_at(token).is_none_or(|expiry| expiry > now)
}

/// One row of the table.
#[derive(Debug)]
struct TokenRow {
    id: Uuid,
    description: String,
    /// The first characters of the secret; empty when unknown.
    prefix: String,
    column: KindColumn,
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
    fn new<K: TokenPageKind>(token: &K::Token, all: &[K::Token], now: DateTime<Utc>) -> Self {
        let (created_at, expires_at, revoked_at) = (
            K::created_at(token),
            K::expires_at(token),
            K::revoked_at(token),
        );
        Self {
            id: K::id(token),
            description: K::description(token).to_owned(),
            prefix: K::prefix(token).to_owned(),
            column: K::column(token, all),
            created: display_time(created_at),
            created_iso: machine_time(created_at),
            expires: expires_at.map_or_else(|| "never".to_owned(), display_time),
            expires_iso: expires_at.map(machine_time),
            status: status_word(revoked_at.is_some(), is_active::<K>(token, now)),
            revoked: revoked_at.map(display_time),
            revoked_iso: revoked_at.map(machine_time),
            revoke_url: revoked_at.is_none().then(|| revoke_path::<K>(K::id(token))),
        }
    }

    /// Who created the token, when the kind says so.
    fn created_by(&self) -> Option<&str> {
        match &self.column {
            KindColumn::CreatedBy(creator) => Some(creator),
            KindColumn::Permissions(_) => None,
        }
    }

    /// What the token may do, when the kind says so.
    fn permissions(&self) -> Option<&[String]> {
        match &self.column {
            KindColumn::Permissions(permissions) => Some(permissions),
            KindColumn::CreatedBy(_) => None,
        }
    }
}

#[derive(Debug, Template)]
#[template(path = "token_list.html")]
struct ListPage {
    layout: Layout,
    words: PageWords,
    filters: Vec<FilterOption>,
    query: String,
    rows: Vec<TokenRow>,
    total: usize,
    notice: Option<String>,
    csrf_token: String,
}

fn all_tokens<K: TokenPageKind>(console: &ConsoleState) -> Vec<K::Token> {
    console.emulator.read(|store| K::tokens(store))
}

fn find<'a, K: TokenPageKind>(tokens: &'a [K::Token], id: &str) -> Option<&'a K::Token> {
    let id = Uuid::parse_str(id).ok()?;
    tokens.iter().find(|token| K::id(token) == id)
}

fn token_not_found<K: TokenPageKind>(signed_in: &SignedIn) -> Response {
    NotFound::new(
        Some(signed_in),
        &format!("There is no {} token with this id.", K::WORDS.kind),
    )
    .into_response()
}

fn already_revoked<K: TokenPageKind>(signed_in: &SignedIn) -> Response {
    ErrorPage::new(
        Some(signed_in),
        StatusCode::CONFLICT,
        "Already revoked",
        &format!("This {} token was already revoked.", K::WORDS.kind),
    )
    .into_response()
}

async fn list<K: TokenPageKind>(
    State(console): State<ConsoleState>,
    signed_in: SignedIn,
    Query(query): Query<ListQuery>,
) -> Response {
    let now = Utc::now();
    let filter = StatusFilter::parse(query.status.as_deref());
    let search = query.q.unwrap_or_default();
    let matching = Search::new(&search);
    let tokens = all_tokens::<K>(&console);
    let rows = tokens
        .iter()
        .filter(|token| filter.keeps(K::revoked_at(token).is_some(), is_active::<K>(token, now)))
        .filter(|token| matching.keeps(K::description(token)))
        .map(|token| TokenRow::new::<K>(token, &tokens, now))
        .collect();
    let notice = query
        .revoked
        .and_then(|id| find::<K>(&tokens, &id))
        .map(|token| {
            format!(
                "Revoked “{}” ({}…). {}",
                K::description(token),
                K::prefix(token),
                K::WORDS.revoked_notice
            )
        });
    let page = ListPage {
        layout: Layout::new(Some(&signed_in), K::WORDS.list_title, K::WORDS.list_path),
        words: K::WORDS,
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
#[template(path = "revoke_token.html")]
struct ConfirmPage {
    layout: Layout,
    words: PageWords,
    token: TokenRow,
    action: String,
    csrf_token: String,
}

/// The confirmation page: what a Revoke link leads to without JavaScript.
async fn confirm_revoke<K: TokenPageKind>(
    State(console): State<ConsoleState>,
    signed_in: SignedIn,
    Path(token_id): Path<String>,
) -> Response {
    let tokens = all_tokens::<K>(&console);
    let Some(token) = find::<K>(&tokens, &token_id) else {
        return token_not_found::<K>(&signed_in);
    };
    let page = ConfirmPage {
        layout: Layout::new(Some(&signed_in), K::WORDS.revoke_title, K::WORDS.list_path),
        words: K::WORDS,
        token: TokenRow::new::<K>(token, &tokens, Utc::now()),
        action: revoke_path::<K>(K::id(token)),
        csrf_token: signed_in.session.csrf_token.clone(),
    };
    page::render(StatusCode::OK, &page)
}

/// Revokes a token (the confirmed form of the dialog or the confirmation page)
/// through the store, as the API does, then back to the list, which shows the
/// token marked revoked.
async fn revoke<K: TokenPageKind>(
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
        return token_not_found::<K>(&signed_in);
    };
    if !K::STORE_REFUSES_REVOKED {
        // The store's change would succeed and change nothing; the console says so.
        let tokens = all_tokens::<K>(&console);
        match find::<K>(&tokens, &token_id) {
            None => return token_not_found::<K>(&signed_in),
            Some(token) if K::revoked_at(token).is_some() => {
                return already_revoked::<K>(&signed_in);
            }
            Some(_) => {}
        }
    }
    // The same operation as on the API, counted as one.
    console.emulator.stats().record(K::OPERATION);
    let revoked = console
        .emulator
        .write(move |store| K::revoke(store, id, Utc::now()))
        .await;
    match revoked {
        Ok(()) => {
            log::info!(
                "{} token {id} {} (console)",
                K::WORDS.kind,
                K::WORDS.revoked_verb
            );
            page::see_other(&format!("{}?revoked={id}", K::WORDS.list_path))
        }
        Err(error) if error.status() == StatusCode::NOT_FOUND => token_not_found::<K>(&signed_in),
        Err(error) if error.status() == StatusCode::CONFLICT => already_revoked::<K>(&signed_in),
        Err(error) => ErrorPage::new(
            Some(&signed_in),
            error.status(),
            "Revoke failed",
            error.message(),
        )
        .into_response(),
    }
}
