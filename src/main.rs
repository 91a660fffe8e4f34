//! `terraform-provider-influxdb3`: the plugin binary Terraform launches.

use std::process::ExitCode;

use influxdb3_provider::framework::FrameworkServer;
use influxdb3_provider::plugin::{self, PluginIdentity};
use influxdb3_provider::provider::{InfluxDb3Provider, PROVIDER_ADDRESS, PROVIDER_VERSION};

fn main() -> ExitCode {
    let identity = PluginIdentity {
        binary: "terraform-provider-influxdb3",
        version: PROVIDER_VERSION,
        provider_address: PROVIDER_ADDRESS,
    };
    plugin::run(identity, || FrameworkServer::new(InfluxDb3Provider::new()))
}
