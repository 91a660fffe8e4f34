//! Every resource, data source and list resource used with a provider
//! configured for the other family of products (Cloud Dedicated/Clustered
//! against Core/Enterprise) fails with "Resource Not Available For This
//! Product", and the database and table ones name what to use instead. No
//! request is made: the clients point at a port nothing listens on.

use futures_util::StreamExt;

use super::client::{ClientConfig, ManagementApiClient};
use super::product::SelfHostedProduct;
use super::v3_client::V3Client;
use super::*;
use crate::framework::list_resource::ListRequest;
use crate::framework::resource::{PlanContext, ReadRequest};

const NOWHERE: &str = "http://127.0.0.1:9";

fn configured_for(self_hosted: bool) -> Arc<ProviderData> {
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let data = Arc::new(ProviderData::default());
    let config = ClientConfig::new(NOWHERE, None, "token-SECRET");
    data.set(if self_hosted {
        ConfigState::SelfHosted(V3Client::new(config, SelfHostedProduct::Core).unwrap())
    } else {
        ConfigState::Ready(ManagementApiClient::new(config).unwrap())
    });
    data
}

/// A type of Core and Enterprise.
fn is_self_hosted(type_name: &str) -> bool {
    type_name.starts_with("influxdb3_self_hosted_")
        || type_name.starts_with("influxdb3_enterprise_")
}

/// An object with every attribute of `schema` null but `name`.
fn config_of(schema: &Schema) -> Value {
    Value::object(schema.block.attributes.iter().map(|attribute| {
        let value = if attribute.name == "name" {
            Value::string("sensors")
        } else {
            Value::Null
        };
        (attribute.name.clone(), value)
    }))
}

/// The one error of `diagnostics`: its summary and detail.
fn only_error(diagnostics: &Diagnostics, what: &str) -> (String, String) {
    let errors: Vec<_> = diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.is_error())
        .collect();
    assert_eq!(errors.len(), 1, "{what}: {diagnostics:?}");
    (errors[0].summary.clone(), errors[0].detail.clone())
}

const SUMMARY: &str = "Resource Not Available For This Product";

/// What the detail must say for the database and table types; `None`: only
/// the summary is checked.
fn expected_detail(kind: &str, type_name: &str) -> Option<&'static [&'static str]> {
    match (kind, type_name) {
        ("resource", "influxdb3_database") => Some(&[
            "The resource `influxdb3_database` belongs to InfluxDB 3 Cloud Dedicated and Clustered",
            "configured for InfluxDB 3 Core",
            "Use `influxdb3_self_hosted_database` with it",
        ]),
        ("resource", "influxdb3_table") => Some(&[
            "The resource `influxdb3_table` belongs to",
            "Use the influxdb3_self_hosted_* types with it",
        ]),
        ("data source", "influxdb3_database" | "influxdb3_databases") => Some(&[
            "data source `influxdb3_database",
            "Use `influxdb3_self_hosted_databases` with it",
            "give this data source a provider alias",
        ]),
        ("list resource", "influxdb3_database") => {
            Some(&["The list resource `influxdb3_database` belongs to"])
        }
        ("resource", "influxdb3_self_hosted_database") => Some(&[
            "The resource `influxdb3_self_hosted_database` manages InfluxDB 3 Core or Enterprise",
            "Use `influxdb3_database` with it",
            "product = \"core\"",
        ]),
        ("resource", "influxdb3_self_hosted_admin_token") => {
            Some(&["Use `influxdb3_management_token` with it"])
        }
        ("resource", "influxdb3_enterprise_resource_token") => {
            Some(&["Use `influxdb3_database_token` with it"])
        }
        ("data source", "influxdb3_self_hosted_databases") => {
            Some(&["Use `influxdb3_databases` with it"])
        }
        ("data source", "influxdb3_self_hosted_tokens") => {
            Some(&["Use `influxdb3_management_tokens` or `influxdb3_database_tokens` with it"])
        }
        _ => None,
    }
}

/// Checks the one error of `diagnostics`; the detail too unless `step` is
/// the refresh of a self-hosted resource, whose diagnostic (shared by the
/// self-hosted resources' reads) does not name the type.
fn check(kind: &str, type_name: &str, step: &str, diagnostics: &Diagnostics) {
    let what = format!("{kind} {type_name} ({step})");
    let (summary, detail) = only_error(diagnostics, &what);
    assert_eq!(summary, SUMMARY, "{what}: {detail}");
    assert!(!detail.contains("token-SECRET"), "{what}: {detail}");
    if step == "read" && kind == "resource" && is_self_hosted(type_name) {
        assert!(detail.contains("product = \"core\""), "{what}: {detail}");
        return;
    }
    for expected in expected_detail(kind, type_name).unwrap_or(&[]) {
        assert!(
            detail.contains(expected),
            "{what}: {detail:?} lacks {expected:?}"
        );
    }
}

#[tokio::test]
async fn every_resource_fails_its_plan_and_read_under_the_other_product() {
    for self_hosted_provider in [true, false] {
        let data = configured_for(self_hosted_provider);
        for resource in resources::all(&data) {
            let type_name = resource.type_name();
            if is_self_hosted(&type_name) == self_hosted_provider {
                continue;
            }
            let config = config_of(&resource.schema());
            let mut plan = PlanContext {
                config: config.clone(),
                prior: None,
                planned: config.clone(),
                requires_replace: Vec::new(),
                diagnostics: Diagnostics::new(),
            };
            resource.modify_plan(&mut plan).await;
            check("resource", &type_name, "plan", &plan.diagnostics);
            let read = resource.read(ReadRequest { state: config }).await;
            check("resource", &type_name, "read", &read.diagnostics);
        }
    }
}

#[tokio::test]
async fn every_data_source_fails_under_the_other_product() {
    for self_hosted_provider in [true, false] {
        let data = configured_for(self_hosted_provider);
        for data_source in data_sources::all(&data) {
            let type_name = data_source.type_name();
            if is_self_hosted(&type_name) == self_hosted_provider {
                continue;
            }
            let read = data_source.read(config_of(&data_source.schema())).await;
            check("data source", &type_name, "read", &read.diagnostics);
        }
    }
}

#[tokio::test]
async fn the_database_list_fails_under_a_self_hosted_product() {
    let data = configured_for(true);
    let list = list_resources::all(&data)
        .into_iter()
        .find(|list| list.type_name() == "influxdb3_database")
        .unwrap();
    let request = ListRequest {
        config: config_of(&list.config_schema()),
        include_resource: false,
        limit: 10,
    };
    let results: Vec<_> = list.list(request).await.collect().await;
    assert_eq!(results.len(), 1);
    check(
        "list resource",
        "influxdb3_database",
        "list",
        &results[0].diagnostics,
    );
}

#[test]
fn nothing_is_reported_while_the_configuration_is_unknown_or_matches() {
    let scope = ProductScope::cloud("resource", "influxdb3_database", &[]);
    let unknown = ProviderData::default();
    unknown.set(ConfigState::NotYetKnown);
    assert!(unknown.wrong_product_for(&scope).is_none());
    assert!(configured_for(false).wrong_product_for(&scope).is_none());
    assert!(configured_for(true).wrong_product_for(&scope).is_some());
}
