//! Which InfluxDB 3 product the provider talks to, and what that changes.
//!
//! Cloud Dedicated and Clustered are managed through the management API
//! (`/api/v0`, [`super::client`]); Core and Enterprise, the self-hosted
//! products, through their own `/api/v3` API ([`super::v3_client`]).

use std::fmt;

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
