//! The emulator's console (`/console`): in headless Chromium (sign-in, the list, the
//! filter, Revoke with its dialog or its confirmation page, and Terraform noticing a
//! revoke made in the browser), and over plain HTTP (sessions, CSRF, escaping).
//!
//! Screenshots of every page are saved in `<target dir>/test-artifacts/console/`.
//! Run: `cargo test --test integration console::`.

use std::path::PathBuf;

use reqwest::header;
use serde_json::Value;

use crate::support::acceptance::{AccEnv, assert_output_contains, uuid_attr, values};
use crate::support::browser::{Browser, artifacts_dir};
use crate::support::emulator::EmulatorProcess;
use crate::support::terraform::TerraformCli;

/// WebDriver's key codes for Enter and Escape.
const ENTER: &str = "\u{E007}";
const ESCAPE: &str = "\u{E00C}";

fn console_url(emulator: &EmulatorProcess) -> String {
    emulator.ready_line()["console_url"]
        .as_str()
        .unwrap_or_else(|| panic!("no console_url in {}", emulator.ready_line()))
        .to_owned()
}

fn shot(browser: &Browser, name: &str) -> PathBuf {
    browser.screenshot(&artifacts_dir(), name)
}

/// Signs in with `token` on the sign-in page, and waits for the list.
fn sign_in(browser: &Browser, emulator: &EmulatorProcess, token: &str) {
    browser.goto(&console_url(emulator));
    let field = browser.wait_for("#token");
    browser.type_text(&field, token);
    browser.click(&browser.wait_for("#sign-in"));
    browser.wait_for("table#management-tokens");
}

/// The row of the token described `description`, as `data-status` and whether it has
/// a Revoke link; `None` when it is not listed.
fn row(browser: &Browser, id: uuid::Uuid) -> Option<(String, bool)> {
    let script = format!(
        "const row = document.querySelector('tr[data-token-id=\"{id}\"]');\
         return row ? [row.dataset.status, row.querySelector('a[data-revoke]') !== null] : null;"
    );
    let found = browser.execute(&script);
    let found = found.as_array()?;
    Some((
        found.first()?.as_str()?.to_owned(),
        found.get(1)?.as_bool()?,
    ))
}

fn listed_rows(browser: &Browser) -> usize {
    browser.find_all("tbody tr").len()
}

fn revoke_count(emulator: &EmulatorProcess) -> u64 {
    emulator.stats()["by_operation"]["revoke_management_token"]
        .as_u64()
        .unwrap_or(0)
}

#[test]
fn console_browser_refuses_a_wrong_token() {
    let emulator = EmulatorProcess::start();
    let browser = Browser::start(true);
    browser.goto(&console_url(&emulator));
    browser.wait_for("#token");
    assert!(
        browser.current_url().ends_with("/console/sign-in"),
        "{}",
        browser.current_url()
    );
    shot(&browser, "01-sign-in");
    browser.type_text(&browser.wait_for("#token"), "M.V1.wrong-token");
    browser.click(&browser.wait_for("#sign-in"));
    let error = browser.wait_for("#sign-in-error");
    assert!(
        browser.text(&error).contains("not accepted"),
        "{}",
        browser.text(&error)
    );
    assert!(
        !browser.source().contains("wrong-token"),
        "the token is echoed"
    );
    assert!(browser.find_all("table").is_empty());
    shot(&browser, "02-sign-in-refused");
    // Without a session, the list sends the browser back to sign in.
    browser.goto(&format!("{}/management-tokens", console_url(&emulator)));
    browser.wait_for("#token");
    assert!(browser.current_url().ends_with("/console/sign-in"));
}

