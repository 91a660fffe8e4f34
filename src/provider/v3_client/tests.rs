//! The `/api/v3` client against the emulator served in-process in Core and
//! Enterprise mode: every operation, the outcomes of deletes, retries after
//! injected faults, and a create whose response was lost.

use std::time::Duration;

use serde_json::json;

use super::{V3Client, with_query};
use crate::api::v3::{
    CreateDatabaseRequest, CreateNamedAdminTokenRequest, CreateResourceTokenRequest,
    TokenPermission,
};
use crate::emulator::{Config, EmulatorState, Flavor, serve};
use crate::provider::client::{ClientConfig, RetryPolicy};
use crate::provider::product::SelfHostedProduct;
use crate::provider::v3_client::DeleteOutcome;

const OPERATOR: &str = "operator-SECRET-93b1";

struct Server {
    url: String,
}

impl Server {
    async fn start(flavor: Flavor) -> Self {
        let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
        let state = EmulatorState::new(Config {
            flavor,
            bootstrap_token: Some(OPERATOR.to_owned()),
            ..Config::default()
        })
        .unwrap_or_else(|error| panic!("{error}"));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|error| panic!("{error}"));
        let url = format!(
            "http://{}",
            listener
                .local_addr()
                .unwrap_or_else(|error| panic!("{error}"))
        );
        tokio::spawn(serve(listener, state, std::future::pending::<()>()));
        Self { url }
    }

    fn client(&self, product: SelfHostedProduct, token: &str) -> V3Client {
        let mut config = ClientConfig::new(&self.url, None, token);
        config.retry = RetryPolicy {
            initial_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_millis(50),
            ..RetryPolicy::default()
        };
        V3Client::new(config, product).unwrap_or_else(|error| panic!("{error}"))
    }

    async fn fault(&self, rule: serde_json::Value) {
        let response = reqwest::Client::new()
            .post(format!("{}/_emulator/faults", self.url))
            .bearer_auth(OPERATOR)
            .json(&rule)
            .send()
            .await
            .unwrap_or_else(|error| panic!("{error}"));
        assert!(response.status().is_success(), "{rule}");
    }
}

fn admin(name: &str) -> CreateNamedAdminTokenRequest {
    CreateNamedAdminTokenRequest {
        token_name: name.to_owned(),
        expiry_secs: None,
    }
}

#[test]
fn query_values_are_percent_encoded() {
    assert_eq!(
        with_query("/api/v3/configure/token", &[("token_name", "ci & ops/1")]),
        "/api/v3/configure/token?token_name=ci+%26+ops%2F1"
    );
    assert_eq!(with_query("/api/v3/x", &[]), "/api/v3/x");
}

#[tokio::test]
async fn tokens_are_created_listed_and_deleted() {
    let server = Server::start(Flavor::Core).await;
    let client = server.client(SelfHostedProduct::Core, OPERATOR);
    let created = client
        .create_named_admin_token(&admin("ops & co"))
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    let secret = created.token.clone().unwrap_or_default();
    assert!(
        !format!("{created:?}").contains(&secret),
        "Debug shows the secret"
    );
    let rows = client
        .list_tokens()
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    let names: Vec<&str> = rows.iter().map(|row| row.name.as_str()).collect();
    assert_eq!(names, vec!["_admin", "ops & co"]);
    assert!(rows.iter().all(|row| row.is_admin()));

    // The new token is an admin token itself.
    let as_ops = server.client(SelfHostedProduct::Core, &secret);
    assert!(as_ops.list_databases().await.is_ok());

    assert_eq!(
        client.delete_token("ops & co").await.ok(),
        Some(DeleteOutcome::Deleted)
    );
    assert_eq!(
        client.delete_token("ops & co").await.ok(),
        Some(DeleteOutcome::NotFound)
    );
    let refused = as_ops.list_databases().await.unwrap_err();
    assert!(refused.is_unauthorized(), "{refused}");
    assert!(!refused.to_string().contains(&secret));

    // Core has no resource tokens.
    let request = CreateResourceTokenRequest {
        token_name: "reader".to_owned(),
        permissions: vec![TokenPermission {
            resource_type: "db".to_owned(),
            resource_names: vec!["*".to_owned()],
            actions: vec!["read".to_owned()],
        }],
        expiry_secs: None,
    };
    let error = client.create_resource_token(&request).await.unwrap_err();
    assert_eq!(error.status(), Some(404), "{error}");
    let enterprise = Server::start(Flavor::Enterprise).await;
    let client = enterprise.client(SelfHostedProduct::Enterprise, OPERATOR);
    let created = client
        .create_resource_token(&request)
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    assert!(created.token.is_some());
}

