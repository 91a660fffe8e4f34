//! Every resource, data source, ephemeral resource, list resource and action
//! used with a provider configured for the other family of products (Cloud
//! Dedicated/Clustered against Core/Enterprise) fails with "Resource Not
//! Available For This Product", naming itself and the types of the other
//! family that do the same job. No request is made: the clients point at a
//! port nothing listens on.

use std::collections::BTreeSet;

use futures_util::StreamExt;

use super::client::{ClientConfig, ManagementApiClient};
use super::product::SelfHostedProduct;
use super::v3_client::V3Client;
use super::*;
use crate::framework::action::{InvokeRequest, Progress};
use crate::framework::ephemeral_resource::OpenRequest;
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
    type_name.contains("_self_hosted_") || type_name.starts_with("influxdb3_enterprise_")
}

/// A valid object of `schema`: the identifying attributes set, every other
/// attribute null.
fn config_of(schema: &Schema) -> Value {
    Value::object(schema.block.attributes.iter().map(|attribute| {
        let value = match attribute.name.as_str() {
            "name" | "database" => Value::string("sensors"),
            "table" => Value::string("cpu"),
            "token_name" => Value::string("leaked"),
            "token_id" => Value::string("6f1a9d2e-1c1b-4a63-9d44-0d6f2d9f4b10"),
            _ => Value::Null,
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

/// Every type, by kind, and what its diagnostic tells to use instead.
const INSTEAD: &[(&str, &str, &str)] = &[
    // Cloud Dedicated and Clustered.
    (
        "resource",
        "influxdb3_management_token",
        "Use `influxdb3_self_hosted_admin_token` with it",
    ),
    (
        "resource",
        "influxdb3_database_token",
        "Use `influxdb3_enterprise_resource_token` with it",
    ),
    (
        "resource",
        "influxdb3_database",
        "Use `influxdb3_self_hosted_database` with it",
    ),
    (
        "resource",
        "influxdb3_table",
        "Use `influxdb3_self_hosted_table` with it",
    ),
    (
        "data source",
        "influxdb3_management_token",
        "Use `influxdb3_self_hosted_tokens` with it",
    ),
    (
        "data source",
        "influxdb3_management_tokens",
        "Use `influxdb3_self_hosted_tokens` with it",
    ),
    (
        "data source",
        "influxdb3_database_token",
        "Use `influxdb3_self_hosted_tokens` with it",
    ),
    (
        "data source",
        "influxdb3_database_tokens",
        "Use `influxdb3_self_hosted_tokens` with it",
    ),
    (
        "data source",
        "influxdb3_database",
        "Use `influxdb3_self_hosted_databases` with it",
    ),
    (
        "data source",
        "influxdb3_databases",
        "Use `influxdb3_self_hosted_databases` with it",
    ),
    (
        "ephemeral resource",
        "influxdb3_management_token",
        "Use `influxdb3_self_hosted_admin_token` with it",
    ),
    (
        "ephemeral resource",
        "influxdb3_database_token",
        "Use `influxdb3_enterprise_resource_token` with it",
    ),
    (
        "list resource",
        "influxdb3_management_token",
        "Use `influxdb3_self_hosted_admin_token` with it",
    ),
    (
        "list resource",
        "influxdb3_database_token",
        "Use `influxdb3_enterprise_resource_token` with it",
    ),
    (
        "list resource",
        "influxdb3_database",
        "Use `influxdb3_self_hosted_database` with it",
    ),
    (
        "action",
        "influxdb3_revoke_management_token",
        "Use `influxdb3_delete_self_hosted_token` with it",
    ),
    (
        "action",
        "influxdb3_revoke_database_token",
        "Use `influxdb3_delete_self_hosted_token` with it",
    ),
    // Core and Enterprise.
    (
        "resource",
        "influxdb3_self_hosted_admin_token",
        "Use `influxdb3_management_token` with it",
    ),
    (
        "resource",
        "influxdb3_enterprise_resource_token",
        "Use `influxdb3_database_token` with it",
    ),
    (
        "resource",
        "influxdb3_self_hosted_database",
        "Use `influxdb3_database` with it",
    ),
    (
        "resource",
        "influxdb3_self_hosted_table",
        "Use `influxdb3_table` with it",
    ),
    (
        "resource",
        "influxdb3_self_hosted_last_cache",
        "Use the Cloud Dedicated and Clustered types with it",
    ),
    (
        "resource",
        "influxdb3_self_hosted_distinct_cache",
        "Use the Cloud Dedicated and Clustered types with it",
    ),
    (
        "data source",
        "influxdb3_self_hosted_tokens",
        "Use `influxdb3_management_tokens` or `influxdb3_database_tokens` with it",
    ),
    (
        "data source",
        "influxdb3_self_hosted_databases",
        "Use `influxdb3_databases` with it",
    ),
    (
        "ephemeral resource",
        "influxdb3_self_hosted_admin_token",
        "Use `influxdb3_management_token` with it",
    ),
    (
        "ephemeral resource",
        "influxdb3_enterprise_resource_token",
        "Use `influxdb3_database_token` with it",
    ),
    (
        "list resource",
        "influxdb3_self_hosted_admin_token",
        "Use `influxdb3_management_token` with it",
    ),
    (
        "list resource",
        "influxdb3_enterprise_resource_token",
        "Use `influxdb3_database_token` with it",
    ),
    (
        "list resource",
        "influxdb3_self_hosted_database",
        "Use `influxdb3_database` with it",
    ),
    (
        "action",
        "influxdb3_delete_self_hosted_token",
        "Use `influxdb3_revoke_management_token` or `influxdb3_revoke_database_token` with it",
    ),
];

fn instead(kind: &str, type_name: &str) -> &'static str {
    INSTEAD
        .iter()
        .find(|(k, name, _)| *k == kind && *name == type_name)
        .map(|(_, _, text)| *text)
        .unwrap_or_else(|| panic!("the {kind} {type_name} is missing from INSTEAD"))
}

/// Checks the one error of `diagnostics`: the summary, the type it names,
/// the configured product, and what to use instead.
fn check(kind: &str, type_name: &str, step: &str, diagnostics: &Diagnostics) {
    let what = format!("{kind} {type_name} ({step})");
    let (summary, detail) = only_error(diagnostics, &what);
    assert_eq!(summary, SUMMARY, "{what}: {detail}");
    assert!(!detail.contains("token-SECRET"), "{what}: {detail}");
    let configured = if is_self_hosted(type_name) {
        "product = \"core\""
    } else {
        "configured for InfluxDB 3 Core"
    };
    let alias = format!("give this {kind} a provider alias");
    for expected in [
        &format!("The {kind} `{type_name}` "),
        configured,
        instead(kind, type_name),
        &alias,
    ] {
        assert!(
            detail.contains(expected),
            "{what}: {detail:?} lacks {expected:?}"
        );
    }
}

/// Every type `all` lists, by name, each built on the data of a provider
/// configured for the other family of products.
fn under_other_family<T: ?Sized>(
    all: fn(&Arc<ProviderData>) -> Vec<Arc<T>>,
    type_name: fn(&T) -> String,
) -> Vec<(String, Arc<T>)> {
    let names: Vec<String> = all(&Arc::new(ProviderData::default()))
        .iter()
        .map(|object| type_name(object))
        .collect();
    names
        .into_iter()
        .map(|name| {
            let data = configured_for(!is_self_hosted(&name));
            let object = all(&data)
                .into_iter()
                .find(|object| type_name(object) == name)
                .unwrap();
            (name, object)
        })
        .collect()
}

#[tokio::test]
async fn every_resource_fails_its_plan_and_read_under_the_other_product() {
    for (type_name, resource) in under_other_family(resources::all, |r| r.type_name()) {
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

#[tokio::test]
async fn every_data_source_fails_under_the_other_product() {
    for (type_name, data_source) in under_other_family(data_sources::all, |d| d.type_name()) {
        let read = data_source.read(config_of(&data_source.schema())).await;
        check("data source", &type_name, "read", &read.diagnostics);
    }
}

#[tokio::test]
async fn every_ephemeral_resource_fails_its_open_under_the_other_product() {
    for (type_name, ephemeral) in under_other_family(ephemeral_resources::all, |e| e.type_name()) {
        let request = OpenRequest {
            config: config_of(&ephemeral.schema()),
            deferral_allowed: false,
        };
        let opened = ephemeral.open(request).await;
        check(
            "ephemeral resource",
            &type_name,
            "open",
            &opened.diagnostics,
        );
        assert!(
            opened.private.is_none() && opened.result.is_none(),
            "{type_name}"
        );
    }
}

#[tokio::test]
async fn every_list_resource_fails_under_the_other_product() {
    for (type_name, list) in under_other_family(list_resources::all, |l| l.type_name()) {
        let request = ListRequest {
            config: config_of(&list.config_schema()),
            include_resource: false,
            limit: 10,
        };
        let results: Vec<_> = list.list(request).await.collect().await;
        assert_eq!(results.len(), 1, "{type_name}");
        check("list resource", &type_name, "list", &results[0].diagnostics);
    }
}

#[tokio::test]
async fn every_action_fails_its_invoke_under_the_other_product() {
    for (type_name, action) in under_other_family(actions::all, |a| a.type_name()) {
        let (progress, mut messages) = Progress::channel();
        let request = InvokeRequest {
            config: config_of(&action.schema()),
            progress,
        };
        let invoked = action.invoke(request).await;
        check("action", &type_name, "invoke", &invoked);
        assert!(messages.try_recv().is_err(), "{type_name}: nothing started");
    }
}

/// The type names of each kind the provider serves.
fn served_types() -> BTreeSet<(&'static str, String)> {
    let data = Arc::new(ProviderData::default());
    let mut types = BTreeSet::new();
    types.extend(
        resources::all(&data)
            .iter()
            .map(|r| ("resource", r.type_name())),
    );
    types.extend(
        data_sources::all(&data)
            .iter()
            .map(|d| ("data source", d.type_name())),
    );
    types.extend(
        ephemeral_resources::all(&data)
            .iter()
            .map(|e| ("ephemeral resource", e.type_name())),
    );
    types.extend(
        list_resources::all(&data)
            .iter()
            .map(|l| ("list resource", l.type_name())),
    );
    types.extend(
        actions::all(&data)
            .iter()
            .map(|a| ("action", a.type_name())),
    );
    types
}

#[test]
fn every_counterpart_named_is_a_type_of_the_same_kind_in_the_other_family() {
    let served = served_types();
    for (kind, type_name, text) in INSTEAD {
        assert!(
            served.contains(&(*kind, type_name.to_string())),
            "{kind} {type_name}"
        );
        for counterpart in text.split('`').skip(1).step_by(2) {
            assert!(
                served.contains(&(*kind, counterpart.to_string())),
                "{kind} {type_name} names {counterpart}, which is no {kind}"
            );
            assert_ne!(
                is_self_hosted(type_name),
                is_self_hosted(counterpart),
                "{kind} {type_name} names {counterpart} of its own family"
            );
        }
    }
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
