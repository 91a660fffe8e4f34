//! Requests, responses, status mapping and the secret rule on bodies.

use super::*;
use crate::provider::client::test_server::{Reply, TestServer};

#[tokio::test]
async fn create_sends_headers_body_and_idempotency_key() {
    let server = TestServer::start(vec![Reply::json(200, token_json(true))]).await;
    let token = client(&server)
        .create_management_token(&create_request())
        .await
        .unwrap();
    assert_eq!(token.id, TOKEN_ID);
    assert_eq!(
        token.access_token.as_ref().map(Secret::expose),
        Some(ACCESS)
    );

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
    let revoked = token_json(false).replace(
        r#""tokenPrefix""#,
        r#""revokedAt":"2026-03-02T12:00:00Z","tokenPrefix""#,
    );
    // A 404 or 409 to a revoke is confirmed with the token list.
    let server = TestServer::start(vec![
        Reply::json(404, r#"{"code":404,"message":"not found"}"#),
        Reply::json(409, r#"{"code":409,"message":"token already revoked"}"#),
        Reply::json(200, format!("[{revoked}]")),
        Reply::json(404, r#"{"code":404,"message":"not found"}"#),
        Reply::json(200, "[]"),
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
    let methods: Vec<String> = server.recorded().iter().map(|r| r.method.clone()).collect();
    assert_eq!(
        methods,
        ["GET", "DELETE", "GET", "DELETE", "GET", "DELETE"],
        "4xx is never retried"
    );
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
    // Each create is a success the client cannot use, so it is asked once
    // more (the recovery attempt), which here answers the same.
    let server = TestServer::start(vec![
        Reply::json(200, bad_id.clone()),
        Reply::json(200, bad_id),
        Reply::json(200, truncated.clone()),
        Reply::json(200, truncated),
        Reply::json(200, token_json(false)),
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
        assert!(
            error.outcome_unknown(),
            "a 2xx means it was created: {error}"
        );
        assert_no_secret(&error);
    }
    for _ in 0..2 {
        let error = client.list_management_tokens().await.unwrap_err();
        assert!(
            matches!(error.kind(), ClientErrorKind::InvalidResponse { .. }),
            "{error}"
        );
        assert!(!error.outcome_unknown());
        assert_no_secret(&error);
    }
    assert_eq!(
        server.recorded().len(),
        8,
        "an invalid body is not retried, only a create's recovered once"
    );
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
