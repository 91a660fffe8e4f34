//! The console driven with `oneshot`: sessions, CSRF and Origin checks, escaping, and
//! that a console revoke is the store's revoke. The browser tests are in
//! `tests/integration/console/`.

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use chrono::Utc;
use tower::ServiceExt as _;

use crate::api::{CreateManagementTokenRequest, ManagementToken};
use crate::emulator::store::Identity;
use crate::emulator::{Config, EmulatorState, Flavor, app};

const BOOTSTRAP: &str = "bootstrap-secret";
const HOST: &str = "127.0.0.1:8181";
const ORIGIN: &str = "http://127.0.0.1:8181";

/// The databases and database-tokens pages, with this file's [`Console`].
mod database_pages;

struct Console {
    state: EmulatorState,
    app: Router,
}

struct Reply {
    status: StatusCode,
    location: String,
    set_cookie: String,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Console {
    /// On the token list at `list_path` (with a revoked token `gone` and an active
    /// one `kept`, whose description contains "pipeline"): how many rows each
    /// status filter and search shows (`search` is a case-insensitive search for
    /// "pipe" among all tokens); the revoked list, which shows `gone`, not `kept`,
    /// and no Revoke.
    async fn check_token_filters(
        &self,
        list_path: &str,
        cookie: &str,
        search: &str,
        gone: uuid::Uuid,
        kept: uuid::Uuid,
    ) {
        let rows = |body: &str| body.matches("<tr data-token-id=").count();
        let cases = [
            ("", 2),
            ("?status=all", 2),
            ("?status=active", 1),
            ("?status=revoked", 1),
            (search, 1),
            ("?status=revoked&q=pipeline", 0),
        ];
        for (query, expected) in cases {
            let page = self.get(&format!("{list_path}{query}"), Some(cookie)).await;
            assert_eq!(rows(&page.body), expected, "{query}");
        }
        let revoked = self
            .get(&format!("{list_path}?status=revoked"), Some(cookie))
            .await;
        assert!(revoked.body.contains(&gone.to_string()));
        assert!(!revoked.body.contains(&kept.to_string()));
        assert!(
            !revoked.body.contains("data-revoke "),
            "a revoked token has no Revoke"
        );
    }
}

impl Console {
    fn new() -> Self {
        Self::with_flavor(Flavor::CloudDedicated)
    }

    fn with_flavor(flavor: Flavor) -> Self {
        Self::with_config(Config {
            flavor,
            ..Config::default()
        })
    }

