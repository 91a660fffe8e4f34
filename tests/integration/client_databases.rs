//! The client's database, table and database-token operations against the real
//! emulator binary, in both API forms, including lost create responses.

use std::time::Duration;

use influxdb3_provider::api::{
    CreateDatabaseRequest, CreateDatabaseTokenRequest, CreateTableRequest, DatabaseTokenPermission,
    PartitionBucket, PartitionTemplatePart, UpdateDatabaseRequest, UpdateDatabaseTokenRequest,
};
use influxdb3_provider::provider::client::{
    ClientConfig, ClientErrorKind, DeleteOutcome, ManagementApiClient, RetryPolicy,
};
use serde_json::json;

use crate::support::emulator::EmulatorProcess;

/// A client of `emulator` with quick retries; Cloud Dedicated with the cluster id
/// unless the emulator is Clustered.
pub(crate) fn cluster_client(emulator: &EmulatorProcess, clustered: bool) -> ManagementApiClient {
    cluster_client_at(emulator.url(), emulator, clustered, None, 5)
}

/// A client of `emulator`'s account and cluster that sends to `url` (the emulator or
/// a proxy in front of it), with `token` instead of the bootstrap token if given, and
/// at most `attempts` attempts per request.
pub(crate) fn cluster_client_at(
    url: &str,
    emulator: &EmulatorProcess,
    clustered: bool,
    token: Option<&str>,
    attempts: u32,
) -> ManagementApiClient {
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let account = (!clustered).then(|| emulator.account_id());
    let token = token.map_or_else(|| emulator.token(), str::to_owned);
    let mut config = ClientConfig::new(url, account, token);
    config.cluster_id = (!clustered).then(|| emulator.cluster_id());
    config.retry = RetryPolicy {
        max_attempts: attempts,
        initial_backoff: Duration::from_millis(50),
        max_backoff: Duration::from_millis(400),
        max_elapsed: Duration::from_secs(20),
    };
    ManagementApiClient::new(config).expect("client")
}

pub(crate) fn database_request(name: &str) -> CreateDatabaseRequest {
    CreateDatabaseRequest {
        name: name.to_owned(),
        max_tables: None,
        max_columns_per_table: None,
        retention_period: None,
        partition_template: None,
    }
}

pub(crate) fn permission(action: &str, resource: &str) -> DatabaseTokenPermission {
    DatabaseTokenPermission {
        action: action.to_owned(),
        resource: resource.to_owned(),
    }
}

fn count(emulator: &EmulatorProcess, operation: &str) -> u64 {
    emulator.stats()["by_operation"][operation]
        .as_u64()
        .unwrap_or(0)
}

#[tokio::test]
async fn client_databases_tables_and_tokens_in_both_forms() {
    for clustered in [false, true] {
        let emulator = if clustered {
            EmulatorProcess::start_with(&["--clustered"])
        } else {
            EmulatorProcess::start()
        };
        let client = cluster_client(&emulator, clustered);
        let template = vec![
            PartitionTemplatePart::Time("%Y-%m".to_owned()),
            PartitionTemplatePart::Tag("region".to_owned()),
            PartitionTemplatePart::Bucket(PartitionBucket {
                tag_name: "host".to_owned(),
                number_of_buckets: 10,
            }),
        ];
        // A name with `/` must stay one path segment.
        let request = CreateDatabaseRequest {
            retention_period: Some(3_600_000_000_000),
            partition_template: Some(template.clone()),
            ..database_request("logs/app")
        };
        let created = client.create_database(&request).await.expect("create");
        assert_eq!(created.retention_period, 3_600_000_000_000);
        assert_eq!(created.max_tables, 500);
        assert_eq!(created.partition_template, Some(template.clone()));
        let expected_scope = (!clustered).then(|| emulator.cluster_id());
        assert_eq!(created.cluster_id, expected_scope, "clustered={clustered}");

        let update = UpdateDatabaseRequest {
            max_tables: Some(2),
            ..UpdateDatabaseRequest::default()
        };
        let updated = client.update_database("logs/app", &update).await;
        assert_eq!(updated.expect("update").max_tables, 2);

        let table = client
            .create_table(
                "logs/app",
                &CreateTableRequest {
                    name: "cpu".to_owned(),
                    partition_template: None,
                },
            )
            .await
            .expect("create table");
        assert_eq!(table.partition_template, Some(template), "inherited");
        let renamed = client.rename_table("logs/app", "cpu", "cpu2").await;
        let table_id = renamed.expect("rename table").id.expect("id");
        let deleted = client.delete_table("logs/app", "cpu2").await;
        assert_eq!(deleted.expect("delete table"), DeleteOutcome::Deleted);
        let again = client.delete_table("logs/app", "cpu2").await;
        assert_eq!(again.expect("delete table again"), DeleteOutcome::NotFound);
        let restored = client.undelete_table("logs/app", table_id).await;
        assert_eq!(restored.expect("undelete table").name, "cpu2");

        let renamed = client.rename_database("logs/app", "logs2").await;
        let database_id = renamed.expect("rename").id.expect("rename returns the id");
        assert_eq!(
            client.delete_database("logs2").await.expect("delete"),
            DeleteOutcome::Deleted
        );
        assert!(client.list_databases().await.expect("list").is_empty());
        let restored = client.undelete_database(database_id).await;
        assert_eq!(restored.expect("undelete").name, "logs2");
        let found = client.find_database("logs2").await.expect("find");
        assert_eq!(found.map(|database| database.max_tables), Some(2));

        let token_request = CreateDatabaseTokenRequest {
            description: "ingest".to_owned(),
            permissions: vec![permission("write", "logs2"), permission("read", "*")],
            expires_at: None,
        };
        let created = client
            .create_database_token(&token_request)
            .await
            .expect("create token");
        assert!(created.possible_duplicates.is_empty());
        let token = created.token;
        let secret = token.access_token.as_ref().map_or("-", |s| s.expose());
        assert!(secret.len() >= 64);
        assert!(!format!("{token:?}").contains(secret));
        let update = UpdateDatabaseTokenRequest {
            permissions: Some(vec![]),
            ..UpdateDatabaseTokenRequest::default()
        };
        let updated = client.update_database_token(token.id, &update).await;
        assert!(updated.expect("update token").permissions.is_empty());
        let deleted = client.delete_database_token(token.id).await;
        assert_eq!(deleted.expect("delete token"), DeleteOutcome::Deleted);
        let read = client.get_database_token(token.id).await.expect("get");
        assert!(read.and_then(|token| token.revoked_at).is_some());
        let listed = client.list_database_tokens().await.expect("list tokens");
        assert_eq!(listed.len(), 1, "a deleted token stays listed");
        assert_eq!(listed[0].access_token, None);
        let missing = client.get_database_token(uuid::Uuid::new_v4()).await;
        assert_eq!(missing.expect("get unknown"), None);
    }
}

