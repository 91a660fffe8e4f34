//! How a create ends when some attempt may have been committed without its
//! secret reaching the client: the recovery attempt (same `Idempotency-Key`)
//! and `outcome_unknown` over the whole retry loop, not only the last attempt.

use std::time::Duration;

use super::*;
use crate::api::ManagementToken;
use crate::provider::client::test_server::{Reply, TestServer};

fn busy(status: u16) -> Reply {
    Reply::json(status, format!(r#"{{"code":{status},"message":"busy"}}"#))
}

/// One create against a server scripted with `replies`.
async fn create_against(replies: Vec<Reply>) -> (Result<ManagementToken, ClientError>, TestServer) {
    let server = TestServer::start(replies).await;
    let created = client(&server)
        .create_management_token(&create_request())
        .await;
    (created, server)
}

/// Every request the server saw carried the same idempotency key.
#[track_caller]
fn assert_one_key(server: &TestServer, requests: usize) {
    let recorded = server.recorded();
    assert_eq!(recorded.len(), requests);
    let keys: Vec<&String> = recorded
        .iter()
        .map(|request| &request.headers["idempotency-key"])
        .collect();
    assert!(keys.iter().all(|key| *key == keys[0]), "{keys:?}");
}

#[tokio::test]
async fn a_lost_answer_then_5xx_until_the_retries_run_out_is_recovered() {
    // Attempt 1 is committed and its answer lost; attempts 2-4 get 503 and 500
    // (retry budget: 4); the recovery attempt gets the committed token.
    let (created, server) = create_against(vec![
        Reply::Close,
        busy(503),
        busy(500),
        busy(503),
        Reply::json(200, token_json(true)),
    ])
    .await;
    let token = created.unwrap();
    assert_eq!(
        token.access_token.as_ref().map(Secret::expose),
        Some(ACCESS)
    );
    assert_one_key(&server, 5);
}

#[tokio::test]
async fn a_lost_answer_then_429_is_recovered() {
    // A Retry-After that does not fit the budget ends retrying at once.
    let (created, server) = create_against(vec![
        Reply::Close,
        Reply::json_with(
            429,
            &[("Retry-After", "3600")],
            r#"{"code":429,"message":"slow down"}"#,
        ),
        Reply::json(200, token_json(true)),
    ])
    .await;
    let token = created.unwrap();
    assert_eq!(token.id, TOKEN_ID);
    assert_one_key(&server, 3);
}

#[tokio::test]
async fn a_failed_recovery_after_a_lost_answer_reports_the_possible_create() {
    let (created, server) = create_against(vec![
        Reply::Close,
        busy(503),
        busy(503),
        busy(503),
        busy(503),
    ])
    .await;
    let error = created.unwrap_err();
    assert_eq!(error.status(), Some(503), "{error}");
    assert!(error.outcome_unknown(), "{error}");
    assert!(error.created_without_secret().is_none());
    assert_no_secret(&error);
    assert_one_key(&server, 5);
}

#[tokio::test]
async fn answers_without_a_lost_attempt_are_not_a_possible_create() {
    let (created, server) = create_against(vec![busy(503), busy(503), busy(503), busy(503)]).await;
    let error = created.unwrap_err();
    assert!(!error.outcome_unknown(), "{error}");
    assert_eq!(server.recorded().len(), 4, "no recovery attempt");

    let (created, server) = create_against(vec![Reply::json(
        400,
        r#"{"code":400,"message":"description is empty"}"#,
    )])
    .await;
    let error = created.unwrap_err();
    assert!(!error.outcome_unknown(), "{error}");
    assert_eq!(server.recorded().len(), 1);
}

#[tokio::test]
async fn a_refused_connection_never_sent_the_create() {
    init();
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = ManagementApiClient::new(fast_config(
        &format!("http://127.0.0.1:{port}"),
        Some(ACCOUNT),
    ))
    .unwrap();
    let error = client
        .create_management_token(&create_request())
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind(), ClientErrorKind::Connect { .. }),
        "{error}"
    );
    assert!(!error.outcome_unknown(), "nothing was sent: {error}");
}

