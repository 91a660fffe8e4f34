use std::collections::BTreeMap;

use super::*;
use crate::provider::config::{ResolvedConfig, resolve};

fn config(pairs: &[(&str, Value)]) -> Value {
    let mut attributes: BTreeMap<String, Value> = crate::provider::config::provider_schema()
        .block
        .attributes
        .iter()
        .map(|attribute| (attribute.name.clone(), Value::Null))
        .collect();
    for (name, value) in pairs {
        attributes.insert((*name).to_owned(), value.clone());
    }
    Value::Object(attributes)
}

fn paths(diagnostics: &Diagnostics) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| d.path.as_ref().map(|p| p.to_string()).unwrap_or_default())
        .collect()
}

fn no_env(_: &str) -> Option<String> {
    None
}

#[test]
fn core_needs_host_and_token() {
    let value = config(&[("product", Value::string("core"))]);
    let diagnostics = resolve(&value, &no_env, "ua".into()).unwrap_err();
    assert_eq!(paths(&diagnostics), vec!["host", "token"]);
}

#[test]
fn host_and_token_from_config_or_environment() {
    let value = config(&[
        ("product", Value::string("enterprise")),
        ("host", Value::string("http://127.0.0.1:8181")),
        ("token", Value::string("apiv3_x")),
    ]);
    let Ok(ResolvedConfig::SelfHosted(client, product)) = resolve(&value, &no_env, "ua".into())
    else {
        panic!("not resolved");
    };
    assert_eq!(product, SelfHostedProduct::Enterprise);
    assert_eq!(client.base_url, "http://127.0.0.1:8181");
    assert_eq!(client.token.expose(), "apiv3_x");

    let env = |name: &str| match name {
        "INFLUXDB3_PRODUCT" => Some("core".to_owned()),
        "INFLUXDB3_HOST_URL" => Some("http://localhost:8181".to_owned()),
        "INFLUXDB3_AUTH_TOKEN" => Some("apiv3_env".to_owned()),
        // Set for another alias: not used by a self-hosted provider.
        "INFLUXDB3_ACCOUNT_ID" => Some("0f8fad5b-d9cb-469f-a165-70867728950e".to_owned()),
        _ => None,
    };
    let Ok(ResolvedConfig::SelfHosted(client, product)) = resolve(&config(&[]), &env, "ua".into())
    else {
        panic!("not resolved from the environment");
    };
    assert_eq!(product, SelfHostedProduct::Core);
    assert_eq!(client.base_url, "http://localhost:8181");
    assert_eq!(client.token.expose(), "apiv3_env");
}

#[test]
fn account_and_cluster_ids_are_refused_for_self_hosted() {
    let value = config(&[
        ("product", Value::string("core")),
        ("host", Value::string("http://127.0.0.1:8181")),
        ("token", Value::string("t")),
        (
            "account_id",
            Value::string("0f8fad5b-d9cb-469f-a165-70867728950e"),
        ),
        (
            "cluster_id",
            Value::string("0f8fad5b-d9cb-469f-a165-70867728950e"),
        ),
    ]);
    let diagnostics = crate::provider::config::validate(&value);
    assert_eq!(paths(&diagnostics), vec!["account_id", "cluster_id"]);
    assert!(
        diagnostics
            .iter()
            .all(|d| d.detail.contains("InfluxDB 3 Core"))
    );
}

#[test]
fn bad_product_and_conflicting_urls_are_refused() {
    let value = config(&[
        ("product", Value::string("serverless")),
        ("host", Value::string("http://127.0.0.1:1")),
        ("url", Value::string("http://127.0.0.1:2")),
    ]);
    let diagnostics = crate::provider::config::validate(&value);
    assert_eq!(paths(&diagnostics), vec!["host", "product"]);
}

#[test]
fn explicit_management_products_are_checked() {
    let value = config(&[
        ("product", Value::string("cloud_dedicated")),
        ("token", Value::string("t")),
    ]);
    let diagnostics = resolve(&value, &no_env, "ua".into()).unwrap_err();
    assert_eq!(paths(&diagnostics), vec!["account_id"]);
    let value = config(&[
        ("product", Value::string("clustered")),
        ("token", Value::string("t")),
    ]);
    assert!(matches!(
        resolve(&value, &no_env, "ua".into()),
        Ok(ResolvedConfig::Ready(_))
    ));
}

#[test]
fn unknown_product_waits_for_apply() {
    let value = config(&[("product", Value::Unknown)]);
    assert!(matches!(
        resolve(&value, &no_env, "ua".into()),
        Ok(ResolvedConfig::NotYetKnown)
    ));
}
