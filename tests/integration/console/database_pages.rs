//! The databases and database-tokens pages in headless Chromium: what they list,
//! the navigation, the revoked filter, and Revoke with its dialog (Cancel changes
//! nothing; confirming revokes through the API's delete).

use serde_json::Value;

use super::browser::{listed_rows, open_confirmation_page, revoke_then_cancel, row, shot, sign_in};
use super::{
    console_url, create_database, create_database_token, database_token,
    delete_database_token_count,
};
use crate::support::browser::Browser;
use crate::support::emulator::EmulatorProcess;

/// WebDriver's key code for Enter.
const ENTER: &str = "\u{E007}";

/// The token id of an API response.
fn id_of(token: &Value) -> uuid::Uuid {
    token["id"]
        .as_str()
        .and_then(|id| uuid::Uuid::parse_str(id).ok())
        .unwrap_or_else(|| panic!("no id in {token}"))
}

/// Whether the page scrolls sideways (it must not, at 375 px).
fn overflows(browser: &Browser) -> Value {
    browser.execute(
        "return document.documentElement.scrollWidth > document.documentElement.clientWidth;",
    )
}

#[test]
fn databases_page_lists_a_database_created_through_the_api() {
    let emulator = EmulatorProcess::start();
    create_database(&emulator, "metrics", &["cpu", "mem"]);
    create_database(&emulator, "logs", &[]);
    let browser = Browser::start(true);
    sign_in(&browser, &emulator, &emulator.token());

    // The navigation leads there, by keyboard too: every page is a link.
    let links: Vec<String> = browser
        .find_all("nav[aria-label=Console] a")
        .iter()
        .map(|link| browser.text(link))
        .collect();
    assert_eq!(
        links,
        ["Management tokens", "Databases", "Database tokens"],
        "the navigation"
    );
    browser.click(&browser.wait_for("nav a[href=\"/console/databases\"]"));
    browser.wait_for("table#databases");
    let current =
        browser.execute("return document.querySelector('nav a[aria-current=page]').textContent;");
    assert_eq!(current, Value::from("Databases"));
    assert_eq!(listed_rows(&browser), 2);
    let metrics = browser.execute(
        "const row = document.querySelector('tr[data-database=\"metrics\"]');\
         return [...row.children].map(cell => cell.textContent.trim());",
    );
    assert_eq!(
        metrics,
        serde_json::json!([
            "metrics",
            "500",
            "200",
            "30 days",
            "default (by day)",
            "cpumem"
        ]),
        "the row of metrics"
    );
    shot(&browser, "11-databases");

    // The search by name.
    browser.type_text(&browser.wait_for("#q"), "LOG");
    browser.click(&browser.wait_for("#apply-filter"));
    browser.wait_until("the search", |b| b.current_url().contains("q=LOG"));
    assert_eq!(listed_rows(&browser), 1);
    assert_eq!(browser.find_all("tr[data-database=\"logs\"]").len(), 1);

    browser.resize(375, 812);
    browser.goto(&format!("{}/databases", console_url(&emulator)));
    browser.wait_for("table#databases");
    assert_eq!(
        overflows(&browser),
        Value::Bool(false),
        "sideways at 375 px"
    );
    shot(&browser, "12-databases-375px");

    // By keyboard: Enter on a navigation link opens its page.
    let link = browser.wait_for("nav a[href=\"/console/database-tokens\"]");
    browser.type_text(&link, ENTER);
    browser.wait_for("table#database-tokens");
}