    /// A console of an emulator with `config` and the bootstrap token [`BOOTSTRAP`].
    fn with_config(config: Config) -> Self {
        let config = Config {
            bootstrap_token: Some(BOOTSTRAP.to_owned()),
            ..config
        };
        let state = EmulatorState::new(config).unwrap_or_else(|error| panic!("{error}"));
        Self {
            app: app(state.clone()),
            state,
        }
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        cookie: Option<&str>,
        origin: Option<&str>,
        form: Option<String>,
    ) -> Reply {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, HOST);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        if let Some(origin) = origin {
            request = request.header(header::ORIGIN, origin);
        }
        let body = match form {
            Some(form) => {
                request = request.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
                Body::from(form)
            }
            None => Body::empty(),
        };
        let request = request.body(body).unwrap_or_else(|error| panic!("{error}"));
        let response = self
            .app
            .clone()
            .oneshot(request)
            .await
            .unwrap_or_else(|error| match error {});
        let status = response.status();
        let headers = response.headers().clone();
        let text = |name| {
            headers
                .get(name)
                .and_then(|value| value.to_str().ok())
                .unwrap_or("")
                .to_owned()
        };
        let location = text(header::LOCATION);
        let set_cookie = text(header::SET_COOKIE);
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap_or_default();
        Reply {
            status,
            location,
            set_cookie,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    async fn get(&self, path: &str, cookie: Option<&str>) -> Reply {
        self.send(Method::GET, path, cookie, None, None).await
    }

    /// Posts the sign-in form with `token`, as a page of `origin` would.
    async fn post_sign_in(&self, token: &str, origin: &str) -> Reply {
        let form = format!("token={}", urlencode(token));
        self.send(
            Method::POST,
            "/console/sign-in",
            None,
            Some(origin),
            Some(form),
        )
        .await
    }

    /// Signs in with `token`; the session cookie (`name=value`).
    async fn sign_in(&self, token: &str) -> String {
        let reply = self.post_sign_in(token, ORIGIN).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        reply
            .set_cookie
            .split(';')
            .next()
            .unwrap_or_default()
            .to_owned()
    }

    /// The CSRF token in the forms of a signed-in page.
    async fn csrf_token(&self, cookie: &str) -> String {
        let page = self.get("/console/management-tokens", Some(cookie)).await;
        let marker = "name=\"csrf_token\" value=\"";
        let start = page
            .body
            .find(marker)
            .unwrap_or_else(|| panic!("no CSRF token in {}", page.body))
            + marker.len();
        page.body[start..]
            .split('"')
            .next()
            .unwrap_or_default()
            .to_owned()
    }

    async fn mint(&self, description: &str) -> ManagementToken {
        let request = CreateManagementTokenRequest {
            description: description.to_owned(),
            expires_at: None,
        };
        self.state
            .write(move |store| {
                store.create_management_token(Identity::Bootstrap, request, None, Utc::now())
            })
            .await
            .unwrap_or_else(|error| panic!("{error}"))
    }

    /// Revokes `token` through the store, as the API would.
    async fn revoke_in_store(&self, token: &ManagementToken) {
        let id = token.id;
        self.state
            .write(move |store| store.revoke_management_token(id, Utc::now()))
            .await
            .unwrap_or_else(|error| panic!("{error}"));
    }

    fn token(&self, token: &ManagementToken) -> ManagementToken {
        let id = token.id;
        self.state
            .read(|store| store.get_management_token(id))
            .unwrap_or_else(|error| panic!("{error}"))
    }
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                (byte as char).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn no_page_without_a_session() {
    let console = Console::new();
    console.mint("visible only when signed in").await;
    for path in [
        "/console",
        "/console/management-tokens",
        "/console/management-tokens?status=revoked",
    ] {
        let reply = console.get(path, None).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(reply.location, "/console/sign-in", "{path}");
        assert!(!reply.body.contains("visible only"), "{path}");
    }
    let forged = console
        .get(
            "/console/management-tokens",
            Some("influxdb3_console_session=forged"),
        )
        .await;
    assert_eq!(forged.location, "/console/sign-in");
    let sign_in = console.get("/console/sign-in", None).await;
    assert_eq!(sign_in.status, StatusCode::OK);
    assert!(
        sign_in
            .body
            .contains("<label for=\"token\">Management token</label>")
    );
}

#[tokio::test]
async fn a_wrong_token_is_refused_and_not_echoed() {
    let console = Console::new();
    let reply = console.post_sign_in("M.V1.not-a-real-token", ORIGIN).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert!(reply.set_cookie.is_empty());
    assert!(reply.body.contains("This token is not accepted"));
    assert!(!reply.body.contains("not-a-real-token"));
}

#[tokio::test]
async fn sign_in_sets_a_strict_http_only_expiring_cookie() {
    let console = Console::new();
    let reply = console.post_sign_in(BOOTSTRAP, ORIGIN).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.location, "/console/management-tokens");
    for attribute in ["HttpOnly", "SameSite=Strict", "Max-Age=", "Path=/console"] {
        assert!(reply.set_cookie.contains(attribute), "{}", reply.set_cookie);
    }
    let other = console.sign_in(BOOTSTRAP).await;
    assert_ne!(
        reply.set_cookie.split(';').next(),
        Some(other.as_str()),
        "ids are random"
    );
    let page = console
        .get("/console/management-tokens", Some(&other))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let csp = page
        .headers
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    assert!(csp.contains("script-src 'self'"), "{csp}");
}

#[tokio::test]
async fn a_cross_site_sign_in_is_refused() {
    let console = Console::new();
    let reply = console.post_sign_in(BOOTSTRAP, "http://evil.example").await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert!(reply.set_cookie.is_empty());
}

#[tokio::test]
async fn a_revoke_needs_the_csrf_token_and_the_own_origin() {
    let console = Console::new();
    let token = console.mint("guarded").await;
    let cookie = console.sign_in(BOOTSTRAP).await;
    let csrf = console.csrf_token(&cookie).await;
    let path = format!("/console/management-tokens/{}/revoke", token.id);
    let cases = [
        (
            "no session",
            None,
            Some(ORIGIN),
            format!("csrf_token={csrf}"),
        ),
        (
            "no CSRF token",
            Some(cookie.as_str()),
            Some(ORIGIN),
            String::new(),
        ),
        (
            "wrong CSRF token",
            Some(cookie.as_str()),
            Some(ORIGIN),
            "csrf_token=x".to_owned(),
        ),
        (
            "another origin",
            Some(cookie.as_str()),
            Some("http://evil.example"),
            format!("csrf_token={csrf}"),
        ),
    ];
    for (case, cookie, origin, form) in cases {
        let reply = console
            .send(Method::POST, &path, cookie, origin, Some(form))
            .await;
        assert_eq!(
            reply.status,
            StatusCode::FORBIDDEN,
            "{case}: {}",
            reply.body
        );
        assert_eq!(console.token(&token).revoked_at, None, "{case}");
    }
    let reply = console
        .send(
            Method::POST,
            &path,
            Some(&cookie),
            Some(ORIGIN),
            Some(format!("csrf_token={csrf}")),
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert!(console.token(&token).revoked_at.is_some());
    let stats = console.state.stats().body();
    let stats = serde_json::to_value(stats).unwrap_or_default();
    assert_eq!(
        stats["by_operation"]["revoke_management_token"], 1,
        "{stats}"
    );
    let list = console.get(&reply.location, Some(&cookie)).await;
    assert!(list.body.contains("Revoked “guarded”"), "{}", list.body);
    assert!(list.body.contains("data-status=\"revoked\""));
    let again = console
        .send(
            Method::POST,
            &path,
            Some(&cookie),
            Some(ORIGIN),
            Some(format!("csrf_token={csrf}")),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn html_in_a_description_is_shown_as_text() {
    let console = Console::new();
    let token = console
        .mint("<script>alert('x')</script><b>bold</b> \"quoted\"")
        .await;
    let cookie = console.sign_in(BOOTSTRAP).await;
    let list = console
        .get("/console/management-tokens", Some(&cookie))
        .await;
    let confirm = console
        .get(
            &format!("/console/management-tokens/{}/revoke", token.id),
            Some(&cookie),
        )
        .await;
    for page in [&list, &confirm] {
        assert!(!page.body.contains("<script>alert"), "{}", page.body);
        assert!(!page.body.contains("<b>bold"), "{}", page.body);
        assert!(page.body.contains("&#60;script&#62;alert"), "{}", page.body);
    }
    let search = console
        .get(
            "/console/management-tokens?q=%3Cimg%20src%3Dx%3E",
            Some(&cookie),
        )
        .await;
    assert!(!search.body.contains("<img src=x>"), "{}", search.body);
}

#[tokio::test]
async fn filters_and_search_pick_the_rows() {
    let console = Console::new();
    let kept = console.mint("ci pipeline").await;
    let gone = console.mint("old laptop").await;
    console.revoke_in_store(&gone).await;
    let cookie = console.sign_in(BOOTSTRAP).await;
    console
        .check_token_filters(
            "/console/management-tokens",
            &cookie,
            "?status=all&q=PIPE",
            gone.id,
            kept.id,
        )
        .await;
}

#[tokio::test]
async fn revoking_the_own_token_ends_the_session_and_sign_out_works() {
    let console = Console::new();
    let minted = console.mint("my own").await;
    let secret = minted
        .access_token
        .as_ref()
        .map(|secret| secret.expose().to_owned())
        .unwrap_or_default();
    let cookie = console.sign_in(&secret).await;
    let page = console
        .get("/console/management-tokens", Some(&cookie))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains(&secret), "a secret is never shown");
    console.revoke_in_store(&minted).await;
    let after = console
        .get("/console/management-tokens", Some(&cookie))
        .await;
    assert_eq!(after.location, "/console/sign-in");

    let cookie = console.sign_in(BOOTSTRAP).await;
    let csrf = console.csrf_token(&cookie).await;
    let out = console
        .send(
            Method::POST,
            "/console/sign-out",
            Some(&cookie),
            Some(ORIGIN),
            Some(format!("csrf_token={csrf}")),
        )
        .await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(out.set_cookie.contains("Max-Age=0"));
    let after = console
        .get("/console/management-tokens", Some(&cookie))
        .await;
    assert_eq!(after.location, "/console/sign-in");
}

#[tokio::test]
async fn unknown_pages_and_tokens_are_404_pages() {
    let console = Console::new();
    let cookie = console.sign_in(BOOTSTRAP).await;
    for path in [
        "/console/nothing-here",
        "/console/management-tokens/not-a-uuid/revoke",
        "/console/management-tokens/00000000-0000-4000-8000-000000000000/revoke",
    ] {
        let reply = console.get(path, Some(&cookie)).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            reply.body.contains("<h1>Not found</h1>"),
            "{path}: {}",
            reply.body
        );
    }
    let script = console.get("/console/assets/console.js", None).await;
    assert_eq!(script.status, StatusCode::OK);
    assert!(script.body.contains("showModal"));
}

#[tokio::test]
async fn the_clustered_form_has_the_same_console() {
    let console = Console::with_flavor(Flavor::Clustered);
    let token = console.mint("clustered token").await;
    let cookie = console.sign_in(BOOTSTRAP).await;
    let csrf = console.csrf_token(&cookie).await;
    let list = console
        .get("/console/management-tokens", Some(&cookie))
        .await;
    assert!(list.body.contains("clustered token"), "{}", list.body);
    let path = format!("/console/management-tokens/{}/revoke", token.id);
    let form = Some(format!("csrf_token={csrf}"));
    let reply = console
        .send(Method::POST, &path, Some(&cookie), Some(ORIGIN), form)
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert!(console.token(&token).revoked_at.is_some());
}
