//! The console over plain HTTP: no page without a session, no state change without
//! the session's CSRF token from the console's own origin, HTML shown as text.

use reqwest::header;

use super::{create_database_token, database_token, delete_database_token_count, revoke_count};
use crate::support::emulator::EmulatorProcess;

/// The content type of a form post.
const FORM: &str = "application/x-www-form-urlencoded";

/// `pairs` as an `application/x-www-form-urlencoded` body.
fn form_body(pairs: &[(&str, &str)]) -> String {
    let encode = |text: &str| -> String {
        text.bytes()
            .map(|byte| match byte {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    char::from(byte).to_string()
                }
                _ => format!("%{byte:02X}"),
            })
            .collect()
    };
    pairs
        .iter()
        .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A plain HTTP client that shows redirects instead of following them.
fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_else(|error| panic!("{error}"))
}

/// Signs in over HTTP with the bootstrap token; the `Cookie` header value and the
/// CSRF token of the session.
async fn http_sign_in(emulator: &EmulatorProcess) -> (String, String) {
    let http = http();
    let response = http
        .post(format!("{}/console/sign-in", emulator.url()))
        .header(header::ORIGIN, emulator.url())
        .header(header::CONTENT_TYPE, FORM)
        .body(form_body(&[("token", &emulator.token())]))
        .send()
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(response.status(), 303);
    let cookie = response
        .headers()
        .get(header::SET_COOKIE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .unwrap_or_else(|| panic!("no session cookie"))
        .to_owned();
    let page = http
        .get(format!("{}/console/management-tokens", emulator.url()))
        .header(header::COOKIE, &cookie)
        .send()
        .await
        .and_then(|response| response.error_for_status())
        .unwrap_or_else(|error| panic!("{error}"));
    let body = page.text().await.unwrap_or_default();
    let marker = "name=\"csrf_token\" value=\"";
    let start = body
        .find(marker)
        .unwrap_or_else(|| panic!("no CSRF token in {body}"));
    let csrf = body[start + marker.len()..]
        .split('"')
        .next()
        .unwrap_or_default();
    (cookie, csrf.to_owned())
}

#[tokio::test]
async fn no_page_without_a_session() {
    let emulator = EmulatorProcess::start();
    let token = emulator.create("secret plans");
    let http = http();
    for path in [
        "/console".to_owned(),
        "/console/management-tokens".to_owned(),
        "/console/management-tokens?status=revoked".to_owned(),
        format!("/console/management-tokens/{}/revoke", token.id),
    ] {
        let response = http
            .get(format!("{}{path}", emulator.url()))
            .header(header::COOKIE, "influxdb3_console_session=guessed")
            .send()
            .await
            .unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(response.status(), 303, "{path}");
        assert_eq!(
            response
                .headers()
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok()),
            Some("/console/sign-in"),
            "{path}"
        );
        let body = response.text().await.unwrap_or_default();
        assert!(!body.contains("secret plans"), "{path}: {body}");
    }
    let response = http
        .post(format!(
            "{}/console/management-tokens/{}/revoke",
            emulator.url(),
            token.id
        ))
        .header(header::CONTENT_TYPE, FORM)
        .body(form_body(&[("csrf_token", "x")]))
        .send()
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(response.status(), 403);
    assert_eq!(emulator.list_tokens()[0].revoked_at, None);
}

#[tokio::test]
async fn cross_site_post_without_csrf_token_is_refused() {
    let emulator = EmulatorProcess::start();
    let token = emulator.create("keep me");
    let (cookie, csrf) = http_sign_in(&emulator).await;
    let url = format!(
        "{}/console/management-tokens/{}/revoke",
        emulator.url(),
        token.id
    );
    let attempts = [
        (
            "a cross-site form without the CSRF token",
            "http://evil.example",
            None,
        ),
        (
            "a same-origin form without the CSRF token",
            emulator.url(),
            None,
        ),
        (
            "a cross-site form with the CSRF token",
            "http://evil.example",
            Some(csrf.as_str()),
        ),
    ];
    for (what, origin, csrf) in attempts {
        let form: Vec<(&str, &str)> = csrf.map(|csrf| ("csrf_token", csrf)).into_iter().collect();
        let response = http()
            .post(&url)
            .header(header::COOKIE, &cookie)
            .header(header::ORIGIN, origin)
            .header(header::CONTENT_TYPE, FORM)
            .body(form_body(&form))
            .send()
            .await
            .unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(response.status(), 403, "{what}");
        assert_eq!(emulator.list_tokens()[0].revoked_at, None, "{what}");
    }
    assert_eq!(revoke_count(&emulator), 0);
    let response = http()
        .post(&url)
        .header(header::COOKIE, &cookie)
        .header(header::ORIGIN, emulator.url())
        .header(header::CONTENT_TYPE, FORM)
        .body(form_body(&[("csrf_token", &csrf)]))
        .send()
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(response.status(), 303, "the console's own form");
    assert!(emulator.list_tokens()[0].revoked_at.is_some());
    assert_eq!(
        revoke_count(&emulator),
        1,
        "a console revoke counts as a revoke"
    );
}

