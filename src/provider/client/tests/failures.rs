//! Retries, timeouts, connection failures, cancellation and TLS.

use std::time::{Duration, Instant};

use super::*;
use crate::provider::client::test_server::{Reply, TestServer, private_ca_tls};

#[tokio::test]
async fn retries_stop_after_max_attempts() {
    let busy = || Reply::json(503, r#"{"code":503,"message":"busy"}"#);
    let server = TestServer::start(vec![busy(), busy(), busy(), busy(), busy()]).await;
    let error = client(&server).list_management_tokens().await.unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert_eq!(error.attempts(), 4);
    assert_eq!(
        error.to_string(),
        "could not list management tokens: HTTP 503 Service Unavailable: busy (after 4 attempts)"
    );
    assert_eq!(server.recorded().len(), 4);
}

#[tokio::test]
async fn retry_after_is_waited_for_and_a_too_long_one_ends_retrying() {
    let server = TestServer::start(vec![
        Reply::json_with(
            429,
            &[("Retry-After", "1")],
            r#"{"code":429,"message":"slow down"}"#,
        ),
        Reply::json(200, "[]"),
        Reply::json_with(
            429,
            &[("Retry-After", "3600")],
            r#"{"code":429,"message":"slow down"}"#,
        ),
    ])
    .await;
    let client = client(&server);
    let started = Instant::now();
    assert!(client.list_management_tokens().await.unwrap().is_empty());
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );

    let started = Instant::now();
    let error = client.list_management_tokens().await.unwrap_err();
    assert_eq!(error.status(), Some(429));
    assert_eq!(error.attempts(), 1);
    assert!(started.elapsed() < Duration::from_secs(1));
}

#[tokio::test]
async fn a_hanging_attempt_times_out_and_is_retried() {
    let server = TestServer::start(vec![
        Reply::Hang(Duration::from_secs(5)),
        Reply::json(200, "[]"),
    ])
    .await;
    let mut config = fast_config(&server.url(), Some(ACCOUNT));
    config.request_timeout = Duration::from_millis(200);
    let client = ManagementApiClient::new(config).unwrap();
    let started = Instant::now();
    assert!(client.list_management_tokens().await.unwrap().is_empty());
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(server.recorded().len(), 2);
}

#[tokio::test]
async fn timeouts_are_bounded_by_the_total_budget() {
    let hang = || Reply::Hang(Duration::from_secs(10));
    let server = TestServer::start(vec![hang(), hang(), hang(), hang()]).await;
    let mut config = fast_config(&server.url(), Some(ACCOUNT));
    config.request_timeout = Duration::from_secs(5);
    config.retry.max_elapsed = Duration::from_millis(700);
    let client = ManagementApiClient::new(config).unwrap();
    let started = Instant::now();
    let error = client.list_management_tokens().await.unwrap_err();
    assert!(
        matches!(error.kind(), ClientErrorKind::Timeout { .. }),
        "{error}"
    );
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
    assert_no_secret(&error);
}

#[tokio::test]
async fn refused_connections_are_retried_then_reported() {
    init();
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let config = fast_config(&format!("http://127.0.0.1:{port}"), Some(ACCOUNT));
    let error = ManagementApiClient::new(config)
        .unwrap()
        .list_management_tokens()
        .await
        .unwrap_err();
    let ClientErrorKind::Connect { message, .. } = error.kind() else {
        panic!("{error}");
    };
    assert!(
        message.starts_with(&format!(
            "cannot connect to http://127.0.0.1:{port}/api/v0/accounts/"
        )),
        "{message}"
    );
    assert_eq!(error.attempts(), 4);
    assert_no_secret(&error);
}

#[tokio::test]
async fn cancellation_during_an_attempt_and_before_one() {
    let server = TestServer::start(vec![Reply::Hang(Duration::from_secs(10))]).await;
    let config = fast_config(&server.url(), Some(ACCOUNT));
    let cancel = config.cancel.clone();
    let client = ManagementApiClient::new(config).unwrap();

    let started = Instant::now();
    let canceller = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(150)).await;
        cancel.cancel();
    });
    let error = client.list_management_tokens().await.unwrap_err();
    canceller.await.unwrap();
    assert!(error.is_cancelled(), "{error}");
    assert_eq!(error.attempts(), 1);
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(
        error.to_string(),
        "could not list management tokens: cancelled because the provider is stopping"
    );
    assert_no_secret(&error);

    // Already cancelled: nothing is sent.
    let error = client.get_management_token(TOKEN_ID).await.unwrap_err();
    assert!(error.is_cancelled());
    assert_eq!(error.attempts(), 0);
    assert_eq!(server.recorded().len(), 1);
}

#[tokio::test]
async fn cancellation_during_a_backoff_wait() {
    let server = TestServer::start(vec![Reply::json_with(
        503,
        &[("Retry-After", "5")],
        r#"{"code":503,"message":"busy"}"#,
    )])
    .await;
    let config = fast_config(&server.url(), Some(ACCOUNT));
    let cancel = config.cancel.clone();
    let client = ManagementApiClient::new(config).unwrap();
    let started = Instant::now();
    let canceller = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        cancel.cancel();
    });
    let error = client
        .create_management_token(&create_request())
        .await
        .unwrap_err();
    canceller.await.unwrap();
    assert!(error.is_cancelled(), "{error}");
    assert_eq!(error.attempts(), 1);
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(server.recorded().len(), 1);
}

#[tokio::test]
async fn private_ca_needs_the_bundle() {
    let (ca_pem, tls) = private_ca_tls();
    let server = TestServer::start_tls(vec![Reply::json(200, "[]")], tls).await;

    let error = client(&server).list_management_tokens().await.unwrap_err();
    let ClientErrorKind::Tls { message, .. } = error.kind() else {
        panic!("{error}");
    };
    assert!(message.contains("if it uses a private CA"), "{message}");
    assert_eq!(error.attempts(), 1, "a TLS failure is not retried");
    assert_no_secret(&error);

    let mut config = fast_config(&server.url(), Some(ACCOUNT));
    config.ca_bundle_pem = Some(ca_pem.into_bytes());
    let client = ManagementApiClient::new(config).unwrap();
    assert!(client.list_management_tokens().await.unwrap().is_empty());
}
