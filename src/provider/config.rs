//! The `provider "influxdb3"` block: its schema, validation and the merge
//! with the environment that yields a client configuration.

use std::net::IpAddr;

use uuid::Uuid;

use crate::framework::diag::Diagnostics;
use crate::framework::path::Path;
use crate::framework::schema::{Attribute, Schema};
use crate::framework::value::{Type, Value};

use super::client::{ClientConfig, Secret};

/// Where the provider talks to when neither config nor environment says.
pub const DEFAULT_URL: &str = "https://console.influxdata.com";

/// The provider block's schema.
pub fn provider_schema() -> Schema {
    Schema::new(
        0,
        "The InfluxDB 3 provider manages management tokens of InfluxDB 3 Cloud Dedicated \
         (when `account_id` is set) and InfluxDB 3 Clustered (when it is not). Every argument \
         can also come from an environment variable; a value in the configuration wins.",
        vec![
            Attribute::optional("url", Type::String).description(
                "Base URL of the management API, without `/api/v0`. Defaults to \
                 `https://console.influxdata.com`, or `INFLUXDB3_URL`. Plain `http` is only \
                 accepted for loopback hosts (a local emulator).",
            ),
            Attribute::optional("account_id", Type::String).description(
                "Cloud Dedicated account id (a UUID), or `INFLUXDB3_ACCOUNT_ID`. Leave unset \
                 for InfluxDB 3 Clustered, whose API has no account prefix.",
            ),
            Attribute::optional("cluster_id", Type::String).description(
                "Cloud Dedicated cluster id (a UUID), or `INFLUXDB3_CLUSTER_ID`. Management \
                 tokens belong to the account, so they do not need it.",
            ),
            Attribute::optional("token", Type::String)
                .sensitive()
                .description(
                    "A management token to authenticate with, or `INFLUXDB3_TOKEN`. Required.",
                ),
            Attribute::optional("ca_certificate", Type::String).description(
                "PEM-encoded CA certificates to trust in addition to the system roots, for \
                 Clustered installs behind a private CA, e.g. `file(\"ca.pem\")`.",
            ),
        ],
    )
}

/// Reads one setting: the config value when set, else the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Setting {
    /// Not set anywhere.
    Unset,
    /// Not known yet (depends on a resource not yet created).
    Unknown,
    /// Set.
    Known(String),
}