#[test]
fn console_browser_lists_filters_and_revokes() {
    let emulator = EmulatorProcess::start();
    let ci = emulator.create("ci pipeline");
    let laptop = emulator.create("old laptop");
    let html = emulator.create("<b>not bold</b>");
    assert_eq!(emulator.revoke(laptop.id), 204);
    let browser = Browser::start(true);
    sign_in(&browser, &emulator, &emulator.token());

    // The list: every token, revoked ones marked and without a Revoke button.
    assert_eq!(listed_rows(&browser), 3);
    assert_eq!(row(&browser, ci.id), Some(("active".to_owned(), true)));
    assert_eq!(
        row(&browser, laptop.id),
        Some(("revoked".to_owned(), false))
    );
    let descriptions: Vec<String> = browser
        .find_all("tbody th.description")
        .iter()
        .map(|cell| browser.text(cell))
        .collect();
    assert!(
        descriptions.contains(&"<b>not bold</b>".to_owned()),
        "{descriptions:?}"
    );
    assert!(
        browser.find_all("tbody b").is_empty(),
        "a description became HTML"
    );
    let page = browser.source();
    assert!(page.contains(&ci.token_prefix), "the prefix is shown");
    shot(&browser, "03-management-tokens");

    // The revoked filter, then the search.
    let status = browser.wait_for("#status");
    browser.click(&status);
    browser.click(&browser.wait_for("#status option[value=revoked]"));
    browser.click(&browser.wait_for("#apply-filter"));
    browser.wait_until("the revoked filter", |b| {
        b.current_url().contains("status=revoked")
    });
    assert_eq!(listed_rows(&browser), 1);
    assert!(row(&browser, laptop.id).is_some());
    shot(&browser, "04-revoked-filter");
    browser.goto(&format!(
        "{}/management-tokens?status=all&q=PIPE",
        console_url(&emulator)
    ));
    browser.wait_for("table#management-tokens");
    assert_eq!(listed_rows(&browser), 1);
    assert!(row(&browser, ci.id).is_some());

    // Revoke, then Cancel: nothing changes.
    browser.goto(&format!("{}/management-tokens", console_url(&emulator)));
    let link = browser.wait_for(&format!("tr[data-token-id=\"{}\"] a[data-revoke]", ci.id));
    browser.click(&link);
    let dialog = browser.wait_for("#revoke-dialog");
    browser.wait_until("the dialog opens", |b| b.is_displayed(&dialog));
    let text = browser.text(&dialog);
    assert!(
        text.contains("ci pipeline"),
        "the dialog names the token: {text}"
    );
    assert!(text.contains("cannot be undone"), "{text}");
    let focused = browser.execute("return document.activeElement.id;");
    assert_eq!(
        focused,
        Value::from("revoke-dialog-cancel"),
        "focus starts on Cancel"
    );
    shot(&browser, "05-revoke-dialog");
    browser.click(&browser.wait_for("#revoke-dialog-cancel"));
    browser.wait_until("the dialog closes", |b| !b.is_displayed(&dialog));
    assert_eq!(row(&browser, ci.id), Some(("active".to_owned(), true)));
    let api = emulator.list_tokens();
    assert!(
        api.iter()
            .any(|token| token.id == ci.id && token.revoked_at.is_none())
    );
    let revokes_before = revoke_count(&emulator);
    shot(&browser, "06-revoke-cancelled");

    // By keyboard: Enter on the focused link opens the dialog, Escape closes it and
    // gives the focus back to the link.
    browser.type_text(&link, ENTER);
    browser.wait_until("Enter opens the dialog", |b| b.is_displayed(&dialog));
    browser.type_text(&browser.wait_for("#revoke-dialog-cancel"), ESCAPE);
    browser.wait_until("Escape closes the dialog", |b| !b.is_displayed(&dialog));
    let focused = browser.execute("return document.activeElement.getAttribute('href');");
    assert_eq!(
        focused
            .as_str()
            .map(|href| href.ends_with(&format!("{}/revoke", ci.id))),
        Some(true),
        "focus returns to the Revoke link: {focused}"
    );
    assert_eq!(row(&browser, ci.id), Some(("active".to_owned(), true)));

    // Every control has a label for screen readers.
    let unlabelled = browser.execute(
        "return [...document.querySelectorAll('input:not([type=hidden]), select')]\
         .filter(control => control.labels.length === 0).map(control => control.name);",
    );
    assert_eq!(
        unlabelled,
        serde_json::json!([]),
        "controls without a label"
    );

    // Revoke, then confirm: marked revoked, still listed, and the API agrees.
    browser.click(&link);
    browser.wait_until("the dialog opens again", |b| b.is_displayed(&dialog));
    browser.click(&browser.wait_for("#revoke-dialog-confirm"));
    let notice = browser.wait_for("#notice");
    assert!(
        browser.text(&notice).contains("ci pipeline"),
        "{}",
        browser.text(&notice)
    );
    assert_eq!(row(&browser, ci.id), Some(("revoked".to_owned(), false)));
    assert_eq!(listed_rows(&browser), 3);
    let api = emulator.list_tokens();
    assert!(
        api.iter()
            .any(|token| token.id == ci.id && token.revoked_at.is_some())
    );
    assert_eq!(
        revoke_count(&emulator),
        revokes_before + 1,
        "a console revoke counts"
    );
    assert_eq!(row(&browser, html.id), Some(("active".to_owned(), true)));
    shot(&browser, "07-revoked");

    // A phone-sized window: the rows become cards, nothing is wider than the screen.
    browser.resize(375, 812);
    let overflow = browser.execute(
        "return document.documentElement.scrollWidth > document.documentElement.clientWidth;",
    );
    assert_eq!(
        overflow,
        Value::Bool(false),
        "the page scrolls sideways at 375 px"
    );
    shot(&browser, "08-management-tokens-375px");

    // Sign out: the list needs a session again.
    browser.click(&browser.wait_for("#sign-out"));
    browser.wait_for("#token");
    browser.goto(&format!("{}/management-tokens", console_url(&emulator)));
    browser.wait_for("#token");
    assert!(browser.current_url().ends_with("/console/sign-in"));
}

