//! Unit tests of the client against the scripted [`TestServer`].

use std::time::{Duration, Instant};

use uuid::Uuid;

use super::test_server::{Reply, TestServer, private_ca_tls};
use super::*;
use crate::api::CreateManagementTokenRequest;

const TOKEN: &str = "bearer-SECRET-7f3a9c";
const ACCESS: &str = "M.V1.access-SECRET-d41d8c";
const ACCOUNT: Uuid = Uuid::from_u128(0x1111_2222_3333_4444_5555_6666_7777_8888);
const TOKEN_ID: Uuid = Uuid::from_u128(0xaaaa_bbbb_cccc_4ddd_8eee_ffff_0000_1111);

fn init() {
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
}

fn fast_config(url: &str, account: Option<Uuid>) -> ClientConfig {
    init();
    let mut config = ClientConfig::new(url, account, TOKEN);
    config.request_timeout = Duration::from_secs(3);
    config.retry = RetryPolicy {
        max_attempts: 4,
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(40),
        max_elapsed: Duration::from_secs(10),
    };
    config
}

fn client(server: &TestServer) -> ManagementApiClient {
    ManagementApiClient::new(fast_config(&server.url(), Some(ACCOUNT))).unwrap()
}

fn token_json(with_secret: bool) -> String {
    let secret = if with_secret {
        format!(r#","accessToken":"{ACCESS}""#)
    } else {
        String::new()
    };
    format!(
        r#"{{"accountId":"{ACCOUNT}","id":"{TOKEN_ID}","description":"ci","tokenPrefix":"M.V1.ac",
           "createdAt":"2026-03-01T12:00:00Z","createdBy":"{ACCOUNT}"{secret}}}"#
    )
}

fn create_request() -> CreateManagementTokenRequest {
    CreateManagementTokenRequest {
        description: "ci".into(),
        expires_at: None,
    }
}

/// The secret rule: neither the bearer token nor an access token in any rendering.
#[track_caller]
fn assert_no_secret(error: &ClientError) {
    for text in [
        error.to_string(),
        format!("{error:?}"),
        format!("{:?}", error.kind()),
    ] {
        assert!(!text.contains(TOKEN), "bearer token leaked: {text}");
        assert!(!text.contains(ACCESS), "access token leaked: {text}");
        assert!(!text.contains("SECRET"), "secret leaked: {text}");
    }
}

#[tokio::test]
async fn create_sends_headers_body_and_idempotency_key() {
    let server = TestServer::start(vec![Reply::json(200, token_json(true))]).await;
    let token = client(&server)
        .create_management_token(&create_request())
        .await
        .unwrap();
    assert_eq!(token.id, TOKEN_ID);
    assert_eq!(token.access_token.as_deref(), Some(ACCESS));

    let recorded = server.recorded();
    assert_eq!(recorded.len(), 1);
    let request = &recorded[0];
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.path,
        format!("/api/v0/accounts/{ACCOUNT}/management-tokens")
    );
    assert_eq!(request.headers["authorization"], format!("Bearer {TOKEN}"));
    assert_eq!(request.headers["accept"], "application/json");
    assert_eq!(request.headers["content-type"], "application/json");
    assert_eq!(request.headers["user-agent"], DEFAULT_USER_AGENT);
    let key: Uuid = request.headers["idempotency-key"].parse().unwrap();
    assert_eq!(key.get_version_num(), 4);
    let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(body, serde_json::json!({"description": "ci"}));
}