fn setting(
    config: &Value,
    name: &str,
    env_name: Option<&str>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Setting {
    match config.get_attr(name) {
        Some(Value::Unknown) => Setting::Unknown,
        Some(value) if value.as_str().is_some() => {
            Setting::Known(value.as_str().unwrap_or_default().to_string())
        }
        _ => match env_name.and_then(env).filter(|v| !v.is_empty()) {
            Some(value) => Setting::Known(value),
            None => Setting::Unset,
        },
    }
}

/// The provider configuration after merging with the environment.
#[derive(Debug)]
pub(crate) enum ResolvedConfig {
    /// Every setting is known and valid.
    Ready(Box<ClientConfig>),
    /// Some setting depends on values not known yet; the provider cannot talk
    /// to the API in this phase (plan), and will be configured again at apply.
    NotYetKnown,
}

/// Checks the values that are known, on their attributes. Unknown values pass.
pub(crate) fn validate(config: &Value) -> Diagnostics {
    let mut diagnostics = Diagnostics::new();
    let no_env = |_: &str| None;
    if let Setting::Known(url) = setting(config, "url", None, &no_env)
        && let Err(problem) = check_url(&url)
    {
        diagnostics.attribute_error(Path::root("url"), "Invalid Provider URL", problem);
    }
    for name in ["account_id", "cluster_id"] {
        if let Setting::Known(id) = setting(config, name, None, &no_env)
            && let Err(problem) = check_uuid(name, &id)
        {
            diagnostics.attribute_error(Path::root(name), "Invalid Identifier", problem);
        }
    }
    if let Setting::Known(token) = setting(config, "token", None, &no_env)
        && token.trim().is_empty()
    {
        diagnostics.attribute_error(
            Path::root("token"),
            "Invalid Token",
            "The management token is empty. Set it to a management token, or leave the \
             argument out and set INFLUXDB3_TOKEN.",
        );
    }
    diagnostics
}

/// Merges config and environment (config wins) and checks the result.
pub(crate) fn resolve(
    config: &Value,
    env: &dyn Fn(&str) -> Option<String>,
    user_agent: String,
) -> Result<ResolvedConfig, Diagnostics> {
    let mut diagnostics = validate(config);
    let url = setting(config, "url", Some("INFLUXDB3_URL"), env);
    let account_id = setting(config, "account_id", Some("INFLUXDB3_ACCOUNT_ID"), env);
    let cluster_id = setting(config, "cluster_id", Some("INFLUXDB3_CLUSTER_ID"), env);
    let token = setting(config, "token", Some("INFLUXDB3_TOKEN"), env);
    let ca_certificate = setting(config, "ca_certificate", None, env);

    let all = [&url, &account_id, &cluster_id, &token, &ca_certificate];
    if all.iter().any(|s| **s == Setting::Unknown) {
        return if diagnostics.has_error() {
            Err(diagnostics)
        } else {
            Ok(ResolvedConfig::NotYetKnown)
        };
    }

    // Environment values are checked here; their diagnostics still point at the
    // attribute they stand in for.
    let url = match url {
        Setting::Known(url) => url,
        _ => DEFAULT_URL.to_string(),
    };
    if let Err(problem) = check_url(&url) {
        diagnostics.attribute_error(Path::root("url"), "Invalid Provider URL", problem);
    }
    let account_id = match account_id {
        Setting::Known(id) => match check_uuid("account_id", &id) {
            Ok(id) => Some(id),
            Err(problem) => {
                diagnostics.attribute_error(
                    Path::root("account_id"),
                    "Invalid Identifier",
                    problem,
                );
                None
            }
        },
        _ => None,
    };
    if let Setting::Known(id) = cluster_id
        && let Err(problem) = check_uuid("cluster_id", &id)
    {
        diagnostics.attribute_error(Path::root("cluster_id"), "Invalid Identifier", problem);
    }
    let token = match token {
        Setting::Known(token) if !token.trim().is_empty() => Some(Secret::new(token)),
        _ => {
            diagnostics.attribute_error(
                Path::root("token"),
                "Missing Management Token",
                "The provider needs a management token to call the management API. Set the \
                 provider's `token` argument or the INFLUXDB3_TOKEN environment variable \
                 (create one with `influxctl management create`).",
            );
            None
        }
    };
    if diagnostics.has_error() {
        return Err(diagnostics);
    }
    let Some(token) = token else {
        return Err(diagnostics);
    };
    let mut client = ClientConfig::new(url, account_id, token);
    client.user_agent = user_agent;
    if let Setting::Known(pem) = ca_certificate {
        client.ca_bundle_pem = Some(pem.into_bytes());
    }
    Ok(ResolvedConfig::Ready(Box::new(client)))
}

fn check_uuid(name: &str, text: &str) -> Result<Uuid, String> {
    Uuid::parse_str(text.trim()).map_err(|_| {
        format!("{name} must be a UUID such as 0f8fad5b-d9cb-469f-a165-70867728950e; got {text:?}.")
    })
}

/// A URL must be http(s) with a host; plain http only to loopback, because
/// the management token would otherwise cross the network in clear text.
pub(crate) fn check_url(text: &str) -> Result<(), String> {
    let Some((scheme, rest)) = text.split_once("://") else {
        return Err(format!(
            "{text:?} is not a URL: expected https://HOST[:PORT]."
        ));
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let host = if let Some(bracketed) = host_port.strip_prefix('[') {
        bracketed.split(']').next().unwrap_or_default()
    } else {
        host_port.split(':').next().unwrap_or_default()
    };
    if host.is_empty() {
        return Err(format!(
            "{text:?} has no host: expected https://HOST[:PORT]."
        ));
    }
    match scheme.to_ascii_lowercase().as_str() {
        "https" => Ok(()),
        "http" if is_loopback(host) => Ok(()),
        "http" => Err(format!(
            "Plain http to {host:?} would send the management token unencrypted. Use https, \
             or http only for a loopback host such as 127.0.0.1 (a local emulator)."
        )),
        other => Err(format!("Unsupported URL scheme {other:?}: use https.")),
    }
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(pairs: &[(&str, Value)]) -> Value {
        let mut attributes: std::collections::BTreeMap<String, Value> =
            ["url", "account_id", "cluster_id", "token", "ca_certificate"]
                .iter()
                .map(|name| (name.to_string(), Value::Null))
                .collect();
        for (name, value) in pairs {
            attributes.insert(name.to_string(), value.clone());
        }
        Value::Object(attributes)
    }

    fn paths(diagnostics: &Diagnostics) -> Vec<String> {
        diagnostics
            .iter()
            .map(|d| d.path.as_ref().map(|p| p.to_string()).unwrap_or_default())
            .collect()
    }

    #[test]
    fn url_rules() {
        for ok in [
            "https://console.influxdata.com",
            "http://127.0.0.1:8181",
            "http://localhost",
            "http://[::1]:80/x",
        ] {
            assert!(check_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://example.com",
            "ftp://x",
            "console.influxdata.com",
            "https://",
            "http://10.0.0.1",
        ] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn validate_reports_each_bad_attribute() {
        let diagnostics = validate(&config(&[
            ("url", Value::string("http://example.com")),
            ("account_id", Value::string("not-a-uuid")),
            ("cluster_id", Value::string("also-bad")),
            ("token", Value::string("  ")),
        ]));
        assert_eq!(
            paths(&diagnostics),
            vec!["url", "account_id", "cluster_id", "token"]
        );
    }

    #[test]
    fn unknown_values_are_not_rejected() {
        let value = config(&[("url", Value::Unknown), ("token", Value::Unknown)]);
        assert!(validate(&value).is_empty());
        let resolved = resolve(&value, &|_| None, "ua".into()).unwrap();
        assert!(matches!(resolved, ResolvedConfig::NotYetKnown));
    }

    #[test]
    fn config_wins_over_environment() {
        let env = |name: &str| match name {
            "INFLUXDB3_URL" => Some("http://127.0.0.1:1".to_string()),
            "INFLUXDB3_TOKEN" => Some("env-token".to_string()),
            "INFLUXDB3_ACCOUNT_ID" => Some("0f8fad5b-d9cb-469f-a165-70867728950e".to_string()),
            _ => None,
        };
        let value = config(&[("url", Value::string("http://127.0.0.1:2"))]);
        let ResolvedConfig::Ready(client) = resolve(&value, &env, "ua".into()).unwrap() else {
            panic!()
        };
        assert_eq!(client.base_url, "http://127.0.0.1:2");
        assert_eq!(client.token.expose(), "env-token");
        assert!(client.account_id.is_some());
    }

    #[test]
    fn missing_token_is_an_error_on_token() {
        let diagnostics = resolve(&config(&[]), &|_| None, "ua".into()).unwrap_err();
        assert_eq!(paths(&diagnostics), vec!["token"]);
    }

    #[test]
    fn bad_environment_value_is_reported_on_its_attribute() {
        let env = |name: &str| match name {
            "INFLUXDB3_TOKEN" => Some("t".to_string()),
            "INFLUXDB3_ACCOUNT_ID" => Some("nope".to_string()),
            _ => None,
        };
        let diagnostics = resolve(&config(&[]), &env, "ua".into()).unwrap_err();
        assert_eq!(paths(&diagnostics), vec!["account_id"]);
    }

    #[test]
    fn schema_is_valid() {
        provider_schema().validate().unwrap();
    }
}
