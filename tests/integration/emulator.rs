//! The emulator binary over HTTP: every status code and field of
//! `docs/management-api.md`, the state file, the test controls and the command line.
//!
//! Each test starts its own emulator on `127.0.0.1:0` (see `support::emulator`).

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use futures_util::future::join_all;
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, RETRY_AFTER};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::emulator::{EmulatorProcess, http_client, run_to_exit};

/// `createdBy` of tokens created with the bootstrap token (see docs/emulator.md).
const BOOTSTRAP_IDENTITY_ID: &str = "5e1f0000-0000-4000-8000-000000000001";

/// A response, reduced to what the tests look at.
#[derive(Debug)]
struct Reply {
    status: StatusCode,
    retry_after: Option<String>,
    body: Value,
}

/// One HTTP client per test: building a client loads the system's TLS roots, which
/// is far too slow to do per request, and a client must not outlive its runtime.
struct Http {
    client: reqwest::Client,
}

impl Http {
    fn new() -> Self {
        Self {
            client: http_client(),
        }
    }

    /// Sends one request; `token` goes in `Authorization: Bearer`, `body` as JSON.
    async fn send(
        &self,
        method: &str,
        url: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut request = self.client.request(method, url);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("the emulator answers");
        let status = response.status();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .map(|value| value.to_str().unwrap_or_default().to_owned());
        let bytes = response.bytes().await.expect("body");
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).expect("every body is JSON")
        };
        Reply {
            status,
            retry_after,
            body,
        }
    }

    async fn create(&self, emulator: &EmulatorProcess, token: &str, body: Value) -> Reply {
        self.send("POST", &emulator.tokens_url(), Some(token), Some(body))
            .await
    }
}

fn error_body(code: u16, message: &str) -> Value {
    json!({ "code": code, "message": message })
}

fn assert_error(reply: &Reply, status: StatusCode) {
    assert_eq!(reply.status, status, "{:?}", reply.body);
    assert_eq!(reply.body["code"], status.as_u16(), "{:?}", reply.body);
    assert!(reply.body["message"].is_string(), "{:?}", reply.body);
    let keys: Vec<&String> = reply
        .body
        .as_object()
        .map(|o| o.keys().collect())
        .unwrap_or_default();
    assert_eq!(
        keys,
        ["code", "message"],
        "the error body has exactly code and message"
    );
}

fn secret_of(token: &Value) -> String {
    token["accessToken"]
        .as_str()
        .expect("accessToken")
        .to_owned()
}

fn id_of(token: &Value) -> Uuid {
    Uuid::parse_str(token["id"].as_str().expect("id")).expect("id is a UUID")
}

#[tokio::test]
async fn ready_line_carries_url_ids_and_token() {
    let emulator = EmulatorProcess::start();
    let ready = emulator.ready_line();
    let keys: Vec<&String> = ready.as_object().expect("object").keys().collect();
    assert_eq!(keys, ["account_id", "cluster_id", "token", "url"]);
    assert!(
        emulator.url().starts_with("http://127.0.0.1:"),
        "{}",
        emulator.url()
    );
    assert_ne!(emulator.account_id(), emulator.cluster_id());
    assert!(!emulator.token().is_empty());
}

#[tokio::test]
async fn ids_and_token_come_from_the_flags() {
    let http = Http::new();
    let account_id = Uuid::new_v4().to_string();
    let cluster_id = Uuid::new_v4().to_string();
    let emulator = EmulatorProcess::start_with(&[
        "--account-id",
        &account_id,
        "--cluster-id",
        &cluster_id,
        "--token",
        "my-admin-token",
    ]);
    assert_eq!(emulator.account_id().to_string(), account_id);
    assert_eq!(emulator.cluster_id().to_string(), cluster_id);
    assert_eq!(emulator.token(), "my-admin-token");
    let reply = http
        .send("GET", &emulator.tokens_url(), Some("my-admin-token"), None)
        .await;
    assert_eq!(reply.status, StatusCode::OK);
}

