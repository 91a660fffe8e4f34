//! Both syntaxes of `retention_period`, alone and through each resource's
//! `ValidateResourceConfig` (so the diagnostic is on the attribute).

use super::*;
use crate::framework::FrameworkServer;
use crate::framework::value::encode_msgpack;
use crate::plugin::ProviderServer;
use crate::plugin::protocol as p;
use crate::provider::InfluxDb3Provider;

#[test]
fn spellings_parse_to_nanoseconds() {
    let day = 86_400_000_000_000_i64;
    for (text, nanos) in [
        ("0s", 0),
        ("0", 0),
        ("30d", 30 * day),
        ("720h", 30 * day),
        ("1h30m", 5_400_000_000_000),
        ("1h0m", 3_600_000_000_000),
        ("2w", 14 * day),
        ("1500ms", 1_500_000_000),
        ("3µs", 3_000),
        ("7ns", 7),
        (" 1d ", day),
    ] {
        assert_eq!(parse(text), Ok(nanos), "{text}");
    }
}

#[test]
fn bad_spellings_are_refused() {
    for text in [
        "",
        "-1h",
        "30",
        "d",
        "1y",
        "1.5h",
        "h1",
        "1 d",
        "99999999999999999999d",
        "106752d",
        "1e3s",
    ] {
        assert!(parse(text).is_err(), "{text}");
    }
    assert!(parse("-30d").unwrap_err().contains("negative"));
    assert!(parse("106752d").unwrap_err().contains("too long"));
    assert!(parse("1y").unwrap_err().starts_with("must be a duration"));
}

#[test]
fn self_hosted_spellings_are_accepted() {
    for text in ["7d", "30d", "52w", "1h30m", "1h0m", "1y", "90s", "1000y"] {
        assert_eq!(check_self_hosted(text), Ok(()), "{text}");
    }
}

#[test]
fn bad_self_hosted_spellings_are_refused() {
    for text in [
        "", "7", "d", "7 days", "-1d", "7x", "1.5h", " 7d", "7d ", "1ms", "5ns",
    ] {
        let problem = check_self_hosted(text).unwrap_err();
        assert!(
            problem.contains("is not a retention period"),
            "{text}: {problem}"
        );
    }
    for zero in ["0d", "0s", "0h0m"] {
        let problem = check_self_hosted(zero).unwrap_err();
        assert!(problem.contains("longer than zero"), "{zero}: {problem}");
    }
    let huge = format!("{}y", "9".repeat(40));
    assert!(check_self_hosted(&huge).unwrap_err().contains("too long"));
}

/// Where the two resources differ, each keeps what it documents.
#[test]
fn the_two_syntaxes_differ_where_documented() {
    // Infinite retention: "0s" on Cloud, unset on Core/Enterprise.
    assert_eq!(parse("0s"), Ok(0));
    assert!(check_self_hosted("0s").is_err());
    // Years only on Core/Enterprise; sub-second units only on Cloud.
    assert!(parse("1y").is_err());
    assert!(check_self_hosted("1y").is_ok());
    assert!(parse("500ms").is_ok());
    assert!(check_self_hosted("500ms").is_err());
    // Blanks around the duration only on Cloud.
    assert!(parse(" 7d").is_ok());
    assert!(check_self_hosted(" 7d").is_err());
}

#[test]
fn formatting_picks_the_largest_whole_unit() {
    assert_eq!(format(0), "0s");
    assert_eq!(format(30 * 86_400_000_000_000), "30d");
    assert_eq!(format(5_400_000_000_000), "90m");
    assert_eq!(format(1_500_000_000), "1500ms");
    assert_eq!(format(7), "7ns");
    for nanos in [1, 999, 3_600_000_000_001, 604_800_000_000_000] {
        assert_eq!(parse(&format(nanos)), Ok(nanos));
    }
}

#[test]
fn two_spellings_of_one_duration_are_equal() {
    let equal = semantic_equality();
    assert!(equal.equal(&Value::string("30d"), &Value::string("720h")));
    assert!(!equal.equal(&Value::string("30d"), &Value::string("31d")));
    assert!(!equal.equal(&Value::string("x"), &Value::string("0s")));
}

/// The diagnostics `ValidateResourceConfig` gives for `resource_type` with
/// `name` and `retention_period` (other attributes null): summary, detail
/// and attribute path of each.
async fn validate(
    resource_type: &str,
    retention_period: &str,
) -> Vec<(String, String, Option<p::AttributePath>)> {
    let schema = match resource_type {
        "influxdb3_database" => super::super::database::schema(),
        _ => super::super::self_hosted_database::schema(),
    };
    let config = Value::object(schema.block.attributes.iter().map(|attribute| {
        let value = match attribute.name.as_str() {
            "name" => Value::string("sensors"),
            "retention_period" => Value::string(retention_period),
            _ => Value::Null,
        };
        (attribute.name.clone(), value)
    }));
    let server = FrameworkServer::new(InfluxDb3Provider::new());
    let response = server
        .validate_resource_config(p::ValidateResourceConfigRequest {
            type_name: resource_type.to_owned(),
            config: p::DynamicValue::msgpack(
                encode_msgpack(&config, &schema.value_type()).unwrap(),
            ),
            client_capabilities: Default::default(),
        })
        .await;
    response
        .diagnostics
        .into_iter()
        .map(|diagnostic| (diagnostic.summary, diagnostic.detail, diagnostic.attribute))
        .collect()
}

fn retention_path() -> Option<p::AttributePath> {
    Some(p::AttributePath {
        steps: vec![p::AttributePathStep::AttributeName(
            "retention_period".into(),
        )],
    })
}

#[tokio::test]
async fn the_cloud_database_reports_a_bad_period_on_its_attribute() {
    for good in ["30d", "720h", "0s", "1500ms"] {
        let diagnostics = validate("influxdb3_database", good).await;
        assert!(diagnostics.is_empty(), "{good}: {diagnostics:?}");
    }
    for bad in ["1y", "-1d", "30"] {
        let diagnostics = validate("influxdb3_database", bad).await;
        assert_eq!(diagnostics.len(), 1, "{bad}: {diagnostics:?}");
        let (summary, detail, path) = &diagnostics[0];
        assert_eq!(summary, "Invalid Attribute Value", "{bad}");
        assert!(
            detail.starts_with("Attribute retention_period must"),
            "{detail}"
        );
        assert_eq!(path, &retention_path(), "{bad}");
    }
}

#[tokio::test]
async fn the_self_hosted_database_reports_a_bad_period_on_its_attribute() {
    for good in ["7d", "52w", "1y", "1h0m"] {
        let diagnostics = validate("influxdb3_self_hosted_database", good).await;
        assert!(diagnostics.is_empty(), "{good}: {diagnostics:?}");
    }
    for bad in ["0s", "500ms", "7 days"] {
        let diagnostics = validate("influxdb3_self_hosted_database", bad).await;
        assert_eq!(diagnostics.len(), 1, "{bad}: {diagnostics:?}");
        let (summary, _, path) = &diagnostics[0];
        assert_eq!(summary, "Invalid Retention Period", "{bad}");
        assert_eq!(path, &retention_path(), "{bad}");
    }
}
