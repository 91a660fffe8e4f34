//! Which InfluxDB 3 product the provider talks to, and what that changes.
//!
//! Cloud Dedicated and Clustered are managed through the management API
//! (`/api/v0`, [`super::client`]); Core and Enterprise, the self-hosted
//! products, through their own `/api/v3` API ([`super::v3_client`]).

use std::fmt;

use crate::framework::diag::Diagnostic;

/// The value of the provider's `product` argument (or `INFLUXDB3_PRODUCT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Product {
    /// InfluxDB 3 Cloud Dedicated (`account_id` set).
    CloudDedicated,
    /// InfluxDB 3 Clustered.
    Clustered,
    /// A self-hosted server: InfluxDB 3 Core or Enterprise.
    SelfHosted(SelfHostedProduct),
}

/// The self-hosted products, served by `/api/v3`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SelfHostedProduct {
    /// InfluxDB 3 Core (open source): admin tokens and databases.
    Core,
    /// InfluxDB 3 Enterprise: adds resource tokens with permissions.
    Enterprise,
}

/// The accepted spellings of `product`.
pub const PRODUCT_NAMES: [&str; 4] = ["cloud_dedicated", "clustered", "core", "enterprise"];

impl Product {
    /// Parses the `product` argument.
    pub fn parse(text: &str) -> Result<Self, String> {
        match text.trim() {
            "cloud_dedicated" => Ok(Product::CloudDedicated),
            "clustered" => Ok(Product::Clustered),
            "core" => Ok(Product::SelfHosted(SelfHostedProduct::Core)),
            "enterprise" => Ok(Product::SelfHosted(SelfHostedProduct::Enterprise)),
            other => Err(format!(
                "{other:?} is not a product: use one of \"cloud_dedicated\", \"clustered\", \
                 \"core\" or \"enterprise\"."
            )),
        }
    }
}

impl fmt::Display for Product {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Product::CloudDedicated => f.write_str("InfluxDB 3 Cloud Dedicated"),
            Product::Clustered => f.write_str("InfluxDB 3 Clustered"),
            Product::SelfHosted(product) => product.fmt(f),
        }
    }
}

impl fmt::Display for SelfHostedProduct {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SelfHostedProduct::Core => f.write_str("InfluxDB 3 Core"),
            SelfHostedProduct::Enterprise => f.write_str("InfluxDB 3 Enterprise"),
        }
    }
}

/// The summary of every diagnostic of a type used with a provider
/// configured for a product that does not have it.
pub(crate) const WRONG_PRODUCT: &str = "Resource Not Available For This Product";

/// Which family of products an object type belongs to (a resource, data
/// source, ephemeral resource, list resource or action), and the types of the other family that do the
/// same job: what the diagnostic of its use with a provider configured for
/// the other family names.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ProductScope {
    /// What it is: `resource`, `data source`, `ephemeral resource`,
    /// `list resource`, `action`.
    pub(crate) kind: &'static str,
    /// The type name: `influxdb3_database`.
    pub(crate) type_name: &'static str,
    /// Whether it is a Core/Enterprise (self-hosted) type.
    pub(crate) self_hosted: bool,
    /// The types of the other family to use instead; none when it has none.
    pub(crate) counterparts: &'static [&'static str],
}

impl ProductScope {
    /// A type of Cloud Dedicated and Clustered (the management API).
    pub(crate) const fn cloud(
        kind: &'static str,
        type_name: &'static str,
        counterparts: &'static [&'static str],
    ) -> Self {
        Self {
            kind,
            type_name,
            self_hosted: false,
            counterparts,
        }
    }

    /// A type of Core and Enterprise (the `/api/v3` API).
    pub(crate) const fn self_hosted(
        kind: &'static str,
        type_name: &'static str,
        counterparts: &'static [&'static str],
    ) -> Self {
        Self {
            kind,
            type_name,
            self_hosted: true,
            counterparts,
        }
    }

    /// The diagnostic of this (Cloud) type used with a provider configured
    /// for `configured`, a self-hosted product.
    pub(crate) fn used_with(&self, configured: &Product) -> Diagnostic {
        Diagnostic::error(
            WRONG_PRODUCT,
            format!(
                "The {kind} `{type_name}` belongs to InfluxDB 3 Cloud Dedicated and Clustered; \
                 this provider is configured for {configured}. {instead}, or give this {kind} \
                 a provider alias configured for Cloud Dedicated or Clustered.",
                kind = self.kind,
                type_name = self.type_name,
                instead = self.instead(),
            ),
        )
    }

    /// The diagnostic of this (self-hosted) type used with a provider
    /// configured for Cloud Dedicated or Clustered.
    pub(crate) fn used_with_cloud(&self) -> Diagnostic {
        Diagnostic::error(
            WRONG_PRODUCT,
            format!(
                "The {kind} `{type_name}` manages InfluxDB 3 Core or Enterprise (self-hosted) \
                 servers; this provider is configured for InfluxDB 3 Cloud Dedicated or \
                 Clustered. {instead}, or give this {kind} a provider alias with \
                 `product = \"core\"` or `product = \"enterprise\"` and the server's `host`.",
                kind = self.kind,
                type_name = self.type_name,
                instead = self.instead(),
            ),
        )
    }

    /// "Use `influxdb3_self_hosted_database` with it" (or the family's
    /// prefix when there is no counterpart).
    fn instead(&self) -> String {
        if self.counterparts.is_empty() {
            return if self.self_hosted {
                "Use the Cloud Dedicated and Clustered types with it".to_owned()
            } else {
                "Use the influxdb3_self_hosted_* types with it".to_owned()
            };
        }
        let names: Vec<String> = self
            .counterparts
            .iter()
            .map(|name| format!("`{name}`"))
            .collect();
        format!("Use {} with it", names.join(" or "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_name_and_refuses_others() {
        for name in PRODUCT_NAMES {
            assert!(Product::parse(name).is_ok(), "{name}");
        }
        assert_eq!(
            Product::parse("enterprise"),
            Ok(Product::SelfHosted(SelfHostedProduct::Enterprise))
        );
        for bad in ["", "Core", "serverless", "cloud-dedicated"] {
            assert!(Product::parse(bad).is_err(), "{bad}");
        }
    }
}