#[tokio::test]
async fn retried_create_reuses_its_key_and_a_new_create_gets_a_new_one() {
    let server = TestServer::start(vec![
        Reply::Close,
        Reply::json(503, r#"{"code":503,"message":"busy"}"#),
        Reply::json(200, token_json(true)),
        Reply::json(200, token_json(true)),
    ])
    .await;
    let client = client(&server);
    client
        .create_management_token(&create_request())
        .await
        .unwrap();
    client
        .create_management_token(&create_request())
        .await
        .unwrap();
    let keys: Vec<String> = server
        .recorded()
        .iter()
        .map(|r| r.headers["idempotency-key"].clone())
        .collect();
    assert_eq!(keys.len(), 4);
    assert_eq!(keys[0], keys[1]);
    assert_eq!(keys[1], keys[2]);
    assert_ne!(keys[2], keys[3]);
}

#[tokio::test]
async fn reads_and_revokes_carry_no_idempotency_key_and_use_clustered_paths() {
    let server = TestServer::start(vec![
        Reply::json(200, format!("[{}]", token_json(false))),
        Reply::json(200, token_json(false)),
        Reply::json(204, ""),
    ])
    .await;
    let client = ManagementApiClient::new(fast_config(&server.url(), None)).unwrap();
    assert_eq!(client.account_id(), None);
    assert_eq!(client.list_management_tokens().await.unwrap().len(), 1);
    assert!(
        client
            .get_management_token(TOKEN_ID)
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(
        client.revoke_management_token(TOKEN_ID).await.unwrap(),
        RevokeOutcome::Revoked
    );
    let recorded = server.recorded();
    let seen: Vec<(&str, &str)> = recorded
        .iter()
        .map(|r| (r.method.as_str(), r.path.as_str()))
        .collect();
    let one = format!("/api/v0/management-tokens/{TOKEN_ID}");
    assert_eq!(
        seen,
        [
            ("GET", "/api/v0/management-tokens"),
            ("GET", one.as_str()),
            ("DELETE", one.as_str())
        ]
    );
    assert!(
        recorded
            .iter()
            .all(|r| !r.headers.contains_key("idempotency-key"))
    );
}

#[tokio::test]
async fn status_mapping_of_get_and_revoke() {
    let server = TestServer::start(vec![
        Reply::json(404, r#"{"code":404,"message":"not found"}"#),
        Reply::json(409, r#"{"code":409,"message":"token already revoked"}"#),
        Reply::json(404, r#"{"code":404,"message":"not found"}"#),
        Reply::json(403, r#"{"code":403,"message":"forbidden"}"#),
    ])
    .await;
    let client = client(&server);
    assert_eq!(client.get_management_token(TOKEN_ID).await.unwrap(), None);
    assert_eq!(
        client.revoke_management_token(TOKEN_ID).await.unwrap(),
        RevokeOutcome::AlreadyRevoked
    );
    assert_eq!(
        client.revoke_management_token(TOKEN_ID).await.unwrap(),
        RevokeOutcome::NotFound
    );
    let error = client.revoke_management_token(TOKEN_ID).await.unwrap_err();
    assert_eq!(error.status(), Some(403));
    assert_eq!(
        error.to_string(),
        "could not revoke management token: HTTP 403 Forbidden: forbidden"
    );
    assert_eq!(server.recorded().len(), 4, "4xx is never retried");
}

#[tokio::test]
async fn unauthorized_is_reported_without_retry() {
    let server = TestServer::start(vec![Reply::json(
        401,
        r#"{"code":401,"message":"invalid token"}"#,
    )])
    .await;
    let error = client(&server).list_management_tokens().await.unwrap_err();
    assert!(error.is_unauthorized());
    assert_eq!(error.attempts(), 1);
    assert_eq!(
        error.to_string(),
        "could not list management tokens: HTTP 401 Unauthorized: invalid token"
    );
    assert_eq!(server.recorded().len(), 1);
    assert_no_secret(&error);
}

#[tokio::test]
async fn error_bodies_are_scrubbed_and_excerpted() {
    let server = TestServer::start(vec![
        Reply::json(
            400,
            format!(r#"{{"code":400,"message":"bad header Bearer {TOKEN}"}}"#),
        ),
        Reply::json(
            418,
            format!("<html>\n<body>proxy says\tno {TOKEN}</body>\n</html>"),
        ),
        Reply::json(400, "x".repeat(1000)),
    ])
    .await;
    let client = client(&server);
    let error = client.list_management_tokens().await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "could not list management tokens: HTTP 400 Bad Request: bad header Bearer <redacted>"
    );
    assert_no_secret(&error);
    let error = client.list_management_tokens().await.unwrap_err();
    assert!(
        error
            .to_string()
            .ends_with("<html> <body>proxy says no <redacted></body> </html>"),
        "{error}"
    );
    assert_no_secret(&error);
    let error = client.list_management_tokens().await.unwrap_err();
    assert!(error.to_string().len() < 300, "{error}");
}

#[tokio::test]
async fn malformed_success_bodies_are_invalid_responses_that_quote_nothing() {
    let bad_id = format!(
        r#"{{"id":"{ACCESS}","description":"ci","tokenPrefix":"M","createdAt":"2026-03-01T12:00:00Z","createdBy":"{ACCOUNT}","accessToken":"{ACCESS}"}}"#
    );
    let truncated = token_json(true)[..60].to_owned();
    let server = TestServer::start(vec![
        Reply::json(200, bad_id),
        Reply::json(200, truncated),
        Reply::json(200, token_json(false)),
        Reply::json(200, r#"{"not":"a list"}"#),
        Reply::json(200, "not json at all"),
    ])
    .await;
    let client = client(&server);
    for expected in [
        "the HTTP 200 body is not a management token (data error",
        "the HTTP 200 body is not a management token (unexpected end of input",
        "the create response carries no accessToken",
    ] {
        let error = client
            .create_management_token(&create_request())
            .await
            .unwrap_err();
        assert!(matches!(
            error.kind(),
            ClientErrorKind::InvalidResponse { .. }
        ));
        assert!(error.to_string().contains(expected), "{error}");
        assert_no_secret(&error);
    }
    for _ in 0..2 {
        let error = client.list_management_tokens().await.unwrap_err();
        assert!(
            matches!(error.kind(), ClientErrorKind::InvalidResponse { .. }),
            "{error}"
        );
        assert_no_secret(&error);
    }
    assert_eq!(server.recorded().len(), 5, "an invalid body is not retried");
}

#[tokio::test]
async fn oversized_bodies_are_refused_without_buffering() {
    let server = TestServer::start(vec![
        Reply::DeclaredLength(MAX_RESPONSE_BYTES as u64 + 1),
        Reply::Stream(MAX_RESPONSE_BYTES + 64 * 1024),
        Reply::Stream(1024),
    ])
    .await;
    let client = client(&server);
    for _ in 0..2 {
        let error = client.list_management_tokens().await.unwrap_err();
        assert!(
            matches!(error.kind(), ClientErrorKind::ResponseTooLarge { .. }),
            "{error}"
        );
        assert_eq!(
            error.to_string(),
            format!(
                "could not list management tokens: the response body exceeds the limit of {MAX_RESPONSE_BYTES} bytes"
            )
        );
    }
    // A body under the limit is read in full (and here is not JSON).
    let error = client.list_management_tokens().await.unwrap_err();
    assert!(
        matches!(error.kind(), ClientErrorKind::InvalidResponse { .. }),
        "{error}"
    );
    assert_eq!(server.recorded().len(), 3);
}

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

#[test]
fn configuration_is_validated() {
    let refused = |config: ClientConfig, expected: &str| {
        let error = ManagementApiClient::new(config).unwrap_err();
        assert!(matches!(
            error.kind(),
            ClientErrorKind::InvalidConfig { .. }
        ));
        assert!(error.to_string().contains(expected), "{error}");
        assert_no_secret(&error);
    };
    let with_url = |url: &str| fast_config(url, Some(ACCOUNT));
    refused(
        with_url("http://influx.example.com"),
        "plain http is only allowed for loopback hosts",
    );
    refused(with_url("http://10.0.0.1:8080"), "use https for 10.0.0.1");
    refused(with_url("ftp://127.0.0.1"), "must use https");
    refused(with_url("not a url"), "is not a valid URL");
    refused(
        with_url(&format!("https://user:{TOKEN}@example.com")),
        "user name or password",
    );
    refused(with_url("https://example.com/?x=1"), "query string");
    let mut config = with_url("https://example.com");
    config.token = Secret::from("  ");
    refused(config, "the management token is empty");
    let mut config = with_url("https://example.com");
    config.token = Secret::from(format!("{TOKEN}\n"));
    refused(config, "not allowed in an HTTP header");
    let mut config = with_url("https://example.com");
    config.request_timeout = Duration::ZERO;
    refused(config, "timeouts must be greater than zero");
    let mut config = with_url("https://example.com");
    config.retry.max_attempts = 0;
    refused(config, "max_attempts");
    let mut config = with_url("https://example.com");
    config.ca_bundle_pem = Some(b"no certificates here".to_vec());
    refused(config, "contains no PEM certificate");
    let mut config = with_url("https://example.com");
    config.ca_bundle_pem =
        Some(b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".to_vec());
    refused(config, "certificate 1 of the CA bundle");

    for (url, root) in [
        (
            "https://console.influxdata.com",
            "https://console.influxdata.com/api/v0",
        ),
        (
            "https://example.com/prefix/",
            "https://example.com/prefix/api/v0",
        ),
        ("https://example.com/api/v0/", "https://example.com/api/v0"),
        ("http://localhost:8080", "http://localhost:8080/api/v0"),
        ("http://127.9.8.7", "http://127.9.8.7/api/v0"),
        ("http://[::1]:1", "http://[::1]:1/api/v0"),
    ] {
        let client = ManagementApiClient::new(with_url(url)).unwrap();
        assert_eq!(client.api_root(), root);
    }
}

#[test]
fn secrets_do_not_print() {
    let secret = Secret::from(TOKEN);
    assert_eq!(secret.to_string(), "<redacted>");
    assert_eq!(format!("{secret:?}"), "<redacted>");
    assert_eq!(secret.expose(), TOKEN);
    let mut config = fast_config("https://example.com", Some(ACCOUNT));
    config.ca_bundle_pem = Some(b"pem".to_vec());
    let debug = format!("{config:?}");
    assert!(!debug.contains(TOKEN), "{debug}");
    let (ca_pem, _) = private_ca_tls();
    config.ca_bundle_pem = Some(ca_pem.into_bytes());
    let client = ManagementApiClient::new(config).unwrap();
    let debug = format!("{client:?}");
    assert!(
        !debug.contains(TOKEN) && debug.contains("api_root"),
        "{debug}"
    );
}
