# An admin token of an InfluxDB 3 Core (or Enterprise) server for one
# Terraform run: minted when the run needs it, deleted when the run is done,
# never written to the state or a saved plan. Here it configures a second
# provider, so the long-lived operator token is only used to mint it.
# Needs Terraform 1.10 or later.

terraform {
  required_version = ">= 1.10"

  required_providers {
    influxdb3 = {
      source = "influxdb3/influxdb3"
    }
  }
}

provider "influxdb3" {
  product = "core"
  host    = "https://influxdb.example.com:8181"
  token   = var.operator_token
}

ephemeral "influxdb3_self_hosted_admin_token" "run" {
  # The token is named "ci-run-" plus 12 random hexadecimal digits.
  name_prefix = "ci-run"
  # Deleted when the run ends; expires on its own after 15 minutes otherwise.
  expires_in = "15m"
}

provider "influxdb3" {
  alias   = "run"
  product = "core"
  host    = "https://influxdb.example.com:8181"
  token   = ephemeral.influxdb3_self_hosted_admin_token.run.token
}

resource "influxdb3_self_hosted_database" "sensors" {
  provider = influxdb3.run
  name     = "sensors"
}

variable "operator_token" {
  type      = string
  sensitive = true
}
