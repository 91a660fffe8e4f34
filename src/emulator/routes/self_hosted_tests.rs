//! The `/api/v3` routes (`--product core|enterprise`) driven with `oneshot`.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};
use tower::ServiceExt as _;

use crate::emulator::{Config, EmulatorState, Flavor, app};

const OPERATOR: &str = "operator-secret";

fn state(flavor: Flavor) -> EmulatorState {
    let config = Config {
        flavor,
        bootstrap_token: Some(OPERATOR.to_owned()),
        ..Config::default()
    };
    EmulatorState::new(config).unwrap_or_else(|error| panic!("{error}"))
}

async fn send(
    state: &EmulatorState,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"));
    let body = match body {
        Some(body) => {
            request = request.header(header::CONTENT_TYPE, "application/json");
            Body::from(body.to_string())
        }
        None => Body::empty(),
    };
    let request = request.body(body).unwrap_or_else(|error| panic!("{error}"));
    let response = app(state.clone())
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

async fn create_admin(state: &EmulatorState, body: Value) -> (StatusCode, Value) {
    send(
        state,
        Method::POST,
        "/api/v3/configure/token/named_admin",
        OPERATOR,
        Some(body),
    )
    .await
}

async fn list_tokens(state: &EmulatorState) -> Vec<Value> {
    let (status, body) = send(
        state,
        Method::POST,
        "/api/v3/query_sql",
        OPERATOR,
        Some(json!({"db": "_internal", "q": "select *  from system.tokens;", "format": "json"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body.as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn a_named_admin_token_authenticates_until_deleted() {
    let state = state(Flavor::Core);
    let (status, created) = create_admin(&state, json!({"token_name": "ops"})).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let secret = created["token"].as_str().unwrap_or_default().to_owned();
    assert!(secret.starts_with("apiv3_"));
    assert_eq!(created["name"], "ops");
    assert!(created["expiry"].is_null());

    let list = "/api/v3/configure/database?format=json";
    let (status, _) = send(&state, Method::GET, list, &secret, None).await;
    assert_eq!(status, StatusCode::OK);

    let rows = list_tokens(&state).await;
    let names: Vec<&str> = rows.iter().filter_map(|r| r["name"].as_str()).collect();
    assert_eq!(names, vec!["_admin", "ops"]);
    assert!(
        rows.iter().all(|row| row.get("token").is_none()),
        "no secrets"
    );
    assert_eq!(rows[1]["permissions"], "*:*:*");

    let (status, body) = create_admin(&state, json!({"token_name": "ops"})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body["error"].is_string(), "v3 error body: {body}");

    let delete = "/api/v3/configure/token?token_name=ops";
    let (status, _) = send(&state, Method::DELETE, delete, OPERATOR, None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = send(&state, Method::DELETE, delete, OPERATOR, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body, json!({"error": "token not found"}));
    let (status, _) = send(&state, Method::GET, list, &secret, None).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "a deleted token is refused"
    );
}

#[tokio::test]
async fn an_expired_token_is_refused_and_bad_expiries_are_rejected() {
    let state = state(Flavor::Core);
    let (status, created) =
        create_admin(&state, json!({"token_name": "brief", "expiry_secs": 0})).await;
    assert_eq!(status, StatusCode::CREATED);
    let secret = created["token"].as_str().unwrap_or_default().to_owned();
    let list = "/api/v3/configure/database?format=json";
    let (status, _) = send(&state, Method::GET, list, &secret, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let (status, _) = create_admin(&state, json!({"token_name": "neg", "expiry_secs": -1})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = create_admin(&state, json!({"token_name": ""})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn resource_tokens_exist_on_enterprise_only() {
    let body = json!({
        "token_name": "reader",
        "permissions": [{"resource_type": "db", "resource_names": ["sensors"], "actions": ["read"]}],
    });
    let path = "/api/v3/enterprise/configure/token";
    let core = state(Flavor::Core);
    let (status, _) = send(&core, Method::POST, path, OPERATOR, Some(body.clone())).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let enterprise = state(Flavor::Enterprise);
    let (status, created) = send(
        &enterprise,
        Method::POST,
        path,
        OPERATOR,
        Some(body.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["token_name"], "reader");
    let secret = created["token"].as_str().unwrap_or_default().to_owned();
    // A resource token authenticates but may not administer.
    let (status, _) = send(
        &enterprise,
        Method::GET,
        "/api/v3/configure/database?format=json",
        &secret,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let rows = list_tokens(&enterprise).await;
    assert_eq!(rows[1]["permissions"], "db:sensors:read");

    let bad = json!({
        "token_name": "x",
        "permissions": [{"resource_type": "db", "resource_names": ["a"], "actions": ["delete"]}],
    });
    let (status, _) = send(&enterprise, Method::POST, path, OPERATOR, Some(bad)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn databases_are_soft_deleted_under_a_new_name() {
    let state = state(Flavor::Enterprise);
    let path = "/api/v3/configure/database";
    let (status, _) = send(
        &state,
        Method::POST,
        path,
        OPERATOR,
        Some(json!({"db": "sensors", "retention_period": "7d"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = send(
        &state,
        Method::POST,
        path,
        OPERATOR,
        Some(json!({"db": "sensors"})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    for bad in [
        json!({"db": "my_db"}),
        json!({"db": "x", "retention_period": "7 days"}),
    ] {
        let (status, _) = send(&state, Method::POST, path, OPERATOR, Some(bad)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
    }
    let (status, _) = send(
        &state,
        Method::PUT,
        path,
        OPERATOR,
        Some(json!({"db": "sensors", "retention_period": "30d"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = send(
        &state,
        Method::DELETE,
        "/api/v3/configure/database/retention_period?db=sensors",
        OPERATOR,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    let (status, _) = send(
        &state,
        Method::DELETE,
        "/api/v3/configure/database?db=sensors",
        OPERATOR,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, listed) = send(
        &state,
        Method::GET,
        "/api/v3/configure/database?format=json",
        OPERATOR,
        None,
    )
    .await;
    assert_eq!(listed, json!({"databases": ["_internal"]}));
    let (_, all) = send(
        &state,
        Method::GET,
        "/api/v3/configure/database?format=json&show_deleted=true",
        OPERATOR,
        None,
    )
    .await;
    let deleted = all["databases"][1].as_str().unwrap_or_default();
    assert!(deleted.starts_with("sensors-"), "{all}");
    // The name is free again.
    let (status, _) = send(
        &state,
        Method::POST,
        path,
        OPERATOR,
        Some(json!({"db": "sensors"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn only_the_token_listing_query_is_answered_and_stats_count_v3_operations() {
    let state = state(Flavor::Core);
    let (status, body) = send(
        &state,
        Method::POST,
        "/api/v3/query_sql",
        OPERATOR,
        Some(json!({"db": "_internal", "q": "SELECT * FROM system.databases"})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, _) = send(
        &state,
        Method::GET,
        "/api/v3/configure/database?format=json",
        "wrong",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let stats = serde_json::to_value(state.stats().body()).unwrap_or_default();
    assert_eq!(stats["by_operation"]["query_sql"], 1);
    assert_eq!(stats["by_operation"]["list_databases"], 1);
    assert!(
        stats["by_operation"]
            .get("list_management_tokens")
            .is_none()
    );
}

#[tokio::test]
async fn table_and_cache_requests_need_an_admin_and_every_parameter() {
    use crate::api::v3_caches::LAST_CACHE_PATH;
    use crate::api::v3_tables::{TABLE_PATH, TABLE_RETENTION_PATH};

    let state = state(Flavor::Enterprise);
    let missing = [
        (Method::DELETE, format!("{TABLE_PATH}?db=sensors"), "table"),
        (Method::DELETE, format!("{TABLE_PATH}?table=cpu"), "db"),
        (
            Method::POST,
            format!("{TABLE_RETENTION_PATH}?db=sensors&table=cpu"),
            "duration",
        ),
        (
            Method::DELETE,
            format!("{LAST_CACHE_PATH}?db=sensors&table=cpu&name="),
            "name",
        ),
    ];
    for (method, path, parameter) in missing {
        let (status, body) = send(&state, method.clone(), &path, OPERATOR, None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{method} {path}: {body}");
        let expected = format!("missing query parameter {parameter}");
        assert_eq!(body["error"], json!(expected), "{method} {path}");
    }
    // A resource token authenticates but may not change a cache.
    let (status, reader) = send(
        &state,
        Method::POST,
        "/api/v3/enterprise/configure/token",
        OPERATOR,
        Some(json!({"token_name": "reader", "permissions": [
            {"resource_type": "db", "resource_names": ["sensors"], "actions": ["read"]}
        ]})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{reader}");
    let secret = reader["token"].as_str().unwrap_or_default();
    let path = format!("{LAST_CACHE_PATH}?db=sensors");
    let (status, body) = send(&state, Method::DELETE, &path, secret, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
}
