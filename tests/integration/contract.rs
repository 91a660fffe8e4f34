//! Contract tests: the emulator and the client against the published Management API
//! specs (`../shared/reference/*-management-openapi.yml`, read at test time).
//!
//! The client talks to the emulator through a recording proxy (`contract::proxy`)
//! while every database, table and database-token operation is driven, failures
//! included. Then every recorded request body is validated against the operation's
//! request schema, every response against the schema of its status (which must be
//! documented), and every operation of the spec must have been served.

mod proxy;
mod schema;

use influxdb3_provider::api::{
    CreateDatabaseRequest, CreateDatabaseTokenRequest, CreateTableRequest, PartitionBucket,
    PartitionTemplatePart, UpdateDatabaseRequest, UpdateDatabaseTokenRequest,
};
use influxdb3_provider::provider::client::ManagementApiClient;
use std::collections::BTreeSet;

use crate::client_databases::{cluster_client_at, database_request, permission};
use crate::support::emulator::EmulatorProcess;
use proxy::{Exchange, Recorder};
use schema::Spec;

/// Drives every operation, successes and failures, through `client`.
async fn drive_every_operation(client: &ManagementApiClient, intruder: &ManagementApiClient) {
    let template = vec![
        PartitionTemplatePart::Time("%Y".to_owned()),
        PartitionTemplatePart::Tag("region".to_owned()),
        PartitionTemplatePart::Bucket(PartitionBucket {
            tag_name: "host".to_owned(),
            number_of_buckets: 10,
        }),
    ];
    let full = CreateDatabaseRequest {
        max_tables: Some(10),
        max_columns_per_table: Some(50),
        retention_period: Some(86_400_000_000_000),
        partition_template: Some(template.clone()),
        ..database_request("contract/full")
    };
    client.create_database(&full).await.expect("create full");
    client
        .create_database(&database_request("plain"))
        .await
        .expect("create plain");
    let _ = client.create_database(&database_request("plain")).await; // 409
    let _ = client.create_database(&database_request("_bad")).await; // 400
    client.list_databases().await.expect("list");
    let _ = intruder.list_databases().await; // 401
    let update = UpdateDatabaseRequest {
        retention_period: Some(0),
        max_columns_per_table: Some(60),
        ..UpdateDatabaseRequest::default()
    };
    client
        .update_database("contract/full", &update)
        .await
        .expect("update");
    let _ = client.update_database("missing", &update).await; // 404

    let table = CreateTableRequest {
        name: "cpu".to_owned(),
        partition_template: Some(template),
    };
    client
        .create_table("contract/full", &table)
        .await
        .expect("table");
    let plain_table = CreateTableRequest {
        name: "mem".to_owned(),
        partition_template: None,
    };
    client
        .create_table("plain", &plain_table)
        .await
        .expect("plain table");
    let _ = client.create_table("plain", &plain_table).await; // 409
    let _ = client.create_table("missing", &plain_table).await; // 404
    let renamed = client
        .rename_table("contract/full", "cpu", "cpu2")
        .await
        .expect("rename table");
    let _ = client.rename_table("plain", "nope", "x").await; // 404
    client
        .delete_table("contract/full", "cpu2")
        .await
        .expect("delete table");
    let _ = client.delete_table("contract/full", "cpu2").await; // 404
    client
        .undelete_table("contract/full", renamed.id.expect("table id"))
        .await
        .expect("undelete table");
    let _ = client.undelete_table("contract/full", 999).await; // 404

    let renamed = client
        .rename_database("plain", "plain2")
        .await
        .expect("rename");
    let _ = client.rename_database("plain2", "contract/full").await; // 409
    client.delete_database("plain2").await.expect("delete");
    let _ = client.delete_database("plain2").await; // 404
    client
        .undelete_database(renamed.id.expect("database id"))
        .await
        .expect("undelete");
    let _ = client.undelete_database(999).await; // 404

    let token = client
        .create_database_token(&CreateDatabaseTokenRequest {
            description: "contract".to_owned(),
            permissions: vec![
                permission("read", "contract/full"),
                permission("write", "*"),
            ],
            expires_at: Some(chrono::Utc::now() + chrono::TimeDelta::days(1)),
        })
        .await
        .expect("token")
        .token;
    let _ = client
        .create_database_token(&CreateDatabaseTokenRequest {
            description: "bad".to_owned(),
            permissions: vec![permission("admin", "*")],
            expires_at: None,
        })
        .await; // 400
    client.list_database_tokens().await.expect("list tokens");
    client.get_database_token(token.id).await.expect("get");
    let _ = client.get_database_token(uuid::Uuid::new_v4()).await; // 404
    let update = UpdateDatabaseTokenRequest {
        description: Some("renamed".to_owned()),
        permissions: Some(vec![]),
    };
    client
        .update_database_token(token.id, &update)
        .await
        .expect("update token");
    client
        .delete_database_token(token.id)
        .await
        .expect("delete token");
    let _ = client.update_database_token(token.id, &update).await; // 409
    let _ = client.delete_database_token(uuid::Uuid::new_v4()).await; // 404
    client
        .list_database_tokens()
        .await
        .expect("list with a deleted token");
}

