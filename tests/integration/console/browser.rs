//! The console in headless Chromium, through `support::browser`.

use std::path::PathBuf;

use serde_json::Value;

use super::{console_url, revoke_count};
use crate::support::acceptance::{AccEnv, uuid_attr, values};
use crate::support::browser::{Browser, Element, artifacts_dir};
use crate::support::emulator::EmulatorProcess;
use crate::support::terraform::TerraformCli;

/// WebDriver's key codes for Enter and Escape.
const ENTER: &str = "\u{E007}";
const ESCAPE: &str = "\u{E00C}";

/// Saves a screenshot of the current page as a test artifact.
pub(super) fn shot(browser: &Browser, name: &str) -> PathBuf {
    browser.screenshot(&artifacts_dir(), name)
}

/// Signs in with `token` on the sign-in page, and waits for the list.
pub(super) fn sign_in(browser: &Browser, emulator: &EmulatorProcess, token: &str) {
    browser.goto(&console_url(emulator));
    let field = browser.wait_for("#token");
    browser.type_text(&field, token);
    browser.click(&browser.wait_for("#sign-in"));
    browser.wait_for("table#management-tokens");
}

/// The list's row of token `id`: its `data-status` and whether it has a Revoke link;
/// `None` when it is not listed.
pub(super) fn row(browser: &Browser, id: uuid::Uuid) -> Option<(String, bool)> {
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

pub(super) fn listed_rows(browser: &Browser) -> usize {
    browser.find_all("tbody tr").len()
}
/// On a token list: opens the Revoke dialog of token `id`, checks that it has
/// `title`, names the token (`description`), says it cannot be undone and starts
/// with the focus on Cancel, saves screenshot `shot_name`, then cancels and checks
/// that the row is still active. The Revoke link and the dialog, for more.
pub(super) fn revoke_then_cancel(
    browser: &Browser,
    id: uuid::Uuid,
    title: &str,
    description: &str,
    shot_name: &str,
) -> (Element, Element) {
    let link = browser.wait_for(&format!("tr[data-token-id=\"{id}\"] a[data-revoke]"));
    browser.click(&link);
    let dialog = browser.wait_for("#revoke-dialog");
    browser.wait_until("the dialog opens", |b| b.is_displayed(&dialog));
    let text = browser.text(&dialog);
    assert!(text.contains(title), "{text}");
    assert!(
        text.contains(description),
        "the dialog names the token: {text}"
    );
    assert!(text.contains("cannot be undone"), "{text}");
    let focused = browser.execute("return document.activeElement.id;");
    assert_eq!(
        focused,
        Value::from("revoke-dialog-cancel"),
        "focus starts on Cancel"
    );
    shot(browser, shot_name);
    browser.click(&browser.wait_for("#revoke-dialog-cancel"));
    browser.wait_until("the dialog closes", |b| !b.is_displayed(&dialog));
    assert_eq!(row(browser, id), Some(("active".to_owned(), true)));
    (link, dialog)
}

/// Without JavaScript, on a token list: follows the Revoke link of token `id` to
/// its confirmation page, checks that the page warns and names the token
/// (`description`), and saves screenshot `shot_name`.
pub(super) fn open_confirmation_page(
    browser: &Browser,
    id: uuid::Uuid,
    description: &str,
    shot_name: &str,
) {
    browser.click(&browser.wait_for(&format!("tr[data-token-id=\"{id}\"] a[data-revoke]")));
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
        description
    );
    shot(browser, shot_name);
}

#[test]
fn refuses_a_wrong_token() {
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
fn lists_filters_and_revokes() {
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
    let (link, dialog) = revoke_then_cancel(
        &browser,
        ci.id,
        "Revoke management token?",
        "ci pipeline",
        "05-revoke-dialog",
    );
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
fn confirms_on_a_page_without_javascript() {
    let emulator = EmulatorProcess::start();
    let token = emulator.create("no script");
    let browser = Browser::start(false);
    sign_in(&browser, &emulator, &emulator.token());
    open_confirmation_page(
        &browser,
        token.id,
        "no script",
        "09-revoke-confirmation-page",
    );
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
fn revoke_is_seen_by_terraform() {
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

        env.assert_refresh_reports_deleted("influxdb3_management_token.t");
        env.finish("console::browser::revoke_is_seen_by_terraform");
    }
}
