//! Reliability: no lost and no duplicate tokens when the API fails.
//!
//! Real Terraform CLIs drive the provider against the emulator while it
//! injects faults (`POST /_emulator/faults`): 503 bursts, 429 with
//! `Retry-After`, slow responses, and creates (and revokes) whose connection
//! is dropped after the server committed them. After every step the API and
//! the state agree (`Scenario::assert_consistent`) and each description was
//! minted exactly once. Every command runs with `TF_LOG=trace`; the secret
//! scan of `Scenario::finish` covers all of it. See `docs/reliability.md`.

use std::time::Duration;

use serde_json::{Value, json};

use crate::reliability::{Scenario, assert_no_crash, counted_tokens, for_each_cli};
use crate::support::acceptance::assert_output_contains;
use crate::support::terraform::TerraformCli;

/// Tokens per step: enough for concurrent creates, small enough to be quick.
const N: u64 = 3;

const CREATE: &str = "create_management_token";
const LIST: &str = "list_management_tokens";
const REVOKE: &str = "revoke_management_token";

/// Asserts that each of `name-0 .. name-(n-1)` was minted exactly once.
#[track_caller]
fn assert_minted_once(scenario: &Scenario, name: &str, n: u64) {
    let minted = scenario.minted_per_description();
    for i in 0..n {
        let description = format!("{name}-{i}");
        assert_eq!(
            minted.get(&description).copied().unwrap_or(0),
            1,
            "Terraform {}: {description:?} minted {:?} times; all: {minted:?}",
            scenario.wd.cli().version,
            minted.get(&description)
        );
    }
}

/// Each step adds `N` tokens while the emulator injects faults into the
/// creates; the apply succeeds, the retries are visible in the request
/// counts, and no token is minted twice. Then a refresh through 503s, and a
/// destroy through 503s and dropped revokes.
#[test]
fn reliability_faults_retried_without_duplicates() {
    // (resource name, fault rules, injected failures the creates must retry,
    // the least time the apply must take)
    let steps: [(&str, Vec<Value>, u64, Duration); 4] = [
        (
            "burst503",
            vec![json!({"status": 503, "count": 2, "method": "POST"})],
            2,
            Duration::ZERO,
        ),
        (
            "limited429",
            vec![json!({"status": 429, "count": 2, "retry_after": 1, "method": "POST"})],
            2,
            // Retry-After: 1 is honoured.
            Duration::from_secs(1),
        ),
        (
            "dropped",
            vec![json!({"drop_after_commit": true, "count": 2, "method": "POST"})],
            2,
            Duration::ZERO,
        ),
        (
            "slow",
            // Well below the client's 30 s request timeout: see
            // `reliability_faults_delay_beyond_request_timeout`.
            vec![json!({"delay_ms": 1500, "count": N, "method": "POST"})],
            0,
            Duration::from_millis(1500),
        ),
    ];
    for_each_cli("reliability_faults_retried_without_duplicates", |cli| {
        let mut s = Scenario::new(cli);
        let mut config = String::new();
        for (name, rules, injected, at_least) in &steps {
            config.push_str(&counted_tokens(name, N as usize));
            s.write(&config);
            let before = s.count(CREATE);
            for rule in rules {
                s.fault(rule.clone());
            }
            let apply = s.apply(&[]);
            apply.assert_success();
            assert_no_crash(&apply);
            assert_output_contains(&apply, &[&format!("{N} added, 0 changed, 0 destroyed")]);
            let creates = s.count(CREATE) - before;
            assert_eq!(
                creates,
                N + injected,
                "{cli}, {name}: expected {N} creates plus {injected} retried ones:\n{apply}"
            );
            assert!(
                apply.duration >= *at_least,
                "{cli}, {name}: the apply took {:?}, less than {at_least:?}",
                apply.duration
            );
            assert_minted_once(&s, name, N);
            assert_eq!(s.plan_code(), 0, "{cli}, {name}: plan after apply");
            s.assert_consistent(name);
            eprintln!(
                "{cli}: {name}: {N} tokens through {injected} injected failures in {:.1?}",
                apply.duration
            );
        }

        // Refresh: the list call is retried through 503s.
        let lists = s.count(LIST);
        s.fault(json!({"status": 503, "count": 2, "method": "GET"}));
        assert_eq!(s.plan_code(), 0, "{cli}: plan through 503s on the list");
        assert!(
            s.count(LIST) - lists >= 3,
            "{cli}: the list was not retried"
        );

        // Destroy through 503s and revokes whose response is lost (the retry
        // finds the token already revoked: done).
        let total = N * steps.len() as u64;
        let revokes = s.count(REVOKE);
        s.fault(json!({"status": 503, "count": 2, "method": "DELETE"}));
        s.fault(json!({"drop_after_commit": true, "count": 2, "method": "DELETE"}));
        let destroy = s.destroy();
        destroy.assert_success();
        assert_no_crash(&destroy);
        assert_output_contains(&destroy, &[&format!("{total} destroyed")]);
        assert_eq!(s.count(REVOKE) - revokes, total + 4, "{cli}: revokes");
        let listed = s.emulator.list_tokens();
        assert_eq!(listed.len() as u64, total, "{cli}: tokens minted in all");
        assert!(
            listed.iter().all(|token| token.revoked_at.is_some()),
            "{cli}: a token survived the destroy: {listed:?}"
        );
        let state = s.assert_consistent("after destroy");
        assert!(state.is_empty(), "{cli}: state after destroy: {state:?}");
        s.finish("reliability_faults_retried_without_duplicates");
    });
}

