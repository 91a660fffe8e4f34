//! The provider's management-API client against the real emulator binary.
//!
//! Every test starts its own emulator process (see `support::emulator`), so faults
//! and stats never leak between tests.

use std::time::{Duration, Instant};

use influxdb3_provider::api::CreateManagementTokenRequest;
use influxdb3_provider::provider::client::{
    ClientConfig, ClientError, ClientErrorKind, ManagementApiClient, RetryPolicy, RevokeOutcome,
};
use serde_json::json;
use uuid::Uuid;

use crate::support::emulator::EmulatorProcess;

fn init() {
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
}

/// Defaults, except retries that are quick enough for a test.
fn config(emulator: &EmulatorProcess) -> ClientConfig {
    init();
    let mut config = ClientConfig::new(
        emulator.url(),
        Some(emulator.account_id()),
        emulator.token(),
    );
    config.user_agent = "terraform-provider-influxdb3/test (+integration)".to_owned();
    config.retry = RetryPolicy {
        max_attempts: 5,
        initial_backoff: Duration::from_millis(50),
        max_backoff: Duration::from_millis(400),
        max_elapsed: Duration::from_secs(20),
    };
    config
}

fn client(emulator: &EmulatorProcess) -> ManagementApiClient {
    ManagementApiClient::new(config(emulator)).expect("client")
}

fn request(description: &str) -> CreateManagementTokenRequest {
    CreateManagementTokenRequest {
        description: description.to_owned(),
        expires_at: None,
    }
}

/// How many requests the emulator counted for `operation` (snake_case name).
fn count(emulator: &EmulatorProcess, operation: &str) -> u64 {
    emulator.stats()["by_operation"][operation]
        .as_u64()
        .unwrap_or(0)
}

#[tokio::test]
async fn create_list_get_revoke_round_trip() {
    let emulator = EmulatorProcess::start();
    let client = client(&emulator);

    let created = client
        .create_management_token(&request("round trip"))
        .await
        .expect("create");
    assert_eq!(created.description, "round trip");
    assert_eq!(created.account_id, Some(emulator.account_id()));
    let secret = created
        .access_token
        .as_ref()
        .expect("secret in create response")
        .expose()
        .to_owned();
    assert!(
        secret.starts_with(&created.token_prefix),
        "prefix of the secret"
    );

    let listed = client.list_management_tokens().await.expect("list");
    let mine = listed
        .iter()
        .find(|token| token.id == created.id)
        .expect("listed");
    assert_eq!(mine.access_token, None, "the secret is never listed");

    let got = client
        .get_management_token(created.id)
        .await
        .expect("get")
        .expect("known");
    assert_eq!(got.id, created.id);
    assert_eq!(got.revoked_at, None);
    assert_eq!(got.access_token, None);

    // The new token authenticates on its own.
    let mut own = config(&emulator);
    own.token = secret.into();
    let own = ManagementApiClient::new(own).unwrap();
    assert!(own.list_management_tokens().await.is_ok());

    assert_eq!(
        client.revoke_management_token(created.id).await.unwrap(),
        RevokeOutcome::Revoked
    );
    assert_eq!(
        client.revoke_management_token(created.id).await.unwrap(),
        RevokeOutcome::AlreadyRevoked
    );
    let revoked = client
        .get_management_token(created.id)
        .await
        .unwrap()
        .unwrap();
    assert!(revoked.revoked_at.is_some());
    assert!(
        client
            .list_management_tokens()
            .await
            .unwrap()
            .iter()
            .any(|token| token.id == created.id && token.revoked_at.is_some()),
        "revoked tokens stay listed"
    );

    // A revoked token no longer authenticates.
    let error = own.list_management_tokens().await.unwrap_err();
    assert!(error.is_unauthorized(), "{error}");

    let unknown = Uuid::new_v4();
    assert_eq!(client.get_management_token(unknown).await.unwrap(), None);
    assert_eq!(
        client.revoke_management_token(unknown).await.unwrap(),
        RevokeOutcome::NotFound
    );
}

#[tokio::test]
async fn a_wrong_token_is_unauthorized() {
    let emulator = EmulatorProcess::start();
    let mut config = config(&emulator);
    config.token = "not-the-token".into();
    let error = ManagementApiClient::new(config)
        .unwrap()
        .list_management_tokens()
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(401));
    assert!(error.is_unauthorized());
    assert_eq!(error.attempts(), 1, "401 is not retried");
    assert!(
        error
            .to_string()
            .starts_with("could not list management tokens: HTTP 401 Unauthorized"),
        "{error}"
    );
}