#[tokio::test]
async fn databases_are_created_updated_and_deleted() {
    let server = Server::start(Flavor::Core).await;
    let client = server.client(SelfHostedProduct::Core, OPERATOR);
    let body = CreateDatabaseRequest {
        db: "sensors".to_owned(),
        retention_period: Some("7d".to_owned()),
    };
    assert!(client.create_database(&body).await.is_ok());
    let conflict = client.create_database(&body).await.unwrap_err();
    assert_eq!(conflict.status(), Some(409));
    assert!(
        conflict.to_string().contains("database already exists"),
        "{conflict}"
    );
    assert!(
        client
            .set_database_retention("sensors", Some("30d"))
            .await
            .is_ok()
    );
    assert!(client.set_database_retention("sensors", None).await.is_ok());
    assert_eq!(
        client.list_databases().await.ok(),
        Some(vec!["_internal".to_owned(), "sensors".to_owned()])
    );
    assert_eq!(
        client.delete_database("sensors").await.ok(),
        Some(DeleteOutcome::Deleted)
    );
    assert_eq!(
        client.delete_database("sensors").await.ok(),
        Some(DeleteOutcome::NotFound)
    );
    let missing = client.set_database_retention("sensors", Some("1d")).await;
    assert_eq!(missing.unwrap_err().status(), Some(404));
}

#[tokio::test]
async fn transient_failures_are_retried() {
    let server = Server::start(Flavor::Core).await;
    let client = server.client(SelfHostedProduct::Core, OPERATOR);
    server.fault(json!({"status": 503, "count": 2})).await;
    assert!(client.list_tokens().await.is_ok());
}

#[tokio::test]
async fn a_lost_create_response_is_settled_by_the_retry() {
    let server = Server::start(Flavor::Core).await;
    let client = server.client(SelfHostedProduct::Core, OPERATOR);
    // The database is made, the answer lost: the retry's 409 means done.
    server
        .fault(json!({"count": 1, "method": "POST", "drop_after_commit": true}))
        .await;
    let body = CreateDatabaseRequest {
        db: "lost".to_owned(),
        retention_period: None,
    };
    assert!(client.create_database(&body).await.is_ok());
    assert!(
        client
            .list_databases()
            .await
            .unwrap_or_default()
            .contains(&"lost".to_owned())
    );
    // A token's secret is lost with the answer: the error says what happened.
    server
        .fault(json!({"count": 1, "method": "POST", "drop_after_commit": true}))
        .await;
    let error = client
        .create_named_admin_token(&admin("lost"))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(409));
    assert!(
        error.to_string().contains("its response was lost"),
        "{error}"
    );
}

fn sensors_table(retention_period: Option<&str>) -> crate::api::v3_tables::CreateTableRequest {
    crate::api::v3_tables::CreateTableRequest {
        db: "sensors".to_owned(),
        table: "it's cpu".to_owned(),
        tags: vec!["host".to_owned(), "region".to_owned()],
        fields: vec![crate::api::v3_tables::TableField {
            name: "usage".to_owned(),
            field_type: "float64".to_owned(),
        }],
        retention_period: retention_period.map(str::to_owned),
    }
}

async fn create_sensors(client: &V3Client) {
    client
        .create_database(&CreateDatabaseRequest {
            db: "sensors".to_owned(),
            retention_period: None,
        })
        .await
        .unwrap_or_else(|error| panic!("{error}"));
}