/// An apply that fails because one create gets 503 more often than the retry
/// budget (5 attempts) allows keeps the tokens that were created, records no
/// token that does not exist, and the next apply converges.
#[test]
fn reliability_faults_failed_apply_converges() {
    for_each_cli("reliability_faults_failed_apply_converges", |cli| {
        let mut s = Scenario::new(cli);
        s.write(&counted_tokens("budget", N as usize));
        // One create at a time, so that the five 503s all hit the first one.
        s.fault(json!({"status": 503, "count": 5, "method": "POST"}));
        let apply = s.apply(&["-parallelism=1"]);
        apply.assert_failure();
        assert_no_crash(&apply);
        assert_output_contains(
            &apply,
            &[
                "Error: Error Creating Management Token",
                "could not create management token: HTTP 503 Service Unavailable",
                "(after 5 attempts)",
                "The API had a server error; try again later.",
            ],
        );
        assert_eq!(s.count(CREATE), 5 + (N - 1), "{cli}: creates");
        let state = s.assert_consistent("after the failed apply");
        assert_eq!(state.len() as u64, N - 1, "{cli}: {state:?}");

        let apply = s.apply(&[]);
        apply.assert_success();
        assert_output_contains(&apply, &["1 added, 0 changed, 0 destroyed"]);
        assert_eq!(s.plan_code(), 0, "{cli}: plan after the second apply");
        let state = s.assert_consistent("after the second apply");
        assert_eq!(state.len() as u64, N);
        assert_minted_once(&s, "budget", N);
        s.finish("reliability_faults_failed_apply_converges");
    });
}

/// Every attempt of a create commits the token and loses the response
/// (`drop_after_commit` five times, the whole retry budget). The provider
/// then asks once more with the same idempotency key, learns the token the
/// server committed, and records it: no token is left active outside the
/// state, and nothing is minted twice.
#[test]
fn reliability_faults_lost_create_responses_beyond_budget() {
    for_each_cli(
        "reliability_faults_lost_create_responses_beyond_budget",
        |cli| {
            let mut s = Scenario::new(cli);
            s.write(&counted_tokens("lost", 1));
            s.fault(json!({"drop_after_commit": true, "count": 5, "method": "POST"}));
            let apply = s.apply(&[]);
            apply.assert_success();
            assert_no_crash(&apply);
            assert_eq!(
                s.count(CREATE),
                6,
                "{cli}: five lost attempts and the recovery"
            );
            // One key, one token: the retries were replays, not new tokens.
            assert_eq!(s.minted_per_description().get("lost-0"), Some(&1));
            assert_eq!(s.plan_code(), 0, "{cli}: plan after the apply");
            let state = s.assert_consistent("after the recovered create");
            assert_eq!(state.len(), 1);
            s.finish("reliability_faults_lost_create_responses_beyond_budget");
        },
    );
}

/// A create slower than the client's request timeout (shortened to 1 s with
/// `INFLUXDB3_REQUEST_TIMEOUT`) is abandoned and retried with the same
/// idempotency key; one token results.
#[test]
fn reliability_faults_delay_beyond_request_timeout() {
    let cli = TerraformCli::get("1.11.4");
    let mut s = Scenario::new(&cli);
    s.env("INFLUXDB3_REQUEST_TIMEOUT", "1s");
    s.write(&counted_tokens("timeout", 1));
    s.fault(json!({"delay_ms": 2_000, "count": 1, "method": "POST"}));
    let apply = s.apply(&[]);
    apply.assert_success();
    assert_no_crash(&apply);
    assert!(
        apply.duration >= Duration::from_secs(1),
        "{cli}: {:?}",
        apply.duration
    );
    assert_eq!(
        s.count(CREATE),
        2,
        "{cli}: one timed-out attempt, one retry"
    );
    assert_minted_once(&s, "timeout", 1);
    assert_eq!(s.plan_code(), 0);
    s.assert_consistent("after a create slower than the request timeout");
    s.finish("reliability_faults_delay_beyond_request_timeout");
}
