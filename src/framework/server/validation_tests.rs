//! Attribute validators in `ValidateProviderConfig` and
//! `ValidateDataResourceConfig` (the resource case is in `nested_tests`),
//! run before the provider's and data source's own checks.

use std::sync::Arc;

use async_trait::async_trait;

use super::*;
use crate::framework::data_source::DataSourceReadResponse;
use crate::framework::provider::ConfigureRequest;
use crate::framework::schema::{Attribute, Validator};
use crate::framework::value::{self, Type, Value};

fn provider_schema() -> Schema {
    Schema::new(
        0,
        "",
        vec![
            Attribute::optional("endpoint", Type::String)
                .validator(Validator::string_matches("an https URL", |url| {
                    url.starts_with("https://")
                })),
        ],
    )
}

fn lookup_schema() -> Schema {
    Schema::new(
        0,
        "",
        vec![
            Attribute::required("id", Type::String).validator(Validator::string_length(3, None)),
            Attribute::computed("found", Type::Bool),
        ],
    )
}

struct Lookup;

#[async_trait]
impl DataSource for Lookup {
    fn type_name(&self) -> String {
        "fake_lookup".into()
    }
    fn schema(&self) -> Schema {
        lookup_schema()
    }
    async fn validate_config(&self, _config: &Value) -> Diagnostics {
        let mut diagnostics = Diagnostics::new();
        diagnostics.error("Own Check", "the data source's own check ran");
        diagnostics
    }
    async fn read(&self, _config: Value) -> DataSourceReadResponse {
        unreachable!()
    }
}

struct ValidatingProvider;

#[async_trait]
impl Provider for ValidatingProvider {
    fn type_name(&self) -> &'static str {
        "fake"
    }
    fn schema(&self) -> Schema {
        provider_schema()
    }
    async fn configure(&self, _request: ConfigureRequest) -> Diagnostics {
        Diagnostics::new()
    }
    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        Vec::new()
    }
    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        vec![Arc::new(Lookup)]
    }
}

fn encode(value: &Value, schema: &Schema) -> p::DynamicValue {
    p::DynamicValue::msgpack(value::encode_msgpack(value, &schema.value_type()).unwrap())
}

#[tokio::test]
async fn provider_validators_run_and_skip_unknowns() {
    let server = FrameworkServer::new(ValidatingProvider);
    let validate = |endpoint: Value| {
        let config = encode(&Value::object([("endpoint", endpoint)]), &provider_schema());
        server.validate_provider_config(p::ValidateProviderConfigRequest { config })
    };
    let bad = validate(Value::string("http://example.com")).await;
    assert_eq!(bad.diagnostics.len(), 1);
    assert_eq!(
        bad.diagnostics[0].detail,
        "Attribute endpoint must be an https URL."
    );
    assert_eq!(
        bad.diagnostics[0].attribute.as_ref().unwrap().steps,
        vec![p::AttributePathStep::AttributeName("endpoint".into())]
    );
    assert!(
        validate(Value::string("https://example.com"))
            .await
            .diagnostics
            .is_empty()
    );
    assert!(validate(Value::Unknown).await.diagnostics.is_empty());
    assert!(validate(Value::Null).await.diagnostics.is_empty());
}

#[tokio::test]
async fn data_source_validators_run_before_its_own_check() {
    let server = FrameworkServer::new(ValidatingProvider);
    let config = Value::object([("id", Value::string("ab")), ("found", Value::Null)]);
    let response = server
        .validate_data_resource_config(p::ValidateDataResourceConfigRequest {
            type_name: "fake_lookup".into(),
            config: encode(&config, &lookup_schema()),
        })
        .await;
    let summaries: Vec<&str> = response
        .diagnostics
        .iter()
        .map(|d| d.summary.as_str())
        .collect();
    assert_eq!(summaries, ["Invalid Attribute Value", "Own Check"]);
    assert_eq!(
        response.diagnostics[0].detail,
        "Attribute id must be at least 3 characters long, got 2."
    );
}