#[tokio::test]
async fn client_database_create_survives_a_lost_response() {
    let emulator = EmulatorProcess::start();
    let client = cluster_client(&emulator, false);
    emulator.set_fault(json!({"count": 1, "operation": "create_database",
                              "drop_after_commit": true}));
    let created = client
        .create_database(&database_request("lost"))
        .await
        .expect("the retried create finds the committed database");
    assert_eq!(created.name, "lost");
    assert_eq!(count(&emulator, "create_database"), 2, "one retry");
    assert!(
        count(&emulator, "list_databases") >= 1,
        "looked up after the 409"
    );
    assert_eq!(client.list_databases().await.expect("list").len(), 1);
}

#[tokio::test]
async fn client_database_create_does_not_adopt_a_different_database() {
    let emulator = EmulatorProcess::start();
    let client = cluster_client(&emulator, false);
    let existing = CreateDatabaseRequest {
        retention_period: Some(1),
        ..database_request("taken")
    };
    client.create_database(&existing).await.expect("first");
    // Taken before: a first-attempt 409 is an error as it stands.
    let error = client
        .create_database(&database_request("taken"))
        .await
        .expect_err("conflict");
    assert_eq!(error.status(), Some(409), "{error}");
    // A retried create meeting a database with other settings is not adopted.
    emulator.set_fault(json!({"count": 1, "operation": "create_database", "status": 503}));
    let error = client
        .create_database(&database_request("taken"))
        .await
        .expect_err("other settings");
    assert_eq!(error.status(), Some(409), "{error}");
    assert!(error.to_string().contains("other settings"), "{error}");
}

#[tokio::test]
async fn client_table_create_survives_a_lost_response() {
    let emulator = EmulatorProcess::start();
    let client = cluster_client(&emulator, false);
    client
        .create_database(&database_request("db"))
        .await
        .expect("database");
    emulator.set_fault(json!({"count": 1, "operation": "create_table",
                              "drop_after_commit": true}));
    let table = client
        .create_table(
            "db",
            &CreateTableRequest {
                name: "cpu".to_owned(),
                partition_template: None,
            },
        )
        .await
        .expect("the retried create takes the existing table");
    assert_eq!(table.name, "cpu");
    assert_eq!(count(&emulator, "create_table"), 2);
}

#[tokio::test]
async fn client_database_token_create_survives_a_lost_response() {
    let emulator = EmulatorProcess::start();
    let client = cluster_client(&emulator, false);
    emulator.set_fault(json!({"count": 1, "operation": "create_database_token",
                              "drop_after_commit": true}));
    let created = client
        .create_database_token(&CreateDatabaseTokenRequest {
            description: "lost".to_owned(),
            permissions: vec![permission("read", "*")],
            expires_at: None,
        })
        .await
        .expect("the retry with the same Idempotency-Key gets the committed token");
    assert!(
        created.possible_duplicates.is_empty(),
        "the key prevented a duplicate"
    );
    assert_eq!(count(&emulator, "create_database_token"), 2);
    let tokens = client.list_database_tokens().await.expect("list");
    assert_eq!(tokens.len(), 1, "one token minted");
    assert_eq!(tokens[0].id, created.token.id);
}

#[tokio::test]
async fn client_needs_a_cluster_id_on_cloud_dedicated() {
    let emulator = EmulatorProcess::start();
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let config = ClientConfig::new(
        emulator.url(),
        Some(emulator.account_id()),
        emulator.token(),
    );
    let client = ManagementApiClient::new(config).expect("client");
    let error = client.list_databases().await.expect_err("no cluster id");
    let message = error.to_string();
    assert!(matches!(
        error.kind(),
        ClientErrorKind::InvalidConfig { .. }
    ));
    assert!(message.contains("`cluster_id`"), "{message}");
    assert!(message.contains("INFLUXDB3_CLUSTER_ID"), "{message}");
    let error = client
        .create_database_token(&CreateDatabaseTokenRequest {
            description: "x".to_owned(),
            permissions: vec![],
            expires_at: None,
        })
        .await
        .expect_err("no cluster id");
    assert!(
        error.to_string().contains("INFLUXDB3_CLUSTER_ID"),
        "{error}"
    );
    assert_eq!(emulator.stats()["requests_total"], 0, "nothing was sent");
    // Management tokens belong to the account and still work.
    assert!(client.list_management_tokens().await.is_ok());
}
