//! The router driven with `oneshot`: status codes, bodies and the controls, without
//! a socket. The integration tests in `tests/integration/emulator.rs` cover the binary.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};
use tower::ServiceExt as _;

use crate::emulator::{Config, EmulatorState, Flavor, app};

const JSON: &str = "application/json";

struct Harness {
    state: EmulatorState,
}

impl Harness {
    fn new(flavor: Flavor) -> Self {
        let config = Config {
            flavor,
            bootstrap_token: Some("bootstrap-secret".to_owned()),
            ..Config::default()
        };
        let state = EmulatorState::new(config).unwrap_or_else(|error| panic!("{error}"));
        Self { state }
    }

    fn tokens_path(&self) -> String {
        match self.state.flavor() {
            Flavor::CloudDedicated => format!(
                "/api/v0/accounts/{}/management-tokens",
                self.state.account_id()
            ),
            _ => "/api/v0/management-tokens".to_owned(),
        }
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = Request::builder().method(method).uri(path);
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let body = match body {
            Some(body) => {
                request = request.header(header::CONTENT_TYPE, JSON);
                Body::from(body.to_string())
            }
            None => Body::empty(),
        };
        let request = request.body(body).unwrap_or_else(|error| panic!("{error}"));
        let response = app(self.state.clone())
            .oneshot(request)
            .await
            .unwrap_or_else(|error| match error {});
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap_or_default();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    async fn admin(&self, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        self.send(method, path, Some("bootstrap-secret"), body)
            .await
    }

    async fn create(&self, description: &str) -> Value {
        let path = self.tokens_path();
        let (status, token) = self
            .admin(
                Method::POST,
                &path,
                Some(json!({"description": description})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{token}");
        token
    }
}

fn error(code: u16, message: &str) -> Value {
    json!({"code": code, "message": message})
}

#[tokio::test]
async fn create_returns_the_secret_once_and_list_and_get_never() {
    let harness = Harness::new(Flavor::CloudDedicated);
    let created = harness.create("ci").await;
    let secret = created["accessToken"].as_str().unwrap_or_default();
    assert!(secret.starts_with("M.V1."));
    assert_eq!(created["tokenPrefix"], secret[..9]);
    assert_eq!(created["accountId"], harness.state.account_id().to_string());
    assert_eq!(
        created["createdBy"],
        crate::emulator::BOOTSTRAP_IDENTITY_ID.to_string()
    );

    let (status, listed) = harness
        .admin(Method::GET, &harness.tokens_path(), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let mut expected = created.clone();
    if let Some(object) = expected.as_object_mut() {
        object.remove("accessToken");
    }
    assert_eq!(listed, json!([expected.clone()]));

    let item = format!(
        "{}/{}",
        harness.tokens_path(),
        created["id"].as_str().unwrap_or_default()
    );
    assert_eq!(
        harness.admin(Method::GET, &item, None).await,
        (StatusCode::OK, expected)
    );
}

#[tokio::test]
async fn minted_tokens_create_tokens_in_their_own_name() {
    let harness = Harness::new(Flavor::CloudDedicated);
    let minted = harness.create("parent").await;
    let secret = minted["accessToken"].as_str().unwrap_or_default();
    let (status, child) = harness
        .send(
            Method::POST,
            &harness.tokens_path(),
            Some(secret),
            Some(json!({"description": "child"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(child["createdBy"], minted["id"]);
}

#[tokio::test]
async fn bad_requests_get_the_error_body() {
    let harness = Harness::new(Flavor::CloudDedicated);
    let path = harness.tokens_path();
    let cases = [
        (json!({"description": ""}), "description must not be empty"),
        (
            json!({"description": "x", "expiresAt": "2000-01-01T00:00:00Z"}),
            "expiresAt must be in the future",
        ),
    ];
    for (body, message) in cases {
        let response = harness.admin(Method::POST, &path, Some(body)).await;
        assert_eq!(response, (StatusCode::BAD_REQUEST, error(400, message)));
    }
    let (status, body) = harness
        .admin(Method::POST, &path, Some(json!({"expiresAt": null})))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["code"], 400);
}

#[tokio::test]
async fn requests_without_a_valid_token_are_unauthorized() {
    let harness = Harness::new(Flavor::CloudDedicated);
    let path = harness.tokens_path();
    for token in [None, Some("unknown")] {
        let (status, body) = harness.send(Method::GET, &path, token, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["code"], 401);
    }
}

#[tokio::test]
async fn wrong_account_and_unknown_ids_are_not_found() {
    let harness = Harness::new(Flavor::CloudDedicated);
    let other_account = format!(
        "/api/v0/accounts/{}/management-tokens",
        uuid::Uuid::new_v4()
    );
    let cases = [
        (other_account, "account not found"),
        (
            "/api/v0/accounts/not-a-uuid/management-tokens".to_owned(),
            "account not found",
        ),
        (
            format!("{}/not-a-uuid", harness.tokens_path()),
            "management token not found",
        ),
        (
            format!("{}/{}", harness.tokens_path(), uuid::Uuid::new_v4()),
            "management token not found",
        ),
        ("/api/v0/nothing-here".to_owned(), "no such route"),
    ];
    for (path, message) in cases {
        let response = harness.admin(Method::GET, &path, None).await;
        assert_eq!(
            response,
            (StatusCode::NOT_FOUND, error(404, message)),
            "{path}"
        );
    }
}

#[tokio::test]
async fn an_unsupported_method_gets_the_error_body() {
    let harness = Harness::new(Flavor::CloudDedicated);
    let response = harness
        .admin(Method::PUT, &harness.tokens_path(), None)
        .await;
    assert_eq!(
        response,
        (
            StatusCode::METHOD_NOT_ALLOWED,
            error(405, "method not allowed")
        )
    );
}

#[tokio::test]
async fn second_revoke_is_conflict() {
    let harness = Harness::new(Flavor::Clustered);
    let created = harness.create("to revoke").await;
    assert_eq!(created.get("accountId"), None);
    let item = format!(
        "{}/{}",
        harness.tokens_path(),
        created["id"].as_str().unwrap_or_default()
    );
    assert_eq!(
        harness.admin(Method::DELETE, &item, None).await,
        (StatusCode::NO_CONTENT, Value::Null)
    );
    assert_eq!(
        harness.admin(Method::DELETE, &item, None).await,
        (StatusCode::CONFLICT, error(409, "token already revoked"))
    );
    let (_, token) = harness.admin(Method::GET, &item, None).await;
    assert!(token["revokedAt"].is_string());
}

#[tokio::test]
async fn injected_faults_are_counted_and_then_requests_pass() {
    let harness = Harness::new(Flavor::CloudDedicated);
    let path = harness.tokens_path();
    let fault = json!({"status": 503, "count": 1, "method": "GET"});
    let added = harness
        .admin(Method::POST, "/_emulator/faults", Some(fault))
        .await;
    assert_eq!(added, (StatusCode::NO_CONTENT, Value::Null));
    let faulted = harness.admin(Method::GET, &path, None).await;
    assert_eq!(
        faulted,
        (
            StatusCode::SERVICE_UNAVAILABLE,
            error(503, "injected fault: service unavailable")
        )
    );
    assert_eq!(
        harness.admin(Method::GET, &path, None).await.0,
        StatusCode::OK
    );

    let (status, stats) = harness.admin(Method::GET, "/_emulator/stats", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(stats["requests_total"], 2);
    assert_eq!(stats["by_operation"]["list_management_tokens"], 2);
    let reset = harness
        .admin(Method::POST, "/_emulator/stats/reset", None)
        .await;
    assert_eq!(reset.0, StatusCode::NO_CONTENT);
    let (_, stats) = harness.admin(Method::GET, "/_emulator/stats", None).await;
    assert_eq!(stats["requests_total"], 0);
}

#[tokio::test]
async fn a_corrupt_body_fault_spoils_a_committed_success_only() {
    let harness = Harness::new(Flavor::CloudDedicated);
    let path = harness.tokens_path();
    let rule = json!({"corrupt_body": "without_access_token", "count": 2, "method": "POST"});
    let added = harness
        .admin(Method::POST, "/_emulator/faults", Some(rule))
        .await;
    assert_eq!(added.0, StatusCode::NO_CONTENT);
    let (status, created) = harness
        .admin(Method::POST, &path, Some(json!({"description": "spoiled"})))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(created["id"].is_string(), "{created}");
    assert!(created.get("accessToken").is_none(), "{created}");
    // An error response is passed through as it is.
    let (status, body) = harness
        .admin(Method::POST, &path, Some(json!({"description": " "})))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["code"], 400);
    // The create was committed: the token is listed.
    let (_, listed) = harness.admin(Method::GET, &path, None).await;
    assert_eq!(listed[0]["id"], created["id"]);
}

#[tokio::test]
async fn controls_need_the_bootstrap_token() {
    let harness = Harness::new(Flavor::CloudDedicated);
    let minted = harness.create("not admin").await;
    let secret = minted["accessToken"].as_str().unwrap_or_default();
    let (status, _) = harness
        .send(Method::GET, "/_emulator/stats", None, None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = harness
        .send(Method::GET, "/_emulator/stats", Some(secret), None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["code"], 403);
    let bad_rule = harness
        .admin(
            Method::POST,
            "/_emulator/faults",
            Some(json!({"status": 503})),
        )
        .await;
    assert_eq!(bad_rule.0, StatusCode::BAD_REQUEST);
}