/// Every contract violation of `exchanges` against `spec`, and the operations served.
fn check_exchanges(spec: &Spec, exchanges: &[Exchange]) -> (Vec<String>, BTreeSet<String>) {
    let base = spec.base_path();
    let mut problems = Vec::new();
    let mut served = BTreeSet::new();
    for exchange in exchanges {
        let what = format!(
            "{} {} -> {}",
            exchange.method, exchange.path, exchange.status
        );
        let Some(path) = exchange.path.strip_prefix(&base) else {
            problems.push(format!("{what}: not under {base}"));
            continue;
        };
        let Some(operation) = spec.find(&exchange.method, path) else {
            problems.push(format!("{what}: no operation of {} serves it", spec.name));
            continue;
        };
        if exchange.status == 404 || exchange.status == 405 {
            let message = exchange
                .response_body
                .as_ref()
                .map(|b| b["message"].to_string());
            let unrouted = message
                .as_deref()
                .is_some_and(|m| m.contains("no such route") || m.contains("method not allowed"));
            if unrouted {
                problems.push(format!(
                    "{what}: the emulator does not serve it: {message:?}"
                ));
                continue;
            }
        }
        served.insert(format!("{} {}", operation.method, operation.template));
        match (spec.request_schema(&operation), &exchange.request_body) {
            (Some(schema), Some(body)) => problems.extend(
                spec.validate(schema, body)
                    .into_iter()
                    .map(|error| format!("{what}: request body {error}")),
            ),
            (Some(_), None) => problems.push(format!("{what}: the request has no body")),
            (None, Some(_)) => problems.push(format!("{what}: the request has a body")),
            (None, None) => {}
        }
        match spec.response_schema(&operation, exchange.status) {
            Err(error) => problems.push(format!("{what}: {error}")),
            Ok(None) if exchange.response_body.is_some() => {
                problems.push(format!("{what}: a body where the spec has no content"));
            }
            Ok(None) => {}
            Ok(Some(schema)) => match &exchange.response_body {
                Some(body) => problems.extend(
                    spec.validate(schema, body)
                        .into_iter()
                        .map(|error| format!("{what}: response {error}")),
                ),
                None => problems.push(format!("{what}: no response body")),
            },
        }
    }
    (problems, served)
}

async fn contract_for(clustered: bool, file: &str) {
    let spec = Spec::load(file);
    let emulator = if clustered {
        EmulatorProcess::start_with(&["--clustered"])
    } else {
        EmulatorProcess::start()
    };
    let recorder = Recorder::start(emulator.url()).await;
    let client = cluster_client_at(&recorder.url, &emulator, clustered, None, 1);
    let intruder = cluster_client_at(&recorder.url, &emulator, clustered, Some("not-a-token"), 1);
    drive_every_operation(&client, &intruder).await;

    let exchanges = recorder.exchanges();
    let (problems, served) = check_exchanges(&spec, &exchanges);
    assert!(
        problems.is_empty(),
        "{file}: {} contract violations:\n{}",
        problems.len(),
        problems.join("\n")
    );
    let all: BTreeSet<String> = spec
        .operations()
        .iter()
        .map(|operation| format!("{} {}", operation.method, operation.template))
        .collect();
    let missing: Vec<&String> = all.difference(&served).collect();
    assert!(
        missing.is_empty(),
        "{file}: operations not served: {missing:?}"
    );
    let statuses: BTreeSet<u16> = exchanges.iter().map(|exchange| exchange.status).collect();
    for status in [200, 204, 400, 401, 404, 409] {
        assert!(
            statuses.contains(&status),
            "{file}: no {status} was checked"
        );
    }
}

#[tokio::test]
async fn contract_cloud_dedicated_emulator_and_client_follow_the_published_spec() {
    contract_for(false, "cloud-dedicated-management-openapi.yml").await;
}

#[tokio::test]
async fn contract_clustered_emulator_and_client_follow_the_published_spec() {
    contract_for(true, "clustered-management-openapi.yml").await;
}