#[tokio::test]
async fn create_returns_every_field_and_the_secret_only_once() {
    let http = Http::new();
    let emulator = EmulatorProcess::start();
    let before = Utc::now() - chrono::TimeDelta::seconds(1);
    let expires_at = "2099-01-01T00:00:00Z";
    let reply = http
        .create(
            &emulator,
            &emulator.token(),
            json!({"description": "ci pipeline", "expiresAt": expires_at}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let created = reply.body;
    let secret = secret_of(&created);
    assert!(secret.starts_with("M.V1."), "{}", &secret[..5]);
    assert_eq!(created["tokenPrefix"], secret[..9]);
    assert_eq!(created["accountId"], emulator.account_id().to_string());
    assert_eq!(created["description"], "ci pipeline");
    assert_eq!(created["createdBy"], BOOTSTRAP_IDENTITY_ID);
    assert_eq!(created["expiresAt"], expires_at);
    assert_eq!(created.get("revokedAt"), None);
    let created_at: DateTime<Utc> = created["createdAt"]
        .as_str()
        .and_then(|text| text.parse().ok())
        .expect("createdAt is RFC 3339");
    assert!(
        created_at >= before && created_at <= Utc::now(),
        "{created_at}"
    );
    let id = id_of(&created);

    let mut without_secret = created.clone();
    without_secret
        .as_object_mut()
        .expect("object")
        .remove("accessToken");
    let listed = http
        .send("GET", &emulator.tokens_url(), Some(&emulator.token()), None)
        .await;
    assert_eq!(listed.status, StatusCode::OK);
    assert_eq!(listed.body, json!([without_secret.clone()]));
    let got = http
        .send(
            "GET",
            &emulator.token_url(id),
            Some(&emulator.token()),
            None,
        )
        .await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.body, without_secret);
}

#[tokio::test]
async fn invalid_create_requests_are_bad_requests() {
    let http = Http::new();
    let emulator = EmulatorProcess::start();
    let token = emulator.token();
    let past = (Utc::now() - chrono::TimeDelta::seconds(5)).to_rfc3339();
    let cases = [
        ("empty description", json!({"description": ""})),
        ("whitespace description", json!({"description": "  \t "})),
        ("256 characters", json!({"description": "x".repeat(256)})),
        (
            "missing description",
            json!({"expiresAt": "2099-01-01T00:00:00Z"}),
        ),
        ("description not a string", json!({"description": 7})),
        (
            "expiry in the past",
            json!({"description": "x", "expiresAt": past}),
        ),
        (
            "expiry not a timestamp",
            json!({"description": "x", "expiresAt": "tomorrow"}),
        ),
        ("not an object", json!(["description"])),
    ];
    for (name, body) in cases {
        let reply = http.create(&emulator, &token, body).await;
        assert_error(&reply, StatusCode::BAD_REQUEST);
        println!("{name}: {}", reply.body["message"]);
    }

    let client = &http.client;
    let malformed = client
        .post(emulator.tokens_url())
        .bearer_auth(&token)
        .header(CONTENT_TYPE, "application/json")
        .body("{\"description\": ")
        .send()
        .await
        .expect("answer");
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
    let not_json = client
        .post(emulator.tokens_url())
        .bearer_auth(&token)
        .header(CONTENT_TYPE, "text/plain")
        .body("{\"description\": \"x\"}")
        .send()
        .await
        .expect("answer");
    assert_eq!(not_json.status(), StatusCode::BAD_REQUEST);
    let body: Value = not_json.json().await.expect("error body");
    assert_eq!(body["code"], 400);
    assert!(emulator.list_tokens().is_empty(), "nothing was minted");
}

#[tokio::test]
async fn a_description_of_255_characters_is_accepted() {
    let http = Http::new();
    let emulator = EmulatorProcess::start();
    let description = "é".repeat(255);
    let reply = http
        .create(
            &emulator,
            &emulator.token(),
            json!({ "description": description }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.body["description"], description);
}

#[tokio::test]
async fn requests_without_a_valid_bearer_token_are_unauthorized() {
    let http = Http::new();
    let emulator = EmulatorProcess::start();
    let url = emulator.tokens_url();
    let client = &http.client;
    let missing = client.get(&url).send().await.expect("answer");
    assert_eq!(missing.status(), StatusCode::UNAUTHORIZED);
    let body: Value = missing.json().await.expect("error body");
    assert_eq!(body["code"], 401);
    for authorization in [
        "Basic abc".to_owned(),
        "Bearer".to_owned(),
        emulator.token(),
        "Bearer M.V1.unknown".to_owned(),
    ] {
        let response = client
            .get(&url)
            .header("authorization", &authorization)
            .send()
            .await
            .expect("answer");
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let create = http
        .send(
            "POST",
            &url,
            Some("unknown"),
            Some(json!({"description": "x"})),
        )
        .await;
    assert_error(&create, StatusCode::UNAUTHORIZED);
    assert!(emulator.list_tokens().is_empty());
}

#[tokio::test]
async fn a_minted_token_authenticates_and_creates_in_its_own_name() {
    let http = Http::new();
    let emulator = EmulatorProcess::start();
    let parent = emulator.create("parent");
    let secret = parent.access_token.clone().expect("secret");
    let child = http
        .create(&emulator, &secret, json!({"description": "child"}))
        .await;
    assert_eq!(child.status, StatusCode::OK);
    assert_eq!(child.body["createdBy"], parent.id.to_string());
    let listed = http
        .send("GET", &emulator.tokens_url(), Some(&secret), None)
        .await;
    assert_eq!(listed.status, StatusCode::OK);
    assert_eq!(listed.body.as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn a_revoked_token_is_unauthorized_and_still_listed() {
    let http = Http::new();
    let emulator = EmulatorProcess::start();
    let minted = emulator.create("soon revoked");
    let secret = minted.access_token.clone().expect("secret");
    assert_eq!(emulator.revoke(minted.id), 204);
    let reply = http
        .send("GET", &emulator.tokens_url(), Some(&secret), None)
        .await;
    assert_error(&reply, StatusCode::UNAUTHORIZED);
    let listed = emulator.list_tokens();
    assert_eq!(listed.len(), 1);
    assert!(listed[0].revoked_at.is_some());
}

#[tokio::test]
async fn an_expired_token_is_unauthorized_and_still_listed() {
    let http = Http::new();
    let emulator = EmulatorProcess::start();
    let expires_at = Utc::now() + chrono::TimeDelta::milliseconds(1500);
    let reply = http
        .create(
            &emulator,
            &emulator.token(),
            json!({"description": "short-lived", "expiresAt": expires_at}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let secret = secret_of(&reply.body);
    let before = http
        .send("GET", &emulator.tokens_url(), Some(&secret), None)
        .await;
    assert_eq!(before.status, StatusCode::OK);
    let wait = (expires_at - Utc::now()).to_std().unwrap_or_default();
    tokio::time::sleep(wait + Duration::from_millis(300)).await;
    let after = http
        .send("GET", &emulator.tokens_url(), Some(&secret), None)
        .await;
    assert_error(&after, StatusCode::UNAUTHORIZED);
    let listed = emulator.list_tokens();
    assert_eq!(listed.len(), 1, "expired tokens stay listed");
    assert_eq!(listed[0].revoked_at, None);
}

#[tokio::test]
async fn unknown_ids_wrong_accounts_and_routes_are_not_found() {
    let http = Http::new();
    let emulator = EmulatorProcess::start();
    let token = emulator.token();
    let unknown = emulator.token_url(Uuid::new_v4());
    let malformed = format!("{}/not-a-uuid", emulator.tokens_url());
    for (method, url) in [
        ("GET", &unknown),
        ("DELETE", &unknown),
        ("GET", &malformed),
        ("DELETE", &malformed),
    ] {
        let reply = http.send(method, url, Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{method} {url}");
        assert_eq!(reply.body, error_body(404, "management token not found"));
    }
    let other_account = format!(
        "{}/api/v0/accounts/{}/management-tokens",
        emulator.url(),
        Uuid::new_v4()
    );
    let reply = http.send("GET", &other_account, Some(&token), None).await;
    assert_eq!(reply.body, error_body(404, "account not found"));
    let reply = http
        .send(
            "POST",
            &other_account,
            Some(&token),
            Some(json!({"description": "x"})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let reply = http
        .send(
            "GET",
            &format!("{}/api/v0/nothing", emulator.url()),
            Some(&token),
            None,
        )
        .await;
    assert_error(&reply, StatusCode::NOT_FOUND);
    let reply = http
        .send("PUT", &emulator.tokens_url(), Some(&token), None)
        .await;
    assert_error(&reply, StatusCode::METHOD_NOT_ALLOWED);
    assert!(emulator.list_tokens().is_empty());
}

#[tokio::test]
async fn second_revoke_is_conflict() {
    let http = Http::new();
    let emulator = EmulatorProcess::start();
    let minted = emulator.create("revoke twice");
    let client = &http.client;
    let first = client
        .delete(emulator.token_url(minted.id))
        .bearer_auth(emulator.token())
        .send()
        .await
        .expect("answer");
    assert_eq!(first.status(), StatusCode::NO_CONTENT);
    assert!(
        first.bytes().await.expect("body").is_empty(),
        "204 has no body"
    );
    let second = http
        .send(
            "DELETE",
            &emulator.token_url(minted.id),
            Some(&emulator.token()),
            None,
        )
        .await;
    assert_eq!(second.status, StatusCode::CONFLICT);
    assert_eq!(second.body, error_body(409, "token already revoked"));
    let got = http
        .send(
            "GET",
            &emulator.token_url(minted.id),
            Some(&emulator.token()),
            None,
        )
        .await;
    assert_eq!(got.status, StatusCode::OK);
    assert!(got.body["revokedAt"].is_string(), "{:?}", got.body);
}

#[tokio::test]
async fn same_idempotency_key_returns_the_first_token() {
    let http = Http::new();
    let emulator = EmulatorProcess::start();
    let client = &http.client;
    let keyed = |body: Value| {
        client
            .post(emulator.tokens_url())
            .bearer_auth(emulator.token())
            .header("Idempotency-Key", "create-ci-token-1")
            .json(&body)
            .send()
    };
    let first: Value = keyed(json!({"description": "ci"}))
        .await
        .expect("answer")
        .json()
        .await
        .expect("token");
    let second: Value = keyed(json!({"description": "ci"}))
        .await
        .expect("answer")
        .json()
        .await
        .expect("token");
    assert_eq!(first, second, "same id, same accessToken");
    assert!(first["accessToken"].is_string());
    assert_eq!(emulator.list_tokens().len(), 1);

    let other = keyed(json!({"description": "other"}))
        .await
        .expect("answer");
    assert_eq!(other.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = other.json().await.expect("error body");
    assert_eq!(body["code"], 422);
    assert_eq!(emulator.list_tokens().len(), 1);

    // Without a key every create mints.
    emulator.create("ci");
    emulator.create("ci");
    assert_eq!(emulator.list_tokens().len(), 3);
}

#[tokio::test]
async fn clustered_form_has_no_account_prefix_and_no_account_id() {
    let http = Http::new();
    let emulator = EmulatorProcess::start_with(&["--clustered"]);
    let collection = format!("{}/api/v0/management-tokens", emulator.url());
    assert_eq!(emulator.tokens_url(), collection);
    let created = http
        .send(
            "POST",
            &collection,
            Some(&emulator.token()),
            Some(json!({"description": "c"})),
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{:?}", created.body);
    assert_eq!(created.body.get("accountId"), None);
    let id = id_of(&created.body);
    let got = http
        .send(
            "GET",
            &format!("{collection}/{id}"),
            Some(&emulator.token()),
            None,
        )
        .await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.body.get("accountId"), None);
    let listed = http
        .send("GET", &collection, Some(&emulator.token()), None)
        .await;
    assert_eq!(listed.body.as_array().map(Vec::len), Some(1));
    let revoked = http
        .send(
            "DELETE",
            &format!("{collection}/{id}"),
            Some(&emulator.token()),
            None,
        )
        .await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT);

    let dedicated = format!(
        "{}/api/v0/accounts/{}/management-tokens",
        emulator.url(),
        emulator.account_id()
    );
    let reply = http
        .send("GET", &dedicated, Some(&emulator.token()), None)
        .await;
    assert_error(&reply, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_restart_with_the_state_file_serves_the_same_tokens() {
    let http = Http::new();
    let directory = tempfile::tempdir().expect("temporary directory");
    let state_file = directory.path().join("state.json");
    let state_arg = state_file.to_str().expect("UTF-8 path");
    let first = EmulatorProcess::start_with(&["--state-file", state_arg]);
    let kept = first.create("kept");
    let revoked = first.create("revoked");
    assert_eq!(first.revoke(revoked.id), 204);
    let listed_before = first.list_tokens();
    let (account_id, cluster_id, token) = (first.account_id(), first.cluster_id(), first.token());
    let stopped = first.stop();
    assert!(stopped.status.success(), "{:?}", stopped.status);
    let on_disk = std::fs::read_to_string(&state_file).expect("state file");
    let kept_secret = kept.access_token.clone().expect("secret");
    assert!(
        !on_disk.contains(&kept_secret),
        "minted secrets are stored as digests"
    );

    let second = EmulatorProcess::start_with(&["--state-file", state_arg]);
    assert_eq!(second.account_id(), account_id);
    assert_eq!(second.cluster_id(), cluster_id);
    assert_eq!(second.token(), token);
    assert_eq!(second.list_tokens(), listed_before);
    let as_kept = http
        .send("GET", &second.tokens_url(), Some(&kept_secret), None)
        .await;
    assert_eq!(
        as_kept.status,
        StatusCode::OK,
        "a minted token still authenticates"
    );
    let revoked_secret = revoked.access_token.clone().expect("secret");
    let as_revoked = http
        .send("GET", &second.tokens_url(), Some(&revoked_secret), None)
        .await;
    assert_error(&as_revoked, StatusCode::UNAUTHORIZED);
    assert_eq!(second.revoke(revoked.id), 409);
}

#[tokio::test]
async fn a_change_is_on_disk_before_its_response() {
    let directory = tempfile::tempdir().expect("temporary directory");
    let state_file = directory.path().join("state.json");
    let emulator =
        EmulatorProcess::start_with(&["--state-file", state_file.to_str().expect("UTF-8")]);
    let minted = emulator.create("durable");
    let on_disk = std::fs::read_to_string(&state_file).expect("state file");
    assert!(on_disk.contains(&minted.id.to_string()));
    // A kill (no clean shutdown) loses nothing that was answered.
    drop(emulator);
    let again = EmulatorProcess::start_with(&["--state-file", state_file.to_str().expect("UTF-8")]);
    assert_eq!(again.list_tokens().len(), 1);
}

#[test]
fn a_corrupt_state_file_fails_the_start_and_is_kept() {
    let directory = tempfile::tempdir().expect("temporary directory");
    let state_file = directory.path().join("state.json");
    std::fs::write(&state_file, "{ this is not json").expect("write");
    let output = run_to_exit(&[
        "--listen",
        "127.0.0.1:0",
        "--state-file",
        state_file.to_str().expect("UTF-8"),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty(), "no ready line");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("corrupt"), "{stderr}");
    assert!(
        stderr.contains(state_file.to_str().expect("UTF-8")),
        "{stderr}"
    );
    let content = std::fs::read_to_string(&state_file).expect("still there");
    assert_eq!(content, "{ this is not json", "never silently replaced");
}

#[test]
fn an_unreadable_state_file_fails_the_start() {
    let directory = tempfile::tempdir().expect("temporary directory");
    // A directory cannot be read as a file.
    let output = run_to_exit(&[
        "--listen",
        "127.0.0.1:0",
        "--state-file",
        directory.path().to_str().expect("UTF-8"),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cannot read state file"), "{stderr}");
}

#[tokio::test]
async fn an_injected_503_fails_count_requests_then_requests_succeed() {
    let http = Http::new();
    let emulator = EmulatorProcess::start();
    emulator.set_fault(json!({"status": 503, "count": 2}));
    for _ in 0..2 {
        let reply = http
            .send("GET", &emulator.tokens_url(), Some(&emulator.token()), None)
            .await;
        assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            reply.body,
            error_body(503, "injected fault: service unavailable")
        );
        assert_eq!(reply.retry_after, None);
    }
    let reply = http
        .send("GET", &emulator.tokens_url(), Some(&emulator.token()), None)
        .await;
    assert_eq!(reply.status, StatusCode::OK);
}

#[tokio::test]
async fn an_injected_429_carries_retry_after() {
    let http = Http::new();
    let emulator = EmulatorProcess::start();
    emulator.set_fault(json!({"status": 429, "count": 1, "retry_after": 3}));
    emulator.set_fault(json!({"status": 429, "count": 1}));
    let first = http
        .send("GET", &emulator.tokens_url(), Some(&emulator.token()), None)
        .await;
    assert_error(&first, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(first.retry_after.as_deref(), Some("3"));
    let second = http
        .send("GET", &emulator.tokens_url(), Some(&emulator.token()), None)
        .await;
    assert_error(&second, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        second.retry_after.as_deref(),
        Some("1"),
        "every 429 has Retry-After"
    );
}

#[tokio::test]
async fn an_injected_delay_postpones_the_response() {
    let http = Http::new();
    let emulator = EmulatorProcess::start();
    emulator.set_fault(json!({"count": 1, "delay_ms": 600}));
    let started = Instant::now();
    let reply = http
        .send("GET", &emulator.tokens_url(), Some(&emulator.token()), None)
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        started.elapsed() >= Duration::from_millis(600),
        "{:?}",
        started.elapsed()
    );
    let started = Instant::now();
    http.send("GET", &emulator.tokens_url(), Some(&emulator.token()), None)
        .await;
    assert!(
        started.elapsed() < Duration::from_millis(600),
        "only count requests wait"
    );
}

#[tokio::test]
async fn a_method_filter_leaves_other_methods_alone() {
    let http = Http::new();
    let emulator = EmulatorProcess::start();
    emulator.set_fault(json!({"status": 500, "count": 1, "method": "POST"}));
    let listed = http
        .send("GET", &emulator.tokens_url(), Some(&emulator.token()), None)
        .await;
    assert_eq!(listed.status, StatusCode::OK);
    let created = http
        .create(&emulator, &emulator.token(), json!({"description": "x"}))
        .await;
    assert_error(&created, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(
        emulator.list_tokens().is_empty(),
        "a faulted create mints nothing"
    );
    emulator.create("now it works");
}

#[tokio::test]
async fn cleared_faults_no_longer_apply() {
    let http = Http::new();
    let emulator = EmulatorProcess::start();
    emulator.set_fault(json!({"status": 503, "count": 100}));
    emulator.clear_faults();
    let reply = http
        .send("GET", &emulator.tokens_url(), Some(&emulator.token()), None)
        .await;
    assert_eq!(reply.status, StatusCode::OK);
}

#[tokio::test]
async fn drop_after_commit_loses_the_response_but_not_the_token() {
    let http = Http::new();
    let emulator = EmulatorProcess::start();
    emulator.set_fault(json!({"count": 1, "method": "POST", "drop_after_commit": true}));
    let keyed = || {
        http.client
            .post(emulator.tokens_url())
            .bearer_auth(emulator.token())
            .header("Idempotency-Key", "lost-response-1")
            .json(&json!({"description": "lost"}))
            .send()
    };
    let lost = keyed().await;
    let error = lost.expect_err("the connection closes without a response");
    assert!(error.status().is_none(), "{error}");
    let listed = emulator.list_tokens();
    assert_eq!(listed.len(), 1, "the create was committed");
    assert_eq!(listed[0].description, "lost");

    // The retry with the same key gets the first result, secret included.
    let retried: Value = keyed().await.expect("answer").json().await.expect("token");
    assert_eq!(id_of(&retried), listed[0].id);
    let secret = secret_of(&retried);
    let as_token = http
        .send("GET", &emulator.tokens_url(), Some(&secret), None)
        .await;
    assert_eq!(as_token.status, StatusCode::OK);
    assert_eq!(emulator.list_tokens().len(), 1);
}

#[tokio::test]
async fn stats_count_api_requests_including_failures_and_reset() {
    let http = Http::new();
    let emulator = EmulatorProcess::start();
    let token = emulator.token();
    let minted = emulator.create("counted");
    http.send("GET", &emulator.tokens_url(), None, None).await; // 401
    emulator.set_fault(json!({"status": 503, "count": 1, "method": "GET"}));
    http.send("GET", &emulator.tokens_url(), Some(&token), None)
        .await; // 503
    http.send("GET", &emulator.token_url(minted.id), Some(&token), None)
        .await;
    http.send(
        "GET",
        &emulator.token_url(Uuid::new_v4()),
        Some(&token),
        None,
    )
    .await; // 404
    emulator.revoke(minted.id);
    emulator.revoke(minted.id); // 409
    let stats = emulator.stats();
    assert_eq!(
        stats,
        json!({
            "requests_total": 7,
            "by_operation": {
                "create_management_token": 1,
                "list_management_tokens": 2,
                "get_management_token": 2,
                "revoke_management_token": 2,
            }
        }),
        "controls (set_fault, stats) are not counted"
    );
    emulator.reset_stats();
    let stats = emulator.stats();
    assert_eq!(stats["requests_total"], 0);
    assert_eq!(stats["by_operation"]["create_management_token"], 0);
}

#[tokio::test]
async fn controls_need_the_bootstrap_token() {
    let http = Http::new();
    let emulator = EmulatorProcess::start();
    let minted = emulator.create("not an admin");
    let secret = minted.access_token.clone().expect("secret");
    let url = |path: &str| format!("{}/_emulator/{path}", emulator.url());
    for (method, path) in [
        ("GET", "stats"),
        ("POST", "stats/reset"),
        ("DELETE", "faults"),
    ] {
        let anonymous = http.send(method, &url(path), None, None).await;
        assert_error(&anonymous, StatusCode::UNAUTHORIZED);
        let minted = http.send(method, &url(path), Some(&secret), None).await;
        assert_error(&minted, StatusCode::FORBIDDEN);
    }
    let rule = json!({"status": 503, "count": 1});
    let refused = http
        .send("POST", &url("faults"), Some(&secret), Some(rule))
        .await;
    assert_error(&refused, StatusCode::FORBIDDEN);
    let invalid = http
        .send(
            "POST",
            &url("faults"),
            Some(&emulator.token()),
            Some(json!({"status": 503})),
        )
        .await;
    assert_error(&invalid, StatusCode::BAD_REQUEST);
    // The refused rule was not queued.
    emulator.create("still works");
}

#[tokio::test]
async fn concurrent_creates_and_revokes_lose_nothing() {
    let http = Http::new();
    const N: usize = 200;
    let emulator = EmulatorProcess::start();
    let token = emulator.token();
    let creates = (0..N).map(|index| {
        let (url, token) = (emulator.tokens_url(), token.clone());
        let body = json!({ "description": format!("concurrent {index}") });
        let http = &http;
        async move { http.send("POST", &url, Some(&token), Some(body)).await }
    });
    let created: Vec<Reply> = join_all(creates).await;
    let mut ids: Vec<Uuid> = created
        .iter()
        .map(|reply| {
            assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
            id_of(&reply.body)
        })
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), N, "every create minted its own token");
    let mut listed: Vec<Uuid> = emulator
        .list_tokens()
        .iter()
        .map(|token| token.id)
        .collect();
    listed.sort();
    assert_eq!(listed, ids, "the list has exactly the created tokens");

    let revokes = ids
        .iter()
        .map(|id| revoke_as(&http, emulator.token_url(*id), token.clone()));
    let statuses: Vec<StatusCode> = join_all(revokes).await.iter().map(|r| r.status).collect();
    assert!(
        statuses
            .iter()
            .all(|status| *status == StatusCode::NO_CONTENT),
        "{statuses:?}"
    );
    let again = ids
        .iter()
        .map(|id| revoke_as(&http, emulator.token_url(*id), token.clone()));
    let statuses: Vec<StatusCode> = join_all(again).await.iter().map(|r| r.status).collect();
    assert!(
        statuses
            .iter()
            .all(|status| *status == StatusCode::CONFLICT),
        "{statuses:?}"
    );
    let listed = emulator.list_tokens();
    assert_eq!(listed.len(), N);
    assert!(listed.iter().all(|token| token.revoked_at.is_some()));
    let stats = emulator.stats();
    assert_eq!(stats["by_operation"]["create_management_token"], N);
    assert_eq!(stats["by_operation"]["revoke_management_token"], 2 * N);
}

async fn revoke_as(http: &Http, url: String, token: String) -> Reply {
    http.send("DELETE", &url, Some(&token), None).await
}

#[test]
fn a_bad_flag_exits_2_with_a_message() {
    for (args, message) in [
        (vec!["--bogus"], "unknown flag --bogus"),
        (
            vec!["--account-id", "nope"],
            "--account-id: \"nope\" is not a UUID",
        ),
        (vec!["--listen"], "--listen needs a value"),
        (vec!["--token", "has space"], "--token"),
    ] {
        let output = run_to_exit(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
}

#[test]
fn help_prints_usage_on_stdout_and_exits_0() {
    let output = run_to_exit(&["--help"]);
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&output.stdout);
    for flag in [
        "--listen",
        "--account-id",
        "--cluster-id",
        "--token",
        "--state-file",
        "--clustered",
        "127.0.0.1:8181",
    ] {
        assert!(stdout.contains(flag), "{flag} in {stdout}");
    }
}

#[tokio::test]
async fn sigterm_exits_0_with_the_ready_line_as_the_only_stdout() {
    let emulator = EmulatorProcess::start();
    let minted = emulator.create("before shutdown");
    emulator.revoke(minted.id);
    let stopped = emulator.stop();
    assert_eq!(stopped.status.code(), Some(0), "{}", stopped.stderr);
    let lines: Vec<&str> = stopped.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{:?}", stopped.stdout);
    let ready: Value = serde_json::from_str(lines[0]).expect("the ready line is JSON");
    assert!(ready["url"].is_string());
}

#[tokio::test]
async fn logs_never_contain_secrets() {
    let http = Http::new();
    let emulator = EmulatorProcess::start_with(&["--token", "bootstrap-secret-value"]);
    let minted = emulator.create("logged");
    let secret = minted.access_token.clone().expect("secret");
    http.send("GET", &emulator.tokens_url(), Some(&secret), None)
        .await;
    emulator.revoke(minted.id);
    http.send("GET", &emulator.tokens_url(), Some(&secret), None)
        .await; // 401
    http.send("GET", &emulator.tokens_url(), Some("Bearer-guess"), None)
        .await; // 401
    emulator.set_fault(json!({"status": 500, "count": 1}));
    http.send(
        "POST",
        &emulator.tokens_url(),
        Some(&emulator.token()),
        Some(json!({"description": "x"})),
    )
    .await;
    let stopped = emulator.stop();
    assert!(!stopped.stderr.is_empty(), "the emulator logs");
    for secret in ["bootstrap-secret-value", secret.as_str(), "Bearer-guess"] {
        assert!(
            !stopped.stderr.contains(secret),
            "{secret} in:\n{}",
            stopped.stderr
        );
    }
}
