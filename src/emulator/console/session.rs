//! Sign-in sessions: a random id in a cookie, a CSRF token bound to each session, and
//! the [`SignedIn`] extractor that guards every page and every state change.
//!
//! Sessions live in memory only. A session ends at sign-out, after
//! [`SESSION_LIFETIME`], and as soon as the token it was opened with stops
//! authenticating (revoked or expired), so revoking your own token signs you out.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse as _, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Utc;

use super::page;
use super::security;
use super::{ConsoleState, sign_in};
use crate::emulator::store::Identity;

/// The session cookie's name.
pub(crate) const COOKIE_NAME: &str = "influxdb3_console_session";

/// How long a session lasts after sign-in, whatever happens meanwhile.
pub(crate) const SESSION_LIFETIME: Duration = Duration::from_secs(8 * 60 * 60);

/// At most this many sessions are kept; signing in beyond it ends the oldest.
const MAX_SESSIONS: usize = 1000;

/// Random bytes in a session id and in a CSRF token (256 bits).
const RANDOM_BYTES: usize = 32;

/// One signed-in browser.
#[derive(Clone)]
pub(crate) struct Session {
    /// Who signed in: the bootstrap token or a minted management token.
    pub(crate) identity: Identity,
    /// The CSRF token every form of this session carries.
    pub(crate) csrf_token: String,
    expires_at: Instant,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("identity", &self.identity)
            .field("csrf_token", &"<redacted>")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// Every open session, by session id.
#[derive(Default)]
pub(crate) struct Sessions {
    by_id: HashMap<String, Session>,
}

impl std::fmt::Debug for Sessions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Not the ids: each one is a bearer credential.
        f.debug_struct("Sessions")
            .field("open", &self.by_id.len())
            .finish()
    }
}

impl Sessions {
    /// Opens a session for `identity` at `now`; returns its id and the session.
    pub(crate) fn open(
        &mut self,
        identity: Identity,
        now: Instant,
    ) -> Result<(String, Session), getrandom::Error> {
        self.by_id.retain(|_, session| session.expires_at > now);
        if self.by_id.len() >= MAX_SESSIONS
            && let Some(oldest) = self
                .by_id
                .iter()
                .min_by_key(|(_, session)| session.expires_at)
                .map(|(id, _)| id.clone())
        {
            self.by_id.remove(&oldest);
        }
        let session = Session {
            identity,
            csrf_token: random_token()?,
            expires_at: now + SESSION_LIFETIME,
        };
        let id = random_token()?;
        self.by_id.insert(id.clone(), session.clone());
        Ok((id, session))
    }

    /// The session with `id` if it has not expired at `now`.
    pub(crate) fn get(&self, id: &str, now: Instant) -> Option<Session> {
        self.by_id
            .get(id)
            .filter(|session| session.expires_at > now)
            .cloned()
    }

    /// Ends the session with `id`, if there is one.
    pub(crate) fn close(&mut self, id: &str) {
        self.by_id.remove(id);
    }
}

/// 256 random bits from the operating system, in unpadded base64url.
fn random_token() -> Result<String, getrandom::Error> {
    let mut bytes = [0_u8; RANDOM_BYTES];
    getrandom::fill(&mut bytes)?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// The `Set-Cookie` value that stores session `id` in the browser.
pub(crate) fn session_cookie(id: &str) -> String {
    format!(
        "{COOKIE_NAME}={id}; Path=/console; Max-Age={}; HttpOnly; SameSite=Strict",
        SESSION_LIFETIME.as_secs()
    )
}

/// The `Set-Cookie` value that removes the session cookie.
pub(crate) fn expired_session_cookie() -> String {
    format!("{COOKIE_NAME}=; Path=/console; Max-Age=0; HttpOnly; SameSite=Strict")
}

/// The session id in the request's `Cookie` headers, if any.
pub(crate) fn session_id(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| value)
        .filter(|value| !value.is_empty())
}

impl ConsoleState {
    /// The live session of `id`: not expired, and its token still authenticates.
    /// A session whose token was revoked or expired is closed here.
    pub(crate) fn session(&self, id: &str) -> Option<Session> {
        let session = lock(&self.sessions).get(id, Instant::now())?;
        let valid = match session.identity {
            Identity::Bootstrap => true,
            Identity::ManagementToken(token_id) => self.emulator.read(|store| {
                store
                    .get_management_token(token_id)
                    .is_ok_and(|token| token.is_active_at(Utc::now()))
            }),
            // The console is not served for the self-hosted products.
            Identity::V3AdminToken(_) | Identity::V3ResourceToken(_) => false,
        };
        if valid {
            Some(session)
        } else {
            lock(&self.sessions).close(id);
            None
        }
    }

    /// Opens a session for `identity`; its id and the session.
    pub(crate) fn open_session(
        &self,
        identity: Identity,
    ) -> Result<(String, Session), getrandom::Error> {
        lock(&self.sessions).open(identity, Instant::now())
    }

