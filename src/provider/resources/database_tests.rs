//! Unit tests of `influxdb3_database`: schema, validation paths, the PATCH
//! body and the API-to-state conversion.

use std::collections::BTreeMap;

use uuid::Uuid;

use super::*;
use crate::api::{PartitionBucket, PartitionTemplatePart};

fn resource() -> DatabaseResource {
    DatabaseResource::new(Arc::new(ProviderData::default()))
}

fn model(max_tables: i64, retention: &str) -> DatabaseModel {
    DatabaseModel {
        name: "db".into(),
        max_tables: Some(max_tables),
        max_columns_per_table: Some(200),
        retention_period: Some(retention.into()),
        partition_template: None,
        id: Some("db".into()),
        account_id: None,
        cluster_id: None,
    }
}

#[test]
fn schema_is_valid() {
    schema().validate().unwrap();
}

#[test]
fn database_names_follow_the_api_rules() {
    for good in [
        "mydb",
        "sensor_data",
        "prod-metrics",
        "logs/app",
        "9lives",
        &"a".repeat(64),
    ] {
        assert!(is_valid_name(good), "{good}");
    }
    for bad in ["", "_internal", "-x", "my db", "a.b", "é", &"a".repeat(65)] {
        assert!(!is_valid_name(bad), "{bad}");
    }
}

#[test]
fn the_patch_carries_only_what_changed() {
    let prior = model(500, "30d");
    assert!(changes(&prior, &model(500, "720h")).is_empty());
    let body = changes(&prior, &model(10, "30d"));
    assert_eq!(body.max_tables, Some(10));
    assert_eq!(body.max_columns_per_table, None);
    assert_eq!(body.retention_period, None);
    let body = changes(&prior, &model(500, "1h"));
    assert_eq!(body.max_tables, None);
    assert_eq!(body.retention_period, Some(3_600_000_000_000));
    let body = changes(&prior, &model(500, "0s"));
    assert_eq!(body.retention_period, Some(0));
}

#[test]
fn state_from_the_api() {
    let (account, cluster) = (Uuid::new_v4(), Uuid::new_v4());
    let database = Database {
        account_id: Some(account),
        cluster_id: Some(cluster),
        id: None,
        name: "metrics".into(),
        max_tables: 500,
        max_columns_per_table: 200,
        retention_period: 30 * 86_400_000_000_000,
        partition_template: Some(vec![
            PartitionTemplatePart::Tag("region".into()),
            PartitionTemplatePart::Bucket(PartitionBucket {
                tag_name: "sensor_id".into(),
                number_of_buckets: 100,
            }),
        ]),
    };
    let state = DatabaseModel::from_api(&database);
    assert_eq!(state.retention_period.as_deref(), Some("30d"));
    assert_eq!(state.id.as_deref(), Some("metrics"));
    assert_eq!(state.cluster_id, Some(cluster.to_string()));
    let parts = state.partition_template.unwrap();
    assert_eq!(parts[1].number_of_buckets, Some(100));
    let value = database_state(&database);
    value.conforms_to(&schema().value_type()).unwrap();
}

fn config(pairs: &[(&str, Value)]) -> Value {
    let mut attributes: BTreeMap<String, Value> = DatabaseModel::attribute_names()
        .into_iter()
        .map(|name| (name.to_string(), Value::Null))
        .collect();
    for (name, value) in pairs {
        attributes.insert((*name).to_string(), value.clone());
    }
    Value::Object(attributes)
}

#[tokio::test]
async fn template_rules_point_at_the_attribute() {
    let parts = Value::list([
        Value::object([
            ("type", Value::string("time")),
            ("value", Value::string("%Y")),
            ("number_of_buckets", Value::Null),
        ]),
        Value::object([
            ("type", Value::string("time")),
            ("value", Value::string("%m")),
            ("number_of_buckets", Value::Null),
        ]),
    ]);
    let diagnostics = resource()
        .validate_config(&config(&[
            ("name", Value::string("db")),
            ("partition_template", parts),
        ]))
        .await;
    let paths: Vec<String> = diagnostics
        .iter()
        .filter_map(|d| d.path.as_ref().map(ToString::to_string))
        .collect();
    assert_eq!(paths, ["partition_template"]);
    let unknown = config(&[("partition_template", Value::Unknown)]);
    assert!(resource().validate_config(&unknown).await.is_empty());
}

#[tokio::test]
async fn moves_from_other_providers_are_refused() {
    let request = crate::framework::resource::MoveStateRequest {
        source_provider_address: "registry.terraform.io/hashicorp/null".into(),
        source_type_name: "null_resource".into(),
        source_schema_version: 0,
        source_state: serde_json::json!({}),
    };
    assert!(resource().move_state(request).await.is_none());
}
