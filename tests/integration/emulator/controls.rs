//! `/_emulator/`: injected faults, request statistics and who may use them.

use super::*;

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
        stats["requests_total"], 7,
        "controls (set_fault, stats) are not counted: {stats}"
    );
    let by_operation = stats["by_operation"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    for (operation, expected) in [
        ("create_management_token", 1),
        ("list_management_tokens", 2),
        ("get_management_token", 2),
        ("revoke_management_token", 2),
    ] {
        assert_eq!(by_operation[operation], expected, "{operation}: {stats}");
    }
    let others: u64 = by_operation
        .iter()
        .filter(|(name, _)| !name.contains("management_token"))
        .map(|(_, count)| count.as_u64().unwrap_or(0))
        .sum();
    assert_eq!(others, 0, "every other operation is listed with 0: {stats}");
    assert!(by_operation.contains_key("create_database"), "{stats}");
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
    let secret = EmulatorProcess::access_token_of(&minted);
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