#[test]
fn console_browser_confirms_on_a_page_without_javascript() {
    let emulator = EmulatorProcess::start();
    let token = emulator.create("no script");
    let browser = Browser::start(false);
    sign_in(&browser, &emulator, &emulator.token());
    let link = browser.wait_for(&format!(
        "tr[data-token-id=\"{}\"] a[data-revoke]",
        token.id
    ));
    browser.click(&link);
    // Without JavaScript the link is a plain link to the confirmation page.
    let warning = browser.wait_for("#confirm-warning");
    assert!(
        browser.current_url().ends_with("/revoke"),
        "{}",
        browser.current_url()
    );
    assert!(browser.text(&warning).contains("cannot be undone"));
    assert_eq!(
        browser.text(&browser.wait_for("#confirm-description")),
        "no script"
    );
    shot(&browser, "09-revoke-confirmation-page");
    browser.click(&browser.wait_for("#confirm-cancel"));
    browser.wait_for("table#management-tokens");
    assert_eq!(row(&browser, token.id), Some(("active".to_owned(), true)));
    browser.click(&browser.wait_for(&format!(
        "tr[data-token-id=\"{}\"] a[data-revoke]",
        token.id
    )));
    browser.click(&browser.wait_for("#confirm-revoke"));
    browser.wait_for("#notice");
    assert_eq!(row(&browser, token.id), Some(("revoked".to_owned(), false)));
    assert!(emulator.list_tokens()[0].revoked_at.is_some());
}

/// Terraform creates a token, the browser revokes it, and a refresh-only plan
/// reports it deleted; with both CLIs.
#[test]
fn console_browser_revoke_is_seen_by_terraform() {
    for cli in TerraformCli::all() {
        let env = AccEnv::with_env(&cli);
        env.write(
            "resource \"influxdb3_management_token\" \"t\" {\n  description = \"made by terraform\"\n}\n",
        );
        env.wd.apply().assert_success();
        let id = uuid_attr(
            values(&env.wd.state_json(), "influxdb3_management_token.t"),
            "id",
        );

        let browser = Browser::start(true);
        sign_in(&browser, &env.emulator, &env.emulator.token());
        let link = browser.wait_for(&format!("tr[data-token-id=\"{id}\"] a[data-revoke]"));
        browser.click(&link);
        browser.click(&browser.wait_for("#revoke-dialog-confirm"));
        browser.wait_for("#notice");
        assert_eq!(
            row(&browser, id),
            Some(("revoked".to_owned(), false)),
            "{cli}"
        );
        shot(
            &browser,
            &format!("10-revoked-terraform-token-{}", cli.version),
        );
        drop(browser);

        let refresh = env.wd.run(&[
            "plan",
            "-input=false",
            "-refresh-only",
            "-detailed-exitcode",
        ]);
        assert_eq!(
            refresh.code, 2,
            "{cli}: expected drift (exit code 2):\n{refresh}"
        );
        assert_output_contains(
            &refresh,
            &[
                "Objects have changed outside of Terraform",
                "influxdb3_management_token.t has been deleted",
            ],
        );
        env.finish("console_browser_revoke_is_seen_by_terraform");
    }
}

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
async fn console_http_no_page_without_a_session() {
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
async fn console_http_cross_site_post_without_csrf_token_is_refused() {
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
async fn console_http_html_in_a_description_is_text() {
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
