//! Sign-in with a management token the emulator accepts, and sign-out.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse as _, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::Utc;
use serde::Deserialize;

use super::page::{self, ErrorPage, Layout};
use super::session::{self, SignedIn};
use super::{ConsoleState, PAGES, security};

/// The sign-in page (GET) and form target (POST).
pub(crate) const SIGN_IN_PATH: &str = "/console/sign-in";
/// The sign-out form target.
pub(crate) const SIGN_OUT_PATH: &str = "/console/sign-out";

pub(super) fn routes() -> Router<ConsoleState> {
    Router::new()
        .route(SIGN_IN_PATH, get(sign_in_page).post(sign_in))
        .route(SIGN_OUT_PATH, post(sign_out))
}

#[derive(Debug, Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    layout: Layout,
    error: Option<&'static str>,
}

impl SignInPage {
    fn new(error: Option<&'static str>) -> Self {
        Self {
            layout: Layout::new(None, "Sign in", ""),
            error,
        }
    }
}

/// The sign-in form. The token is never echoed back.
#[derive(Deserialize)]
struct SignInForm {
    #[serde(default)]
    token: String,
}

/// The sign-out form.
#[derive(Debug, Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf_token: String,
}

async fn sign_in_page(signed_in: Option<SignedIn>) -> Response {
    match signed_in {
        Some(_) => page::see_other(PAGES[0].path),
        None => page::render(StatusCode::OK, &SignInPage::new(None)),
    }
}

async fn sign_in(
    State(console): State<ConsoleState>,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Response {
    if let Err(message) = security::check_same_origin(&headers) {
        log::info!("console: refused a cross-site sign-in");
        return ErrorPage::new(None, StatusCode::FORBIDDEN, "Request refused", message)
            .into_response();
    }
    let token = form.token.trim();
    let identity = match token {
        "" => None,
        token => console
            .emulator
            .read(|store| store.authenticate(token, Utc::now())),
    };
    let Some(identity) = identity else {
        log::info!("console: sign-in refused (token not accepted)");
        let error = if token.is_empty() {
            "Enter a management token."
        } else {
            "This token is not accepted: it is unknown, revoked or expired."
        };
        return page::render(StatusCode::UNAUTHORIZED, &SignInPage::new(Some(error)));
    };
    let (id, _) = match console.open_session(identity) {
        Ok(opened) => opened,
        Err(error) => {
            log::error!("console: cannot open a session: {error}");
            return ErrorPage::new(
                None,
                StatusCode::INTERNAL_SERVER_ERROR,
                "Internal error",
                "The session could not be created.",
            )
            .into_response();
        }
    };
    log::info!("console: signed in");
    let mut response = page::see_other(PAGES[0].path);
    if let Ok(cookie) = session::session_cookie(&id).parse() {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

async fn sign_out(
    State(console): State<ConsoleState>,
    signed_in: SignedIn,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Response {
    if let Err(reason) = signed_in.check_post(&headers, &form.csrf_token) {
        return signed_in.refuse(reason);
    }
    console.close_session(&signed_in.session_id);
    log::info!("console: signed out");
    let mut response = page::see_other(SIGN_IN_PATH);
    if let Ok(cookie) = session::expired_session_cookie().parse() {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}
