//! Databases, tables and database tokens over HTTP: paths of both forms, auth,
//! validation with the API's error body, idempotent creates, faults aimed at one
//! operation, statistics and the state file.

use super::*;

/// The cluster path of `emulator` (`/api/v0/accounts/{a}/clusters/{c}` or `/api/v0`).
fn cluster_url(emulator: &EmulatorProcess, clustered: bool) -> String {
    if clustered {
        format!("{}/api/v0", emulator.url())
    } else {
        format!(
            "{}/api/v0/accounts/{}/clusters/{}",
            emulator.url(),
            emulator.account_id(),
            emulator.cluster_id()
        )
    }
}

#[tokio::test]
async fn emulator_databases_need_auth_and_this_cluster() {
    let http = Http::new();
    let emulator = EmulatorProcess::start();
    let token = emulator.token();
    let databases = format!("{}/databases", cluster_url(&emulator, false));
    let anonymous = http.send("GET", &databases, None, None).await;
    assert_error(&anonymous, StatusCode::UNAUTHORIZED);
    let other_cluster = format!(
        "{}/api/v0/accounts/{}/clusters/{}/databases",
        emulator.url(),
        emulator.account_id(),
        Uuid::new_v4()
    );
    let reply = http.send("GET", &other_cluster, Some(&token), None).await;
    assert_error(&reply, StatusCode::NOT_FOUND);
    assert_eq!(reply.body, error_body(404, "cluster not found"));
    let listed = http.send("GET", &databases, Some(&token), None).await;
    assert_eq!(listed.status, StatusCode::OK);
    assert_eq!(listed.body, json!([]));
    // A database token is for queries and writes, not for the management API.
    let minted = http
        .send(
            "POST",
            &format!("{}/tokens", cluster_url(&emulator, false)),
            Some(&token),
            Some(json!({"description": "ingest", "permissions": [{"action": "write", "resource": "*"}]})),
        )
        .await;
    assert_eq!(minted.status, StatusCode::OK, "{:?}", minted.body);
    let secret = secret_of(&minted.body);
    let as_database_token = http.send("GET", &databases, Some(&secret), None).await;
    assert_error(&as_database_token, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn emulator_clustered_serves_databases_without_a_prefix() {
    let http = Http::new();
    let emulator = EmulatorProcess::start_with(&["--clustered"]);
    let token = emulator.token();
    let databases = format!("{}/databases", cluster_url(&emulator, true));
    let created = http
        .send(
            "POST",
            &databases,
            Some(&token),
            Some(json!({"name": "db"})),
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{:?}", created.body);
    assert_eq!(
        created.body,
        json!({"name": "db", "maxTables": 500, "maxColumnsPerTable": 200, "retentionPeriod": 0})
    );
    let dedicated = format!(
        "{}/api/v0/accounts/{}/clusters/{}/databases",
        emulator.url(),
        emulator.account_id(),
        emulator.cluster_id()
    );
    let reply = http.send("GET", &dedicated, Some(&token), None).await;
    assert_error(&reply, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn emulator_databases_are_validated_with_the_error_body() {
    let http = Http::new();
    let emulator = EmulatorProcess::start();
    let token = emulator.token();
    let databases = format!("{}/databases", cluster_url(&emulator, false));
    let tags: Vec<Value> = (0..8)
        .map(|i| json!({"type": "tag", "value": format!("t{i}")}))
        .collect();
    let cases = [
        json!({"name": ""}),
        json!({"name": "has space"}),
        json!({"name": "x".repeat(65)}),
        json!({"name": "ok", "maxTables": 0}),
        json!({"name": "ok", "retentionPeriod": -1}),
        json!({"name": "ok", "retentionPeriod": "1h"}),
        json!({"name": "ok", "partitionTemplate": tags}),
        json!({"name": "ok", "partitionTemplate": [{"type": "time", "value": "%Y"},
                                                   {"type": "time", "value": "%m"}]}),
        json!({"name": "ok", "partitionTemplate": [{"type": "bucket",
                                   "value": {"tagName": "h", "numberOfBuckets": 0}}]}),
        json!({"name": "ok", "partitionTemplate": [{"type": "hour", "value": "%H"}]}),
        json!({"maxTables": 3}),
    ];
    for body in cases {
        let reply = http
            .send("POST", &databases, Some(&token), Some(body.clone()))
            .await;
        assert_error(&reply, StatusCode::BAD_REQUEST);
        assert!(
            !reply.body["message"].as_str().unwrap_or("").is_empty(),
            "{body}"
        );
    }
    let first = http
        .send(
            "POST",
            &databases,
            Some(&token),
            Some(json!({"name": "dup"})),
        )
        .await;
    assert_eq!(first.status, StatusCode::OK);
    let second = http
        .send(
            "POST",
            &databases,
            Some(&token),
            Some(json!({"name": "dup"})),
        )
        .await;
    assert_error(&second, StatusCode::CONFLICT);
    let empty_update = http
        .send(
            "PATCH",
            &format!("{databases}/dup"),
            Some(&token),
            Some(json!({})),
        )
        .await;
    assert_error(&empty_update, StatusCode::BAD_REQUEST);
    let bad_id = http
        .send(
            "PUT",
            &format!("{databases}/abc/undelete"),
            Some(&token),
            None,
        )
        .await;
    assert_error(&bad_id, StatusCode::BAD_REQUEST);
    let missing = http
        .send("DELETE", &format!("{databases}/nope"), Some(&token), None)
        .await;
    assert_error(&missing, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn emulator_database_token_creates_are_idempotent_and_faults_target_operations() {
    let http = Http::new();
    let emulator = EmulatorProcess::start();
    let token = emulator.token();
    let tokens = format!("{}/tokens", cluster_url(&emulator, false));
    let body =
        json!({"description": "keyed", "permissions": [{"action": "read", "resource": "db"}]});
    let send_keyed = |body: Value| {
        let request = http
            .client
            .post(&tokens)
            .bearer_auth(&token)
            .header("Idempotency-Key", "key-1")
            .json(&body);
        async move {
            let response = request.send().await.expect("answer");
            let status = response.status();
            (status, response.json::<Value>().await.expect("JSON"))
        }
    };
    let (status, first) = send_keyed(body.clone()).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    let (status, again) = send_keyed(body).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        secret_of(&first),
        secret_of(&again),
        "the first result is replayed"
    );
    let (status, _) = send_keyed(json!({"description": "other"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    emulator.reset_stats();
    emulator.set_fault(json!({"count": 1, "status": 500, "operation": "create_database"}));
    let listed = http.send("GET", &tokens, Some(&token), None).await;
    assert_eq!(
        listed.status,
        StatusCode::OK,
        "another operation is not faulted"
    );
    assert_eq!(listed.body.as_array().map(Vec::len), Some(1));
    let databases = format!("{}/databases", cluster_url(&emulator, false));
    let faulted = http
        .send(
            "POST",
            &databases,
            Some(&token),
            Some(json!({"name": "db"})),
        )
        .await;
    assert_error(&faulted, StatusCode::INTERNAL_SERVER_ERROR);
    let created = http
        .send(
            "POST",
            &databases,
            Some(&token),
            Some(json!({"name": "db"})),
        )
        .await;
    assert_eq!(created.status, StatusCode::OK);
    let stats = emulator.stats();
    assert_eq!(stats["by_operation"]["create_database"], 2, "{stats}");
    assert_eq!(stats["by_operation"]["list_database_tokens"], 1, "{stats}");
    assert_eq!(stats["requests_total"], 3, "{stats}");
}

#[tokio::test]
async fn emulator_state_file_keeps_databases_tables_and_tokens() {
    let http = Http::new();
    let directory = tempfile::tempdir().expect("temporary directory");
    let state_file = directory.path().join("state.json");
    let state_arg = state_file.to_str().expect("UTF-8 path");
    let first = EmulatorProcess::start_with(&["--state-file", state_arg]);
    let token = first.token();
    let base = cluster_url(&first, false);
    let databases = format!("{base}/databases");
    for name in ["kept", "deleted"] {
        let reply = http
            .send(
                "POST",
                &databases,
                Some(&token),
                Some(json!({"name": name})),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK);
    }
    let table = http
        .send(
            "POST",
            &format!("{databases}/kept/tables"),
            Some(&token),
            Some(json!({"name": "cpu"})),
        )
        .await;
    assert_eq!(table.status, StatusCode::OK, "{:?}", table.body);
    let deleted = http
        .send(
            "DELETE",
            &format!("{databases}/deleted"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let minted = http
        .send(
            "POST",
            &format!("{base}/tokens"),
            Some(&token),
            Some(json!({"description": "persisted"})),
        )
        .await;
    let secret = secret_of(&minted.body);
    let stopped = first.stop();
    assert!(stopped.status.success());
    let on_disk = std::fs::read_to_string(&state_file).expect("state file");
    assert!(
        !on_disk.contains(&secret),
        "database-token secrets are stored as digests"
    );

    let second = EmulatorProcess::start_with(&["--state-file", state_arg]);
    // A new port: the URLs are the second emulator's.
    let base = cluster_url(&second, false);
    let databases = format!("{base}/databases");
    let listed = http.send("GET", &databases, Some(&token), None).await;
    let names: Vec<&str> = listed
        .body
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|database| database["name"].as_str())
        .collect();
    assert_eq!(names, ["kept"]);
    let duplicate_table = http
        .send(
            "POST",
            &format!("{databases}/kept/tables"),
            Some(&token),
            Some(json!({"name": "cpu"})),
        )
        .await;
    assert_error(&duplicate_table, StatusCode::CONFLICT);
    let undeleted = http
        .send(
            "PUT",
            &format!("{databases}/2/undelete"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(undeleted.status, StatusCode::OK, "{:?}", undeleted.body);
    assert_eq!(undeleted.body["name"], "deleted");
    assert_eq!(undeleted.body["id"], 2);
    let tokens = http
        .send("GET", &format!("{base}/tokens"), Some(&token), None)
        .await;
    assert_eq!(tokens.body[0]["description"], "persisted");
    assert!(tokens.body[0].get("accessToken").is_none());
    drop(second);
}