#[tokio::test]
async fn an_invalid_create_is_a_400_with_the_api_message() {
    let emulator = EmulatorProcess::start();
    let error = client(&emulator)
        .create_management_token(&request("   "))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(400));
    let ClientErrorKind::Api { message, .. } = error.kind() else {
        panic!("{error}");
    };
    assert!(!message.is_empty(), "the API message is kept");
}

#[tokio::test]
async fn server_errors_are_retried() {
    let emulator = EmulatorProcess::start();
    let client = client(&emulator);
    emulator.set_fault(json!({"status": 503, "count": 2, "method": "GET"}));
    let before = count(&emulator, "list_management_tokens");
    client
        .list_management_tokens()
        .await
        .expect("third attempt succeeds");
    assert_eq!(count(&emulator, "list_management_tokens") - before, 3);
}

#[tokio::test]
async fn too_many_requests_waits_for_retry_after() {
    let emulator = EmulatorProcess::start();
    let client = client(&emulator);
    emulator.set_fault(json!({"status": 429, "count": 1, "retry_after": 1}));
    let started = Instant::now();
    client.list_management_tokens().await.expect("retried");
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_secs(1), "waited only {elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "waited {elapsed:?}");
    assert_eq!(count(&emulator, "list_management_tokens"), 2);
}

/// The key feature: the first create commits, its response is lost, and the retry
/// (with the same `Idempotency-Key`) returns the same token instead of a second one.
#[tokio::test]
async fn a_create_whose_response_is_lost_yields_exactly_one_token() {
    let emulator = EmulatorProcess::start();
    let client = client(&emulator);
    let before = client.list_management_tokens().await.unwrap().len();
    emulator.set_fault(json!({"count": 1, "method": "POST", "drop_after_commit": true}));

    let created = client
        .create_management_token(&request("lost response"))
        .await
        .expect("retried create");
    assert!(created.access_token.is_some());
    assert_eq!(count(&emulator, "create_management_token"), 2, "one retry");

    let listed = client.list_management_tokens().await.unwrap();
    assert_eq!(listed.len(), before + 1, "exactly one token was minted");
    let matching: Vec<_> = listed
        .iter()
        .filter(|token| token.description == "lost response")
        .collect();
    assert_eq!(matching.len(), 1);
    assert_eq!(matching[0].id, created.id);

    // A second, separate create is a new logical create: a new key, a new token.
    let second = client
        .create_management_token(&request("lost response"))
        .await
        .unwrap();
    assert_ne!(second.id, created.id);
}

#[tokio::test]
async fn a_slow_response_times_out_and_the_retry_succeeds() {
    let emulator = EmulatorProcess::start();
    let mut config = config(&emulator);
    config.request_timeout = Duration::from_millis(300);
    let client = ManagementApiClient::new(config).unwrap();
    emulator.set_fault(json!({"count": 1, "delay_ms": 2000, "method": "GET"}));
    let started = Instant::now();
    client
        .list_management_tokens()
        .await
        .expect("retry succeeds");
    assert!(
        started.elapsed() < Duration::from_millis(1800),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(count(&emulator, "list_management_tokens"), 2);
}

#[tokio::test]
async fn an_unreachable_url_fails_within_the_time_budget() {
    init();
    let mut config = ClientConfig::new("http://127.0.0.1:1", Some(Uuid::new_v4()), "token");
    config.retry = RetryPolicy {
        max_attempts: 10,
        initial_backoff: Duration::from_millis(200),
        max_backoff: Duration::from_secs(2),
        max_elapsed: Duration::from_secs(3),
    };
    let started = Instant::now();
    let error = ManagementApiClient::new(config)
        .unwrap()
        .list_management_tokens()
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    assert!(
        matches!(error.kind(), ClientErrorKind::Connect { .. }),
        "{error}"
    );
    assert!(error.attempts() >= 2, "{error}");
    assert!(
        elapsed < Duration::from_secs(3) + Duration::from_secs(1),
        "{elapsed:?}"
    );
}

#[tokio::test]
async fn cancellation_interrupts_a_backoff_wait() {
    let emulator = EmulatorProcess::start();
    let config = config(&emulator);
    let cancel = config.cancel.clone();
    let client = ManagementApiClient::new(config).unwrap();
    emulator.set_fault(json!({"status": 503, "count": 1, "retry_after": 10}));
    let canceller = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        cancel.cancel();
    });
    let started = Instant::now();
    let error = client.list_management_tokens().await.unwrap_err();
    canceller.await.unwrap();
    assert!(error.is_cancelled(), "{error}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(count(&emulator, "list_management_tokens"), 1);
}

#[test]
fn plain_http_to_a_remote_host_is_refused() {
    init();
    let error = ManagementApiClient::new(ClientConfig::new(
        "http://console.influxdata.com",
        Some(Uuid::new_v4()),
        "token",
    ))
    .unwrap_err();
    assert!(
        matches!(error.kind(), ClientErrorKind::InvalidConfig { .. }),
        "{error}"
    );
    assert!(error.to_string().contains("loopback"), "{error}");
}