#[test]
fn database_tokens_page_filters_and_revokes() {
    let emulator = EmulatorProcess::start();
    let ingest = create_database_token(&emulator, "ingest <b>job</b>");
    let old = create_database_token(&emulator, "old dashboard");
    let (ingest_id, old_id) = (id_of(&ingest), id_of(&old));
    let path = format!("{}/tokens/{old_id}", super::cluster_path(&emulator));
    assert_eq!(emulator.request("DELETE", &path, None).0, 204);
    let deletes_before = delete_database_token_count(&emulator);
    let browser = Browser::start(true);
    sign_in(&browser, &emulator, &emulator.token());
    browser.click(&browser.wait_for("nav a[href=\"/console/database-tokens\"]"));
    browser.wait_for("table#database-tokens");

    // Both listed; the revoked one marked and without a Revoke button; the prefix,
    // never the secret; the description as text.
    assert_eq!(listed_rows(&browser), 2);
    assert_eq!(row(&browser, ingest_id), Some(("active".to_owned(), true)));
    assert_eq!(row(&browser, old_id), Some(("revoked".to_owned(), false)));
    let secret = ingest["accessToken"].as_str().unwrap_or_default();
    let source = browser.source();
    assert!(
        !secret.is_empty() && !source.contains(secret),
        "a secret is shown"
    );
    assert!(
        source.contains(&format!("{}…", &secret[..9])),
        "the prefix is shown"
    );
    assert!(
        browser.find_all("tbody b").is_empty(),
        "a description became HTML"
    );
    shot(&browser, "13-database-tokens");

    // The revoked filter.
    browser.click(&browser.wait_for("#status"));
    browser.click(&browser.wait_for("#status option[value=revoked]"));
    browser.click(&browser.wait_for("#apply-filter"));
    browser.wait_until("the revoked filter", |b| {
        b.current_url().contains("status=revoked")
    });
    assert_eq!(listed_rows(&browser), 1);
    assert!(row(&browser, old_id).is_some());
    shot(&browser, "14-database-tokens-revoked-filter");

    // Revoke, then Cancel: nothing changes.
    browser.goto(&format!("{}/database-tokens", console_url(&emulator)));
    let (link, dialog) = revoke_then_cancel(
        &browser,
        ingest_id,
        "Revoke database token?",
        "ingest <b>job</b>",
        "15-database-token-revoke-dialog",
    );
    assert_eq!(
        database_token(&emulator, &ingest_id.to_string())["revokedAt"],
        Value::Null
    );
    assert_eq!(delete_database_token_count(&emulator), deletes_before);

    // Revoke, then confirm: marked revoked, still listed, revoked in the API.
    browser.click(&link);
    browser.wait_until("the dialog opens again", |b| b.is_displayed(&dialog));
    browser.click(&browser.wait_for("#revoke-dialog-confirm"));
    let notice = browser.wait_for("#notice");
    assert!(
        browser.text(&notice).contains("ingest <b>job</b>"),
        "{}",
        browser.text(&notice)
    );
    assert_eq!(
        row(&browser, ingest_id),
        Some(("revoked".to_owned(), false))
    );
    assert_eq!(listed_rows(&browser), 2);
    let api = database_token(&emulator, &ingest_id.to_string());
    assert!(api["revokedAt"].is_string(), "{api}");
    assert_eq!(
        delete_database_token_count(&emulator),
        deletes_before + 1,
        "a console revoke counts as the API's delete"
    );
    shot(&browser, "16-database-token-revoked");

    browser.resize(375, 812);
    assert_eq!(
        overflows(&browser),
        Value::Bool(false),
        "sideways at 375 px"
    );
    shot(&browser, "17-database-tokens-375px");
}

#[test]
fn database_token_confirmation_page_without_javascript() {
    let emulator = EmulatorProcess::start();
    let token = create_database_token(&emulator, "no script");
    let id = id_of(&token);
    let browser = Browser::start(false);
    sign_in(&browser, &emulator, &emulator.token());
    browser.goto(&format!("{}/database-tokens", console_url(&emulator)));
    open_confirmation_page(
        &browser,
        id,
        "no script",
        "18-database-token-confirmation-page",
    );
    browser.click(&browser.wait_for("#confirm-revoke"));
    browser.wait_for("#notice");
    assert_eq!(row(&browser, id), Some(("revoked".to_owned(), false)));
    assert!(database_token(&emulator, &id.to_string())["revokedAt"].is_string());
}
