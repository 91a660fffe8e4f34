//! The `provider "influxdb3"` block: its schema, validation and the merge
//! with the environment that yields a client configuration.

use std::net::IpAddr;

use uuid::Uuid;

use crate::framework::diag::Diagnostics;
use crate::framework::path::Path;
use crate::framework::schema::{Attribute, Schema};
use crate::framework::value::{Type, Value};

use super::client::{ClientConfig, Secret};
use super::client_options::ClientOptions;
use super::product::{Product, SelfHostedProduct};
use super::self_hosted_config;

/// Where the provider talks to when neither config nor environment says.
pub const DEFAULT_URL: &str = "https://console.influxdata.com";

/// The provider block's schema.
pub fn provider_schema() -> Schema {
    Schema::new(
        0,
        "The InfluxDB 3 provider manages management tokens of InfluxDB 3 Cloud Dedicated \
         (when `account_id` is set) and InfluxDB 3 Clustered (when it is not), and tokens and \
         databases of the self-hosted InfluxDB 3 Core and Enterprise (with `product`). Every \
         argument can also come from an environment variable; a value in the configuration wins.",
        vec![
            Attribute::optional("product", Type::String).description(
                "Which InfluxDB 3 product the provider talks to: `cloud_dedicated`, `clustered`, \
                 `core` or `enterprise`; or `INFLUXDB3_PRODUCT`. Default: Cloud Dedicated when \
                 `account_id` is set, else Clustered. `core` and `enterprise` (the self-hosted \
                 products) need `host` and an admin `token`, and refuse `account_id` and \
                 `cluster_id`. Use one provider alias per product to manage several.",
            ),
            Attribute::optional("host", Type::String).description(
                "URL of an InfluxDB 3 Core or Enterprise server, e.g. `https://influxdb.example:8181`, \
                 or `INFLUXDB3_HOST_URL`. Another name for `url`; set one of them.",
            ),
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
                    "A management token (Cloud Dedicated, Clustered) or an admin token (Core, \
                     Enterprise) to authenticate with, or `INFLUXDB3_TOKEN`. Required.",
                ),
            Attribute::optional("request_timeout", Type::String).description(
                "How long one HTTP request may take before it is retried, as a duration such as \
                 `30s`, `500ms` or `2m`; or `INFLUXDB3_REQUEST_TIMEOUT`. Default `30s`.",
            ),
            Attribute::optional("max_retries", Type::Number).description(
                "How many times a failed request (connection error, timeout, 429, 500, 502, 503, \
                 504) is retried, with exponential backoff; or `INFLUXDB3_MAX_RETRIES`. \
                 Default 4; 0 disables retries. Creates are retried safely: each carries an \
                 idempotency key.",
            ),
            Attribute::optional("ca_certificate", Type::String).description(
                "PEM-encoded CA certificates to trust in addition to the system roots, for \
                 Clustered installs behind a private CA, e.g. `file(\"ca.pem\")`.",
            ),
        ],
    )
}

/// Reads one setting: the config value when set, else the environment.
/// The token is a `Setting<Secret>` (see [`Setting::into_secret`]), so that
/// `Debug` never shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Setting<T = String> {
    /// Not set anywhere.
    Unset,
    /// Not known yet (depends on a resource not yet created).
    Unknown,
    /// Set.
    Known(T),
}

impl Setting {
    /// The same setting with its value held as a [`Secret`].
    fn into_secret(self) -> Setting<Secret> {
        match self {
            Setting::Unset => Setting::Unset,
            Setting::Unknown => Setting::Unknown,
            Setting::Known(value) => Setting::Known(Secret::new(value)),
        }
    }
}

