//! Unit tests of `influxdb3_database_token` without an API.

use std::collections::BTreeMap;

use chrono::Utc;

use super::*;
use crate::api::{DatabaseToken, DatabaseTokenPermission, Secret};
use crate::provider::resources::database_token_model::{
    PermissionModel, listed_state, same_permissions,
};
use crate::provider::resources::token_lifecycle::resource_tests;

fn resource() -> DatabaseTokenResource {
    DatabaseTokenResource::new(Arc::new(ProviderData::default()))
}

fn config(description: &str, expires_at: Option<&str>) -> Value {
    let mut attributes: BTreeMap<String, Value> = DatabaseTokenModelV0::attribute_names()
        .into_iter()
        .map(|name| (name.to_string(), Value::Null))
        .collect();
    attributes.insert("description".into(), Value::string(description));
    attributes.insert(
        "expires_at".into(),
        expires_at.map_or(Value::Null, Value::string),
    );
    attributes.insert("permissions".into(), Value::set(Vec::new()));
    Value::Object(attributes)
}

#[test]
fn schema_is_valid_and_only_expiry_replaces() {
    let schema = schema();
    schema.validate().unwrap();
    let replacing: Vec<&str> = schema
        .block
        .attributes
        .iter()
        .filter(|a| a.is_requires_replace())
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(replacing, ["expires_at"]);
    assert!(
        schema
            .attribute("access_token")
            .is_some_and(|a| a.sensitive)
    );
}

#[test]
fn permission_validators_reject_unknown_actions_and_bad_names() {
    let attributes = PermissionModel::attributes();
    let action = &attributes[0].validators[0];
    assert!(action.validate(&Value::string("read")).is_ok());
    assert!(action.validate(&Value::string("write")).is_ok());
    assert!(action.validate(&Value::string("admin")).is_err());
    let resource = &attributes[1].validators[0];
    for good in ["*", "signals", "logs/app", "a-b_c"] {
        assert!(resource.validate(&Value::string(good)).is_ok(), "{good}");
    }
    for bad in ["", "_x", "a b", &"x".repeat(65)] {
        assert!(resource.validate(&Value::string(bad)).is_err(), "{bad}");
    }
}

#[tokio::test]
async fn validate_points_at_the_bad_attribute() {
    resource_tests::validate_points_at_the_bad_attribute(
        &resource(),
        config(" ", Some("tomorrow")),
    )
    .await;
}

#[tokio::test]
async fn past_expiry_is_a_plan_error_only_when_creating() {
    resource_tests::past_expiry_is_a_plan_error_only_when_creating(
        &resource(),
        config("x", Some("2001-01-01T00:00:00Z")),
    )
    .await;
}

#[test]
fn permissions_compare_as_sets() {
    let p = |action: &str, resource: &str| DatabaseTokenPermission {
        action: action.into(),
        resource: resource.into(),
    };
    assert!(same_permissions(
        &[p("read", "a"), p("write", "b")],
        &[p("write", "b"), p("read", "a")]
    ));
    assert!(!same_permissions(&[p("read", "a")], &[p("write", "a")]));
    assert!(!same_permissions(&[p("read", "a")], &[]));
}

#[test]
fn state_from_the_api_keeps_the_written_expiry_and_no_secret_when_listed() {
    let token = DatabaseToken {
        account_id: Some(Uuid::new_v4()),
        cluster_id: Some(Uuid::new_v4()),
        id: Uuid::new_v4(),
        description: "d".into(),
        permissions: vec![DatabaseTokenPermission {
            action: "read".into(),
            resource: "*".into(),
        }],
        created_at: Utc::now(),
        expires_at: parse_time("2030-01-01T00:00:00Z"),
        revoked_at: None,
        access_token: Some(Secret::new("apiv1_x")),
    };
    let same = DatabaseTokenModelV0::from_api(&token, Some("2030-01-01T01:00:00+01:00"), None);
    assert_eq!(
        same.expires_at.as_deref(),
        Some("2030-01-01T01:00:00+01:00")
    );
    let listed = listed_state(&token);
    assert_eq!(listed.get_attr("access_token"), Some(&Value::Null));
    assert_eq!(
        listed
            .get_attr("permissions")
            .map(|p| matches!(p, Value::Set(items) if items.len() == 1)),
        Some(true)
    );
}
