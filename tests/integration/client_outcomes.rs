//! How the client's creates and revokes end when answers are lost, spoiled or
//! not the management API's, against the emulator binary (faults injected with
//! `POST /_emulator/faults`) and a server that answers 404 to everything. See
//! the "Create and destroy outcomes" section of `docs/reliability.md`.

use std::time::Duration;

use influxdb3_provider::api::{CreateManagementTokenRequest, ManagementToken};
use influxdb3_provider::provider::client::{
    ClientConfig, ClientErrorKind, ManagementApiClient, RetryPolicy, RevokeOutcome,
};
use serde_json::json;
use uuid::Uuid;

use crate::support::emulator::EmulatorProcess;
use crate::support::not_found_server::NotFoundServer;

const CREATE: &str = "create_management_token";

fn client_for(url: &str, account: Uuid, token: &str) -> ManagementApiClient {
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let mut config = ClientConfig::new(url, Some(account), token);
    config.retry = RetryPolicy {
        max_attempts: 5,
        initial_backoff: Duration::from_millis(20),
        max_backoff: Duration::from_millis(100),
        max_elapsed: Duration::from_secs(20),
    };
    ManagementApiClient::new(config).expect("client")
}

fn client(emulator: &EmulatorProcess) -> ManagementApiClient {
    client_for(emulator.url(), emulator.account_id(), &emulator.token())
}

fn request(description: &str) -> CreateManagementTokenRequest {
    CreateManagementTokenRequest {
        description: description.to_owned(),
        expires_at: None,
    }
}

fn creates(emulator: &EmulatorProcess) -> u64 {
    emulator.stats()["by_operation"][CREATE]
        .as_u64()
        .unwrap_or(0)
}

/// The tokens the emulator lists with `description`.
fn minted(emulator: &EmulatorProcess, description: &str) -> Vec<ManagementToken> {
    emulator
        .list_tokens()
        .into_iter()
        .filter(|token| token.description == description)
        .collect()
}

/// The create returned the one token the API minted, with its secret.
#[track_caller]
fn assert_recovered(emulator: &EmulatorProcess, created: &ManagementToken, description: &str) {
    let secret = EmulatorProcess::access_token_of(created);
    assert!(secret.starts_with(&created.token_prefix));
    let listed = minted(emulator, description);
    assert_eq!(listed.len(), 1, "one token minted: {listed:?}");
    assert_eq!(listed[0].id, created.id);
}

#[tokio::test]
async fn a_lost_answer_then_5xx_or_429_until_the_retries_run_out_is_recovered() {
    let emulator = EmulatorProcess::start();
    let client = client(&emulator);

    emulator.set_fault(json!({"drop_after_commit": true, "count": 1, "method": "POST"}));
    emulator.set_fault(json!({"status": 503, "count": 4, "method": "POST"}));
    let created = client
        .create_management_token(&request("lost then 503"))
        .await
        .expect("recovered");
    assert_eq!(creates(&emulator), 6, "5 attempts and the recovery");
    assert_recovered(&emulator, &created, "lost then 503");

    // A Retry-After beyond the time budget ends retrying at once.
    emulator.reset_stats();
    emulator.set_fault(json!({"drop_after_commit": true, "count": 1, "method": "POST"}));
    emulator.set_fault(json!({"status": 429, "retry_after": 60, "count": 1, "method": "POST"}));
    let created = client
        .create_management_token(&request("lost then 429"))
        .await
        .expect("recovered");
    assert_eq!(creates(&emulator), 3);
    assert_recovered(&emulator, &created, "lost then 429");
}

#[tokio::test]
async fn a_spoiled_success_body_is_recovered_by_the_replay() {
    let emulator = EmulatorProcess::start();
    let client = client(&emulator);
    for corruption in ["truncated", "not_json", "without_access_token", "oversized"] {
        emulator.reset_stats();
        emulator.set_fault(json!({"corrupt_body": corruption, "count": 1, "method": "POST"}));
        let created = client
            .create_management_token(&request(corruption))
            .await
            .unwrap_or_else(|error| panic!("{corruption}: {error}"));
        assert_eq!(
            creates(&emulator),
            2,
            "{corruption}: the create and the recovery"
        );
        assert_recovered(&emulator, &created, corruption);
    }
}

#[tokio::test]
async fn a_success_body_spoiled_twice_is_a_possible_create() {
    let emulator = EmulatorProcess::start();
    let client = client(&emulator);

    emulator.set_fault(json!({"corrupt_body": "truncated", "count": 2, "method": "POST"}));
    let error = client
        .create_management_token(&request("spoiled twice"))
        .await
        .expect_err("no usable answer");
    assert!(
        matches!(error.kind(), ClientErrorKind::InvalidResponse { .. }),
        "{error}"
    );
    assert!(error.outcome_unknown(), "{error}");
    assert!(error.created_without_secret().is_none());
    assert_eq!(
        minted(&emulator, "spoiled twice").len(),
        1,
        "it was created"
    );

    emulator
        .set_fault(json!({"corrupt_body": "without_access_token", "count": 2, "method": "POST"}));
    let error = client
        .create_management_token(&request("no secret twice"))
        .await
        .expect_err("no secret");
    let listed = minted(&emulator, "no secret twice");
    assert_eq!(listed.len(), 1);
    let described = error.created_without_secret().expect("the token is named");
    assert_eq!(described.id, listed[0].id);
    assert!(described.access_token.is_none());
}

#[tokio::test]
async fn a_revoke_answered_404_by_something_else_is_not_done() {
    let server = NotFoundServer::start();
    let client = client_for(&server.url(), Uuid::new_v4(), "some-management-token");
    let error = client
        .revoke_management_token(Uuid::new_v4())
        .await
        .expect_err("a 404 from a web server is no revoke");
    assert!(
        matches!(error.kind(), ClientErrorKind::Unconfirmed { .. }),
        "{error}"
    );
    let text = error.to_string();
    for needle in [
        "HTTP 404 Not Found",
        r#"content type "text/plain; charset=utf-8""#,
        r#"body "404 page not found""#,
        "may still be active",
    ] {
        assert!(text.contains(needle), "{needle:?} not in {text}");
    }
    assert!(!text.contains("some-management-token"), "{text}");
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn the_apis_own_404_and_409_are_confirmed_by_the_list() {
    let emulator = EmulatorProcess::start();
    let client = client(&emulator);
    assert_eq!(
        client
            .revoke_management_token(Uuid::new_v4())
            .await
            .unwrap(),
        RevokeOutcome::NotFound
    );
    let token = emulator.create("revoked twice");
    assert_eq!(
        client.revoke_management_token(token.id).await.unwrap(),
        RevokeOutcome::Revoked
    );
    assert_eq!(
        client.revoke_management_token(token.id).await.unwrap(),
        RevokeOutcome::AlreadyRevoked
    );
    assert_eq!(
        emulator.stats()["by_operation"]["list_management_tokens"],
        2,
        "one list per 404 or 409"
    );
}