    /// Ends the session with `id`.
    pub(crate) fn close_session(&self, id: &str) {
        lock(&self.sessions).close(id);
    }
}

fn lock(sessions: &std::sync::Mutex<Sessions>) -> std::sync::MutexGuard<'_, Sessions> {
    sessions
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A request from a signed-in browser. Without a live session, a page request is
/// redirected to the sign-in page and anything else is refused with 403.
#[derive(Debug, Clone)]
pub(crate) struct SignedIn {
    /// The session id (the cookie's value).
    pub(crate) session_id: String,
    /// The session.
    pub(crate) session: Session,
}

impl SignedIn {
    /// Checks a state-changing request of this session: the Origin check and the CSRF
    /// token of the submitted form. The error is the reason, for [`SignedIn::refuse`].
    pub(crate) fn check_post(
        &self,
        headers: &HeaderMap,
        csrf_token: &str,
    ) -> Result<(), &'static str> {
        security::check_same_origin(headers)?;
        if security::same_secret(csrf_token, &self.session.csrf_token) {
            Ok(())
        } else {
            Err(
                "The form's CSRF token is missing or does not belong to this session. Reload the page and try again.",
            )
        }
    }

    /// The 403 page for a state change refused for `reason`.
    pub(crate) fn refuse(&self, reason: &str) -> Response {
        log::info!("console: refused a state change ({reason})");
        page::ErrorPage::new(Some(self), StatusCode::FORBIDDEN, "Request refused", reason)
            .into_response()
    }
}

impl FromRequestParts<ConsoleState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &ConsoleState) -> Result<Self, Response> {
        if let Some(signed_in) = signed_in(parts, state) {
            return Ok(signed_in);
        }
        if parts.method == Method::GET || parts.method == Method::HEAD {
            Err(page::see_other(sign_in::SIGN_IN_PATH))
        } else {
            Err(page::ErrorPage::new(
                None,
                StatusCode::FORBIDDEN,
                "Sign in first",
                "This action needs a console session. Sign in and try again.",
            )
            .into_response())
        }
    }
}

impl OptionalFromRequestParts<ConsoleState> for SignedIn {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &ConsoleState,
    ) -> Result<Option<Self>, Self::Rejection> {
        Ok(signed_in(parts, state))
    }
}

fn signed_in(parts: &Parts, state: &ConsoleState) -> Option<SignedIn> {
    let id = session_id(&parts.headers)?;
    let session = state.session(id)?;
    Some(SignedIn {
        session_id: id.to_owned(),
        session,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn sessions_expire_and_close() {
        let mut sessions = Sessions::default();
        let now = Instant::now();
        let (id, session) = sessions
            .open(Identity::Bootstrap, now)
            .unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(id.len(), 43, "256 bits in base64url");
        assert_ne!(id, session.csrf_token);
        assert!(sessions.get(&id, now).is_some());
        assert!(sessions.get(&id, now + SESSION_LIFETIME).is_none());
        sessions.close(&id);
        assert!(sessions.get(&id, now).is_none());
    }

    #[test]
    fn every_session_gets_its_own_id_and_csrf_token() {
        let mut sessions = Sessions::default();
        let now = Instant::now();
        let open = |sessions: &mut Sessions| {
            sessions
                .open(Identity::Bootstrap, now)
                .unwrap_or_else(|error| panic!("{error}"))
        };
        let (first_id, first) = open(&mut sessions);
        let (second_id, second) = open(&mut sessions);
        assert_ne!(first_id, second_id);
        assert_ne!(first.csrf_token, second.csrf_token);
    }

    #[test]
    fn the_oldest_session_makes_room() {
        let mut sessions = Sessions::default();
        let start = Instant::now();
        let (oldest, _) = sessions
            .open(Identity::Bootstrap, start)
            .unwrap_or_else(|error| panic!("{error}"));
        for second in 1..MAX_SESSIONS as u64 + 1 {
            let at = start + Duration::from_secs(second);
            assert!(sessions.open(Identity::Bootstrap, at).is_ok());
        }
        assert_eq!(sessions.by_id.len(), MAX_SESSIONS);
        assert!(sessions.get(&oldest, start).is_none());
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.append(header::COOKIE, HeaderValue::from_static("a=1; b=2"));
        assert_eq!(session_id(&headers), None);
        headers.append(
            header::COOKIE,
            HeaderValue::from_static("x=y; influxdb3_console_session=abc; z=1"),
        );
        assert_eq!(session_id(&headers), Some("abc"));
        let cookie = session_cookie("abc");
        for attribute in [
            "HttpOnly",
            "SameSite=Strict",
            "Max-Age=28800",
            "Path=/console",
        ] {
            assert!(cookie.contains(attribute), "{cookie}");
        }
    }
}
