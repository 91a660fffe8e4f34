//! The provider configuration of the self-hosted products (InfluxDB 3 Core and
//! Enterprise), and the checks `product` adds for the others.
//!
//! A self-hosted provider needs `host` (or `url`) and an admin `token`, each
//! from the environment too (`INFLUXDB3_HOST_URL` or `INFLUXDB3_URL`;
//! `INFLUXDB3_TOKEN` or `INFLUXDB3_AUTH_TOKEN`, the `influxdb3` CLI's names),
//! and refuses `account_id` and `cluster_id`, which only Cloud Dedicated has.

use crate::framework::diag::Diagnostics;
use crate::framework::path::Path;
use crate::framework::value::Value;

use super::client::{ClientConfig, Secret};
use super::client_options::ClientOptions;
use super::config::{ResolvedConfig, Setting, check_url, setting};
use super::product::{Product, SelfHostedProduct};

/// Checks the known values `product` constrains, on their attributes.
pub(crate) fn validate(config: &Value, diagnostics: &mut Diagnostics) {
    let no_env = |_: &str| None;
    if let (Setting::Known(_), Setting::Known(_)) = (
        setting(config, "host", None, &no_env),
        setting(config, "url", None, &no_env),
    ) {
        diagnostics.attribute_error(
            Path::root("host"),
            "Conflicting Provider URL",
            "`host` and `url` are two names for the server's URL: set only one of them.",
        );
    }
    let Setting::Known(text) = setting(config, "product", None, &no_env) else {
        return;
    };
    match Product::parse(&text) {
        Err(problem) => {
            diagnostics.attribute_error(Path::root("product"), "Invalid Product", problem);
        }
        Ok(Product::SelfHosted(product)) => {
            for name in ["account_id", "cluster_id"] {
                if setting(config, name, None, &no_env) != Setting::Unset {
                    diagnostics.attribute_error(
                        Path::root(name),
                        "Argument Not Used By This Product",
                        format!(
                            "`{name}` identifies an InfluxDB 3 Cloud Dedicated account or \
                             cluster; {product} has neither. Remove it, or set `product` to \
                             \"cloud_dedicated\" in a provider alias of its own."
                        ),
                    );
                }
            }
        }
        Ok(_) => {}
    }
}

/// The checks of an explicit `cloud_dedicated` or `clustered` product.
pub(crate) fn check_management_product(
    config: &Value,
    env: &dyn Fn(&str) -> Option<String>,
    product: Product,
    diagnostics: &mut Diagnostics,
) {
    let account_id = setting(config, "account_id", Some("INFLUXDB3_ACCOUNT_ID"), env);
    match (product, account_id) {
        (Product::CloudDedicated, Setting::Unset) => diagnostics.attribute_error(
            Path::root("account_id"),
            "Missing Account ID",
            "InfluxDB 3 Cloud Dedicated needs the account id: set `account_id` or \
             INFLUXDB3_ACCOUNT_ID.",
        ),
        (Product::Clustered, Setting::Known(_)) => diagnostics.attribute_error(
            Path::root("account_id"),
            "Argument Not Used By This Product",
            "InfluxDB 3 Clustered has no account: remove `account_id` (and \
             INFLUXDB3_ACCOUNT_ID), or set `product` to \"cloud_dedicated\".",
        ),
        _ => {}
    }
}

/// Merges config and environment for a self-hosted server (config wins).
pub(crate) fn resolve(
    config: &Value,
    env: &dyn Fn(&str) -> Option<String>,
    user_agent: String,
    product: SelfHostedProduct,
    mut diagnostics: Diagnostics,
) -> Result<ResolvedConfig, Diagnostics> {
    let no_env = |_: &str| None;
    let from_config = match setting(config, "host", None, &no_env) {
        Setting::Unset => setting(config, "url", None, &no_env),
        host => host,
    };
    let url = match from_config {
        Setting::Unset => setting(config, "host", Some("INFLUXDB3_HOST_URL"), env),
        known_or_unknown => known_or_unknown,
    };
    let url = match url {
        Setting::Unset => setting(config, "url", Some("INFLUXDB3_URL"), env),
        other => other,
    };
    let token = match setting(config, "token", Some("INFLUXDB3_TOKEN"), env) {
        Setting::Unset => setting(config, "token", Some("INFLUXDB3_AUTH_TOKEN"), env),
        other => other,
    };
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
        &token,
        &ca_certificate,
        &request_timeout,
        &max_retries,
    ];
    if all.iter().any(|s| **s == Setting::Unknown) {
        return if diagnostics.has_error() {
            Err(diagnostics)
        } else {
            Ok(ResolvedConfig::NotYetKnown)
        };
    }
    let url = match url {
        Setting::Known(url) => {
            if let Err(problem) = check_url(&url) {
                diagnostics.attribute_error(Path::root("host"), "Invalid Provider URL", problem);
            }
            Some(url)
        }
        _ => {
            diagnostics.attribute_error(
                Path::root("host"),
                "Missing Host",
                format!(
                    "The provider needs the URL of the {product} server: set `host` or the \
                     INFLUXDB3_HOST_URL environment variable (for example \
                     \"http://127.0.0.1:8181\")."
                ),
            );
            None
        }
    };
    let token = match token {
        Setting::Known(token) if !token.trim().is_empty() => Some(Secret::new(token)),
        _ => {
            diagnostics.attribute_error(
                Path::root("token"),
                "Missing Admin Token",
                format!(
                    "The provider needs an admin token of the {product} server: set the \
                     provider's `token` argument or the INFLUXDB3_TOKEN environment variable \
                     (create one with `influxdb3 create token --admin`)."
                ),
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
    let (Some(url), Some(token)) = (url, token) else {
        return Err(diagnostics);
    };
    if diagnostics.has_error() {
        return Err(diagnostics);
    }
    let mut client = ClientConfig::new(url, None, token);
    client.user_agent = user_agent;
    options.apply(&mut client);
    Ok(ResolvedConfig::SelfHosted(Box::new(client), product))
}

#[cfg(test)]
mod tests;
