//! Reliability: how creates and destroys end, as a Terraform user sees them.
//!
//! - A create committed by its first attempt whose answer is lost, followed by
//!   503s until the retries run out, or whose success body is spoiled (cut
//!   short, too large), is recovered with the same `Idempotency-Key`.
//! - A create whose success body lacks `accessToken` (twice) keeps the token in
//!   state, tainted, so that the next apply replaces it and revokes it.
//! - A create that stays unknown says that the token may exist.
//! - A destroy answered 404 by something that is not the management API fails
//!   and keeps the token in state.
//!
//! Both CLIs, `TF_LOG=trace` and the secret scan of `Scenario::finish`. See
//! "Create and destroy outcomes" in `docs/reliability.md`.

use serde_json::json;

use crate::reliability::{Scenario, assert_no_crash, counted_tokens, for_each_cli};
use crate::support::acceptance::assert_output_contains;
use crate::support::not_found_server::NotFoundServer;

const CREATE: &str = "create_management_token";
const REVOKE: &str = "revoke_management_token";

/// Whether the state holds `address` marked tainted.
fn is_tainted(s: &mut Scenario, address: &str) -> bool {
    let show = s.show();
    show["values"]["root_module"]["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|resource| resource["address"] == address && resource["tainted"] == true)
}

/// Each apply adds one token while its create's answer is lost and then
/// refused until the retries run out, or its success body is spoiled: the
/// recovery attempt brings the committed token, once.
#[test]
fn reliability_outcomes_possibly_committed_creates_are_recovered() {
    let steps = [
        (
            "lost503",
            vec![
                json!({"drop_after_commit": true, "count": 1, "method": "POST"}),
                json!({"status": 503, "count": 4, "method": "POST"}),
            ],
            6,
        ),
        (
            "truncated",
            vec![json!({"corrupt_body": "truncated", "count": 1, "method": "POST"})],
            2,
        ),
        (
            "oversized",
            vec![json!({"corrupt_body": "oversized", "count": 1, "method": "POST"})],
            2,
        ),
    ];
    for_each_cli(
        "reliability_outcomes_possibly_committed_creates_are_recovered",
        |cli| {
            let mut s = Scenario::new(cli);
            let mut config = String::new();
            for (name, rules, requests) in &steps {
                config.push_str(&counted_tokens(name, 1));
                s.write(&config);
                let before = s.count(CREATE);
                for rule in rules {
                    s.fault(rule.clone());
                }
                let apply = s.apply(&[]);
                apply.assert_success();
                assert_no_crash(&apply);
                assert_eq!(s.count(CREATE) - before, *requests, "{cli}, {name}");
                let minted = s.minted_per_description();
                assert_eq!(
                    minted.get(&format!("{name}-0")),
                    Some(&1),
                    "{cli}: {minted:?}"
                );
                assert_eq!(s.plan_code(), 0, "{cli}, {name}: plan after apply");
                s.assert_consistent(name);
            }
            s.destroy().assert_success();
            s.finish("reliability_outcomes_possibly_committed_creates_are_recovered");
        },
    );
}

/// The create response (and its replay) lack `accessToken`: the apply fails
/// with "Management Token Has No Secret", the token is in state, tainted; the
/// next apply replaces it (revoking it) and converges.
#[test]
fn reliability_outcomes_token_without_secret_is_kept_for_destroy() {
    for_each_cli(
        "reliability_outcomes_token_without_secret_is_kept_for_destroy",
        |cli| {
            let mut s = Scenario::new(cli);
            s.write(&counted_tokens("nosecret", 1));
            s.fault(json!({"corrupt_body": "without_access_token", "count": 2, "method": "POST"}));
            let apply = s.apply(&[]);
            apply.assert_failure();
            assert_no_crash(&apply);
            assert_output_contains(
                &apply,
                &[
                    "Error: Management Token Has No Secret",
                    "the create response carries no accessToken",
                    "The token is kept in state so that destroy revokes it",
                ],
            );
            let address = "influxdb3_management_token.nosecret[0]";
            assert!(is_tainted(&mut s, address), "{cli}: not tainted");
            let first = s.emulator.list_tokens();
            assert_eq!(first.len(), 1, "{cli}: {first:?}");
            assert!(first[0].revoked_at.is_none());

            let apply = s.apply(&[]);
            apply.assert_success();
            assert_output_contains(&apply, &["1 added, 0 changed, 1 destroyed"]);
            let listed = s.emulator.list_tokens();
            let old = listed.iter().find(|token| token.id == first[0].id);
            assert!(
                old.is_some_and(|token| token.revoked_at.is_some()),
                "{cli}: the token without secret was not revoked: {listed:?}"
            );
            assert_eq!(s.plan_code(), 0, "{cli}: plan after the replacement");
            s.assert_consistent("after the replacement");
            s.destroy().assert_success();
            s.finish("reliability_outcomes_token_without_secret_is_kept_for_destroy");
        },
    );
}

/// A create whose answer is lost and whose retries and recovery are all
/// refused fails saying that the token may exist, and where to look.
#[test]
fn reliability_outcomes_unrecovered_create_says_it_may_exist() {
    for_each_cli(
        "reliability_outcomes_unrecovered_create_says_it_may_exist",
        |cli| {
            let mut s = Scenario::new(cli);
            s.write(&counted_tokens("unknown", 1));
            s.fault(json!({"drop_after_commit": true, "count": 1, "method": "POST"}));
            s.fault(json!({"status": 503, "count": 5, "method": "POST"}));
            let apply = s.apply(&[]);
            apply.assert_failure();
            assert_no_crash(&apply);
            assert_output_contains(
                &apply,
                &[
                    "Error: Error Creating Management Token",
                    "HTTP 503 Service Unavailable",
                    "The API may have created the token without the provider learning of it",
                    "\"unknown-0\"",
                ],
            );
            assert_eq!(s.count(CREATE), 6, "{cli}: 5 attempts and the recovery");
            // What the diagnostic tells the user to do.
            let leaked = s.emulator.list_tokens();
            assert_eq!(leaked.len(), 1, "{cli}: {leaked:?}");
            assert_eq!(s.emulator.revoke(leaked[0].id), 204);
            s.apply(&[]).assert_success();
            s.assert_consistent("after the next apply");
            s.destroy().assert_success();
            s.finish("reliability_outcomes_unrecovered_create_says_it_may_exist");
        },
    );
}

/// `url` pointing at a server that answers 404 to everything: a destroy that
/// reaches the revoke (`-refresh=false`) fails naming what answered, and the
/// token stays in state and active; with the right `url` it is revoked.
#[test]
fn reliability_outcomes_destroy_answered_404_by_another_server() {
    for_each_cli(
        "reliability_outcomes_destroy_answered_404_by_another_server",
        |cli| {
            let mut s = Scenario::new(cli);
            s.write(&counted_tokens("wrongurl", 1));
            s.apply(&[]).assert_success();
            let server = NotFoundServer::start();
            let emulator_url = s.emulator.url().to_owned();
            s.env("INFLUXDB3_URL", server.url());
            let destroy = s.run(&["destroy", "-refresh=false", "-input=false", "-auto-approve"]);
            destroy.assert_failure();
            assert_no_crash(&destroy);
            assert_output_contains(
                &destroy,
                &[
                    "Error: Error Revoking Management Token",
                    "the answer was HTTP 404 Not Found with content type \"text/plain; charset=utf-8\" and body \"404 page not found\"",
                    "the token may still be active",
                    "Check that the provider's `url`",
                ],
            );
            assert_eq!(server.requests(), 1, "{cli}: one DELETE, no retry");
            assert_eq!(s.count(REVOKE), 0);
            let listed = s.emulator.list_tokens();
            assert!(listed.iter().all(|token| token.revoked_at.is_none()));

            s.env("INFLUXDB3_URL", emulator_url);
            let state = s.assert_consistent("after the failed destroy");
            assert_eq!(state.len(), 1, "{cli}: the token stays in state");
            let destroy = s.destroy();
            destroy.assert_success();
            assert_output_contains(&destroy, &["1 destroyed"]);
            let listed = s.emulator.list_tokens();
            assert!(listed.iter().all(|token| token.revoked_at.is_some()));
            s.finish("reliability_outcomes_destroy_answered_404_by_another_server");
        },
    );
}
