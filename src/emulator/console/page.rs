//! What every console page shares: the layout (header, navigation, sign-out form),
//! rendering a template into a response, redirects, error pages and times.

use askama::Template;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use chrono::{DateTime, Utc};

use super::session::SignedIn;
use super::{NavPage, PAGES};
use crate::emulator::store::Identity;

/// The layout data of `base.html`.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    /// The page's title (also the `<h1>`).
    pub(crate) title: String,
    /// The path of the navigation entry to mark as current, if any.
    pub(crate) current: &'static str,
    /// The navigation; empty when signed out.
    pub(crate) pages: &'static [NavPage],
    /// The session's CSRF token for the sign-out form; `None` when signed out.
    pub(crate) csrf_token: Option<String>,
    /// Who is signed in, for the header.
    pub(crate) signed_in_as: &'static str,
}

impl Layout {
    /// The layout of a page titled `title`, for `signed_in` (or a signed-out visitor).
    pub(crate) fn new(
        signed_in: Option<&SignedIn>,
        title: impl Into<String>,
        current: &'static str,
    ) -> Self {
        let title = title.into();
        match signed_in {
            Some(signed_in) => Self {
                title,
                current,
                pages: PAGES,
                csrf_token: Some(signed_in.session.csrf_token.clone()),
                signed_in_as: match signed_in.session.identity {
                    Identity::Bootstrap => "the bootstrap token",
                    Identity::ManagementToken(_) => "a management token",
                    // The console is not served for the self-hosted products.
                    Identity::V3AdminToken(_) | Identity::V3ResourceToken(_) => "an admin token",
                },
            },
            None => Self {
                title,
                current,
                pages: &[],
                csrf_token: None,
                signed_in_as: "",
            },
        }
    }
}

/// Renders `template` with `status`; a template error (a bug) is logged and becomes a
/// plain 500.
pub(crate) fn render(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(error) => {
            log::error!("console: rendering a page failed: {error}");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

/// A `303 See Other` to `location` (after a form, and to send a visitor to sign in).
pub(crate) fn see_other(location: &str) -> Response {
    (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, location.to_owned())],
    )
        .into_response()
}

/// A page that says what went wrong, with a link back.
#[derive(Debug, Template)]
#[template(path = "error.html")]
pub(crate) struct ErrorPage {
    layout: Layout,
    status: StatusCode,
    message: String,
}

impl ErrorPage {
    /// An error page with `status`, `title` and `message` (neither may hold a secret).
    pub(crate) fn new(
        signed_in: Option<&SignedIn>,
        status: StatusCode,
        title: &str,
        message: &str,
    ) -> Self {
        Self {
            layout: Layout::new(signed_in, title, ""),
            status,
            message: message.to_owned(),
        }
    }
}

impl IntoResponse for ErrorPage {
    fn into_response(self) -> Response {
        render(self.status, &self)
    }
}

/// The 404 page.
#[derive(Debug)]
pub(crate) struct NotFound(ErrorPage);

impl NotFound {
    /// A 404 saying `message`.
    pub(crate) fn new(signed_in: Option<&SignedIn>, message: &str) -> Self {
        Self(ErrorPage::new(
            signed_in,
            StatusCode::NOT_FOUND,
            "Not found",
            message,
        ))
    }
}

impl IntoResponse for NotFound {
    fn into_response(self) -> Response {
        self.0.into_response()
    }
}

/// A time as the console shows it, e.g. `2026-03-01 12:00 UTC`.
pub(crate) fn display_time(time: DateTime<Utc>) -> String {
    time.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// A time for a `<time datetime>` attribute (RFC 3339).
pub(crate) fn machine_time(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