pub(crate) fn setting(
    config: &Value,
    name: &str,
    env_name: Option<&str>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Setting {
    match config.get_attr(name) {
        Some(Value::Unknown) => Setting::Unknown,
        Some(Value::String(text)) => Setting::Known(text.clone()),
        Some(Value::Number(number)) => Setting::Known(number.to_decimal_string()),
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
    /// Every setting is known and valid, for a self-hosted server (`/api/v3`).
    SelfHosted(Box<ClientConfig>, SelfHostedProduct),
    /// Some setting depends on values not known yet; the provider cannot talk
    /// to the API in this phase (plan), and will be configured again at apply.
    NotYetKnown,
}

/// Checks the values that are known, on their attributes. Unknown values pass.
pub(crate) fn validate(config: &Value) -> Diagnostics {
    let mut diagnostics = Diagnostics::new();
    let no_env = |_: &str| None;
    for name in ["url", "host"] {
        if let Setting::Known(url) = setting(config, name, None, &no_env)
            && let Err(problem) = check_url(&url)
        {
            diagnostics.attribute_error(Path::root(name), "Invalid Provider URL", problem);
        }
    }
    self_hosted_config::validate(config, &mut diagnostics);
    for name in ["account_id", "cluster_id"] {
        if let Setting::Known(id) = setting(config, name, None, &no_env)
            && let Err(problem) = check_uuid(name, &id)
        {
            diagnostics.attribute_error(Path::root(name), "Invalid Identifier", problem);
        }
    }
    if let Setting::Known(text) = setting(config, "request_timeout", None, &no_env)
        && let Err(problem) = parse_duration(&text)
    {
        diagnostics.attribute_error(
            Path::root("request_timeout"),
            "Invalid Request Timeout",
            problem,
        );
    }
    if let Setting::Known(text) = setting(config, "max_retries", None, &no_env)
        && let Err(problem) = parse_retries(&text)
    {
        diagnostics.attribute_error(Path::root("max_retries"), "Invalid Retry Count", problem);
    }
    if let Setting::Known(token) = setting(config, "token", None, &no_env).into_secret()
        && token.is_blank()
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
    match setting(config, "product", Some("INFLUXDB3_PRODUCT"), env) {
        Setting::Unknown => {
            return if diagnostics.has_error() {
                Err(diagnostics)
            } else {
                Ok(ResolvedConfig::NotYetKnown)
            };
        }
        Setting::Known(text) => match Product::parse(&text) {
            Ok(Product::SelfHosted(product)) => {
                return self_hosted_config::resolve(config, env, user_agent, product, diagnostics);
            }
            Ok(product) => {
                self_hosted_config::check_management_product(config, env, product, &mut diagnostics)
            }
            Err(problem) => {
                diagnostics.attribute_error(Path::root("product"), "Invalid Product", problem);
                return Err(diagnostics);
            }
        },
        Setting::Unset => {}
    }
    let url = match setting(config, "host", None, env) {
        Setting::Unset => setting(config, "url", Some("INFLUXDB3_URL"), env),
        host => host,
    };
    let account_id = setting(config, "account_id", Some("INFLUXDB3_ACCOUNT_ID"), env);
    let cluster_id = setting(config, "cluster_id", Some("INFLUXDB3_CLUSTER_ID"), env);
    let token = setting(config, "token", Some("INFLUXDB3_TOKEN"), env).into_secret();
    let ca_certificate = setting(config, "ca_certificate", None, env);
    let request_timeout = setting(
        config,
        "request_timeout",
        Some("INFLUXDB3_REQUEST_TIMEOUT"),
        env,
    );
    let max_retries = setting(config, "max_retries", Some("INFLUXDB3_MAX_RETRIES"), env);

    let all = [
        &url,
        &account_id,
        &cluster_id,
        &ca_certificate,
        &request_timeout,
        &max_retries,
    ];
    if token == Setting::Unknown || all.iter().any(|s| **s == Setting::Unknown) {
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
    let cluster_id = match cluster_id {
        Setting::Known(id) => match check_uuid("cluster_id", &id) {
            Ok(id) => Some(id),
            Err(problem) => {
                diagnostics.attribute_error(
                    Path::root("cluster_id"),
                    "Invalid Identifier",
                    problem,
                );
                None
            }
        },
        _ => None,
    };
    let token = match token {
        Setting::Known(token) if !token.is_blank() => Some(token),
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
    let options = ClientOptions::parse(
        request_timeout,
        max_retries,
        ca_certificate,
        &mut diagnostics,
    );
    if diagnostics.has_error() {
        return Err(diagnostics);
    }
    let Some(token) = token else {
        return Err(diagnostics);
    };
    let mut client = ClientConfig::new(url, account_id, token);
    client.cluster_id = cluster_id;
    client.user_agent = user_agent;
    options.apply(&mut client);
    Ok(ResolvedConfig::Ready(Box::new(client)))
}

/// Parses `500ms`, `30s`, `2m` (a whole number and a unit), within 1 ms..=1 h.
pub(crate) fn parse_duration(text: &str) -> Result<std::time::Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let amount: u64 = digits
        .parse()
        .map_err(|_| format!("{text:?} is not a duration such as \"30s\"."))?;
    let duration = match unit {
        "ms" => std::time::Duration::from_millis(amount),
        "s" => std::time::Duration::from_secs(amount),
        "m" => std::time::Duration::from_secs(amount.saturating_mul(60)),
        _ => {
            return Err(format!(
                "{text:?} is not a duration such as \"30s\": use ms, s or m."
            ));
        }
    };
    if duration < std::time::Duration::from_millis(1)
        || duration > std::time::Duration::from_secs(3600)
    {
        return Err(format!("{text:?} is out of range: use 1ms to 60m."));
    }
    Ok(duration)
}

pub(crate) fn parse_retries(text: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(retries) if retries <= 20 => Ok(retries),
        _ => Err(format!("{text:?} is not a whole number from 0 to 20.")),
    }
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
    if authority.contains('@') {
        return Err(
            "The URL must not contain a user name or password: put the management token in `token`."
                .to_string(),
        );
    }
    let host_port = authority;
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
        let mut attributes: std::collections::BTreeMap<String, Value> = [
            "product",
            "host",
            "url",
            "account_id",
            "cluster_id",
            "token",
            "ca_certificate",
            "request_timeout",
            "max_retries",
        ]
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
            "https://user:pw@host",
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
            "INFLUXDB3_CLUSTER_ID" => Some("7c9e6679-7425-40de-944b-e07fc1f90ae7".to_string()),
            _ => None,
        };
        let value = config(&[("url", Value::string("http://127.0.0.1:2"))]);
        let ResolvedConfig::Ready(client) = resolve(&value, &env, "ua".into()).unwrap() else {
            panic!()
        };
        assert_eq!(client.base_url, "http://127.0.0.1:2");
        assert_eq!(client.token.expose(), "env-token");
        assert!(client.account_id.is_some());
        assert_eq!(
            client.cluster_id.map(|id| id.to_string()).as_deref(),
            Some("7c9e6679-7425-40de-944b-e07fc1f90ae7"),
            "the cluster id reaches the client"
        );
        let debug = format!(
            "{client:?} {:?}",
            setting(&value, "token", Some("INFLUXDB3_TOKEN"), &env).into_secret()
        );
        assert!(
            !debug.contains("env-token") && debug.contains("<redacted>"),
            "{debug}"
        );
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
    fn timeouts_and_retries() {
        assert_eq!(
            parse_duration("500ms"),
            Ok(std::time::Duration::from_millis(500))
        );
        assert_eq!(
            parse_duration("2m"),
            Ok(std::time::Duration::from_secs(120))
        );
        for bad in ["", "30", "1h", "-1s", "0s", "61m", "x"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
        let env = |name: &str| match name {
            "INFLUXDB3_TOKEN" => Some("t".to_string()),
            "INFLUXDB3_REQUEST_TIMEOUT" => Some("300ms".to_string()),
            _ => None,
        };
        let value = config(&[("max_retries", Value::number(0))]);
        let ResolvedConfig::Ready(client) = resolve(&value, &env, "ua".into()).unwrap() else {
            panic!()
        };
        assert_eq!(
            client.request_timeout,
            std::time::Duration::from_millis(300)
        );
        assert_eq!(client.retry.max_attempts, 1);
        let diagnostics = validate(&config(&[
            ("max_retries", Value::number(99)),
            ("request_timeout", Value::string("soon")),
        ]));
        assert_eq!(paths(&diagnostics), vec!["request_timeout", "max_retries"]);
    }

    #[test]
    fn schema_is_valid() {
        provider_schema().validate().unwrap();
    }
}