#[tokio::test]
async fn html_in_a_description_is_text() {
    let emulator = EmulatorProcess::start();
    emulator.create("<script>alert(1)</script><img src=x onerror=alert(2)>");
    let (cookie, _) = http_sign_in(&emulator).await;
    let response = http()
        .get(format!("{}/console/management-tokens", emulator.url()))
        .header(header::COOKIE, &cookie)
        .send()
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(response.status(), 200);
    let csp = response
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        csp.contains("default-src 'none'") && csp.contains("script-src 'self'"),
        "{csp}"
    );
    let body = response.text().await.unwrap_or_default();
    assert!(!body.contains("<script>alert"), "{body}");
    assert!(!body.contains("<img src=x"), "{body}");
    assert!(
        body.contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
        "{body}"
    );
}

#[tokio::test]
async fn cross_site_database_token_revoke_without_csrf_token_is_refused() {
    let emulator = EmulatorProcess::start();
    let token = create_database_token(&emulator, "keep this one");
    let id = token["id"].as_str().unwrap_or_default().to_owned();
    let (cookie, csrf) = http_sign_in(&emulator).await;
    let url = format!("{}/console/database-tokens/{id}/revoke", emulator.url());
    let post = |origin: String, form: Vec<(&'static str, String)>| {
        let pairs: Vec<(&str, &str)> = form.iter().map(|(n, v)| (*n, v.as_str())).collect();
        http()
            .post(&url)
            .header(header::COOKIE, &cookie)
            .header(header::ORIGIN, origin)
            .header(header::CONTENT_TYPE, FORM)
            .body(form_body(&pairs))
            .send()
    };
    let refused = [
        (
            "cross-site, no CSRF token",
            "http://evil.example".to_owned(),
            vec![],
        ),
        (
            "same origin, no CSRF token",
            emulator.url().to_owned(),
            vec![],
        ),
        (
            "cross-site with the CSRF token",
            "http://evil.example".to_owned(),
            vec![("csrf_token", csrf.clone())],
        ),
    ];
    for (what, origin, form) in refused {
        let response = post(origin, form)
            .await
            .unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(response.status(), 403, "{what}");
        assert_eq!(
            database_token(&emulator, &id)["revokedAt"],
            serde_json::Value::Null,
            "{what}"
        );
    }
    assert_eq!(delete_database_token_count(&emulator), 0);
    let response = post(
        emulator.url().to_owned(),
        vec![("csrf_token", csrf.clone())],
    )
    .await
    .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(response.status(), 303, "the console's own form");
    assert!(database_token(&emulator, &id)["revokedAt"].is_string());
    assert_eq!(delete_database_token_count(&emulator), 1);
}

#[tokio::test]
async fn html_in_a_database_token_description_is_text() {
    let emulator = EmulatorProcess::start();
    create_database_token(
        &emulator,
        "<script>alert(1)</script><img src=x onerror=alert(2)>",
    );
    let (cookie, _) = http_sign_in(&emulator).await;
    let response = http()
        .get(format!("{}/console/database-tokens", emulator.url()))
        .header(header::COOKIE, &cookie)
        .send()
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(response.status(), 200);
    let body = response.text().await.unwrap_or_default();
    assert!(!body.contains("<script>alert"), "{body}");
    assert!(!body.contains("<img src=x"), "{body}");
    assert!(
        body.contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
        "{body}"
    );
}