#[tokio::test]
async fn tables_are_created_read_and_deleted() {
    let server = Server::start(Flavor::Core).await;
    let client = server.client(SelfHostedProduct::Core, OPERATOR);
    // No database: the create is refused, the read says the database is gone.
    let error = client.create_table(&sensors_table(None)).await.unwrap_err();
    assert_eq!(error.status(), Some(404), "{error}");
    assert_eq!(
        client.table_columns("sensors", "it's cpu").await.ok(),
        Some(None)
    );
    create_sensors(&client).await;
    assert_eq!(
        client.table_columns("sensors", "it's cpu").await.ok(),
        Some(Some(Vec::new()))
    );
    // A table retention period is Enterprise-only.
    let error = client
        .create_table(&sensors_table(Some("30d")))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(400), "{error}");
    client
        .create_table(&sensors_table(None))
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    let columns = client
        .table_columns("sensors", "it's cpu")
        .await
        .unwrap_or_else(|error| panic!("{error}"))
        .unwrap_or_default();
    let described: Vec<(&str, &str)> = columns
        .iter()
        .map(|row| (row.column_name.as_str(), row.data_type.as_str()))
        .collect();
    assert_eq!(
        described,
        vec![
            ("host", "Dictionary(Int32, Utf8)"),
            ("region", "Dictionary(Int32, Utf8)"),
            ("usage", "Float64"),
            ("time", "Timestamp(Nanosecond, None)"),
        ]
    );
    assert_eq!(
        client.delete_table("sensors", "it's cpu").await.ok(),
        Some(DeleteOutcome::Deleted)
    );
    assert_eq!(
        client.delete_table("sensors", "it's cpu").await.ok(),
        Some(DeleteOutcome::NotFound)
    );
    assert_eq!(
        client.table_columns("sensors", "it's cpu").await.ok(),
        Some(Some(Vec::new()))
    );
    // A deleted database takes its tables with it.
    client
        .create_table(&sensors_table(None))
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    client
        .delete_database("sensors")
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(
        client.table_columns("sensors", "it's cpu").await.ok(),
        Some(None)
    );
}

#[tokio::test]
async fn enterprise_tables_take_a_retention_period() {
    let server = Server::start(Flavor::Enterprise).await;
    let client = server.client(SelfHostedProduct::Enterprise, OPERATOR);
    create_sensors(&client).await;
    client
        .create_table(&sensors_table(Some("30d")))
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    for period in [Some("7d"), None] {
        client
            .set_table_retention("sensors", "it's cpu", period)
            .await
            .unwrap_or_else(|error| panic!("{error}"));
    }
    let error = client
        .set_table_retention("sensors", "nothing", Some("7d"))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(404), "{error}");
}

#[tokio::test]
async fn caches_are_created_listed_and_deleted() {
    use crate::api::v3_caches::{DistinctCacheCreateRequest, LastCacheCreateRequest};
    use crate::provider::v3_client::CacheKind;

    let server = Server::start(Flavor::Core).await;
    let client = server.client(SelfHostedProduct::Core, OPERATOR);
    assert_eq!(client.last_caches("sensors").await.ok(), Some(None));
    create_sensors(&client).await;
    client
        .create_table(&sensors_table(None))
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    let last = LastCacheCreateRequest {
        db: "sensors".to_owned(),
        table: "it's cpu".to_owned(),
        name: Some("latest".to_owned()),
        key_columns: Some(vec!["host".to_owned()]),
        value_columns: None,
        count: None,
        ttl: Some(60),
    };
    client
        .create_last_cache(&last)
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    let error = client.create_last_cache(&last).await.unwrap_err();
    assert_eq!(error.status(), Some(400), "a taken name: {error}");
    let rows = client
        .last_caches("sensors")
        .await
        .unwrap_or_else(|error| panic!("{error}"))
        .unwrap_or_default();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].value_column_names, vec!["region", "usage"]);
    assert_eq!((rows[0].count, rows[0].ttl), (1, 60));

    let distinct = DistinctCacheCreateRequest {
        db: "sensors".to_owned(),
        table: "it's cpu".to_owned(),
        name: Some("hosts".to_owned()),
        columns: vec!["region".to_owned(), "host".to_owned()],
        max_cardinality: None,
        max_age: None,
    };
    client
        .create_distinct_cache(&distinct)
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    let error = client.create_distinct_cache(&distinct).await.unwrap_err();
    assert_eq!(error.status(), Some(409), "the same cache again: {error}");
    let rows = client
        .distinct_caches("sensors")
        .await
        .unwrap_or_else(|error| panic!("{error}"))
        .unwrap_or_default();
    assert_eq!(rows[0].column_names, vec!["region", "host"]);
    assert_eq!(rows[0].column_ids, vec![1, 0]);

    for kind in [CacheKind::Last, CacheKind::Distinct] {
        let name = if kind == CacheKind::Last {
            "latest"
        } else {
            "hosts"
        };
        for outcome in [DeleteOutcome::Deleted, DeleteOutcome::NotFound] {
            assert_eq!(
                client
                    .delete_cache(kind, "sensors", "it's cpu", name)
                    .await
                    .ok(),
                Some(outcome)
            );
        }
    }
    assert_eq!(
        client.last_caches("sensors").await.ok(),
        Some(Some(Vec::new()))
    );
}