#[tokio::test]
async fn clustered_form_round_trip() {
    let emulator = EmulatorProcess::start_with(&["--clustered"]);
    let mut config = config(&emulator);
    config.account_id = None;
    let client = ManagementApiClient::new(config).unwrap();
    let created = client
        .create_management_token(&request("clustered"))
        .await
        .expect("create");
    assert_eq!(created.account_id, None);
    assert!(
        client
            .list_management_tokens()
            .await
            .unwrap()
            .iter()
            .any(|token| token.id == created.id)
    );
    assert!(
        client
            .get_management_token(created.id)
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(
        client.revoke_management_token(created.id).await.unwrap(),
        RevokeOutcome::Revoked
    );

    // The Cloud Dedicated paths do not exist on a Clustered server.
    let dedicated = ManagementApiClient::new(self::config(&emulator)).unwrap();
    let error = dedicated.list_management_tokens().await.unwrap_err();
    assert_eq!(error.status(), Some(404), "{error}");
}

/// Produces one error of every kind the emulator can provoke and checks that none
/// of them, in any rendering, contains the bearer token or a minted secret.
#[tokio::test]
async fn errors_never_contain_secrets() {
    let emulator = EmulatorProcess::start();
    let client = client(&emulator);
    let minted = client
        .create_management_token(&request("secret check"))
        .await
        .unwrap()
        .access_token
        .unwrap()
        .expose()
        .to_owned();
    let mut errors: Vec<ClientError> = Vec::new();

    // Api: 401 with the minted secret as a (revoked) bearer token, and a 400.
    client
        .revoke_management_token(
            client
                .list_management_tokens()
                .await
                .unwrap()
                .iter()
                .find(|token| token.description == "secret check")
                .unwrap()
                .id,
        )
        .await
        .unwrap();
    let mut revoked = config(&emulator);
    revoked.token = minted.clone().into();
    let revoked = ManagementApiClient::new(revoked).unwrap();
    errors.push(revoked.list_management_tokens().await.unwrap_err());
    errors.push(
        client
            .create_management_token(&request(""))
            .await
            .unwrap_err(),
    );
    // Api after exhausted retries.
    emulator.set_fault(json!({"status": 500, "count": 5}));
    errors.push(client.list_management_tokens().await.unwrap_err());
    // Timeout.
    let mut slow = config(&emulator);
    slow.request_timeout = Duration::from_millis(200);
    slow.retry = RetryPolicy::no_retries();
    emulator.set_fault(json!({"count": 1, "delay_ms": 1000}));
    errors.push(
        ManagementApiClient::new(slow)
            .unwrap()
            .list_management_tokens()
            .await
            .unwrap_err(),
    );
    // Connect.
    let mut unreachable = config(&emulator);
    unreachable.base_url = "http://127.0.0.1:1".to_owned();
    unreachable.retry = RetryPolicy::no_retries();
    errors.push(
        ManagementApiClient::new(unreachable)
            .unwrap()
            .create_management_token(&request("x"))
            .await
            .unwrap_err(),
    );
    // Cancelled.
    let cancelled = config(&emulator);
    cancelled.cancel.cancel();
    errors.push(
        ManagementApiClient::new(cancelled)
            .unwrap()
            .get_management_token(Uuid::new_v4())
            .await
            .unwrap_err(),
    );
    // InvalidConfig, with the token in a rejected position.
    let mut invalid = config(&emulator);
    invalid.base_url = format!("https://user:{}@example.com", emulator.token());
    errors.push(ManagementApiClient::new(invalid).unwrap_err());
    let mut invalid = config(&emulator);
    invalid.token = format!("{}\n", emulator.token()).into();
    errors.push(ManagementApiClient::new(invalid).unwrap_err());

    let kinds: Vec<&str> = errors
        .iter()
        .map(|error| match error.kind() {
            ClientErrorKind::Api { .. } => "api",
            ClientErrorKind::Timeout { .. } => "timeout",
            ClientErrorKind::Connect { .. } => "connect",
            ClientErrorKind::Cancelled { .. } => "cancelled",
            ClientErrorKind::InvalidConfig { .. } => "config",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "api",
            "api",
            "api",
            "timeout",
            "connect",
            "cancelled",
            "config",
            "config"
        ]
    );
    let bearer = emulator.token();
    for error in &errors {
        for text in [error.to_string(), format!("{error:?}")] {
            assert!(!text.contains(bearer.as_str()), "bearer token in {text}");
            assert!(!text.contains(&minted), "minted secret in {text}");
        }
    }
}