#[tokio::test]
async fn a_corrupt_success_body_is_recovered() {
    let truncated = token_json(true)[..60].to_owned();
    for first in [
        Reply::json(200, truncated),
        Reply::json(200, "<html>gateway</html>"),
        Reply::json(201, token_json(false)),
    ] {
        let (created, server) =
            create_against(vec![first, Reply::json(200, token_json(true))]).await;
        let token = created.unwrap();
        assert_eq!(
            token.access_token.as_ref().map(Secret::expose),
            Some(ACCESS)
        );
        assert_one_key(&server, 2);
    }
}

#[tokio::test]
async fn an_oversized_success_body_is_recovered() {
    for first in [
        Reply::DeclaredLength(MAX_RESPONSE_BYTES as u64 + 1),
        Reply::Stream(MAX_RESPONSE_BYTES + 64 * 1024),
    ] {
        let (created, server) =
            create_against(vec![first, Reply::json(200, token_json(true))]).await;
        let token = created.unwrap();
        assert_eq!(token.id, TOKEN_ID);
        assert_one_key(&server, 2);
    }

    let (created, server) = create_against(vec![
        Reply::Stream(MAX_RESPONSE_BYTES + 64 * 1024),
        Reply::Stream(MAX_RESPONSE_BYTES + 64 * 1024),
    ])
    .await;
    let error = created.unwrap_err();
    assert!(
        matches!(error.kind(), ClientErrorKind::ResponseTooLarge { .. }),
        "{error}"
    );
    assert!(error.outcome_unknown(), "{error}");
    assert_one_key(&server, 2);
}

#[tokio::test]
async fn an_oversized_error_body_is_not_a_possible_create() {
    let (created, server) = create_against(vec![Reply::typed(
        400,
        "application/json",
        " ".repeat(MAX_RESPONSE_BYTES + 1),
    )])
    .await;
    let error = created.unwrap_err();
    assert!(
        matches!(error.kind(), ClientErrorKind::ResponseTooLarge { .. }),
        "{error}"
    );
    assert!(!error.outcome_unknown(), "{error}");
    assert_eq!(server.recorded().len(), 1);
}

#[tokio::test]
async fn a_success_without_secret_keeps_the_token_it_describes() {
    let (created, server) =
        create_against(vec![Reply::json(200, token_json(false)), busy(503)]).await;
    let error = created.unwrap_err();
    let token = error.created_without_secret().expect("the described token");
    assert_eq!(token.id, TOKEN_ID);
    assert!(token.access_token.is_none());
    assert!(error.outcome_unknown());
    assert!(
        error
            .to_string()
            .contains("the create response carries no accessToken"),
        "{error}"
    );
    assert_no_secret(&error);
    assert_one_key(&server, 2);

    // The recovery may be the one that names the token.
    let (created, server) = create_against(
        vec![Reply::Close; 4]
            .into_iter()
            .chain([Reply::json(200, token_json(false))])
            .collect(),
    )
    .await;
    let error = created.unwrap_err();
    assert_eq!(error.created_without_secret().map(|t| t.id), Some(TOKEN_ID));
    assert_one_key(&server, 5);
}

#[tokio::test]
async fn a_timed_out_attempt_then_5xx_is_recovered() {
    let server = TestServer::start(vec![
        Reply::Hang(Duration::from_secs(5)),
        busy(502),
        busy(504),
        busy(503),
        Reply::json(200, token_json(true)),
    ])
    .await;
    let mut config = fast_config(&server.url(), Some(ACCOUNT));
    config.request_timeout = Duration::from_millis(300);
    let token = ManagementApiClient::new(config)
        .unwrap()
        .create_management_token(&create_request())
        .await
        .unwrap();
    assert_eq!(token.id, TOKEN_ID);
    assert_one_key(&server, 5);
}
