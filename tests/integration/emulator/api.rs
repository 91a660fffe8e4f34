//! The management-token API over HTTP: every status code and field, authentication,
//! idempotency, the Clustered form and concurrency.

use super::*;

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
    let secret = EmulatorProcess::access_token_of(&parent);
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
    let secret = EmulatorProcess::access_token_of(&minted);
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
