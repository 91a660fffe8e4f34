# A read-only resource token of an InfluxDB 3 Enterprise server for one
# Terraform run: minted when the run needs it, deleted when the run is done,
# never written to the state or a saved plan. InfluxDB 3 Core has no resource
# tokens. Needs Terraform 1.10 or later.

terraform {
  required_version = ">= 1.10"

  required_providers {
    influxdb3 = {
      source = "influxdb3/influxdb3"
    }
  }
}

provider "influxdb3" {
  product = "enterprise"
  host    = "https://influxdb.example.com:8181"
  token   = var.operator_token
}

ephemeral "influxdb3_enterprise_resource_token" "smoke_test" {
  name_prefix = "smoke-test"
  expires_in  = "15m"
  permissions = ["db:sensors:read"]
}

# Ephemeral values may go to provider blocks, other ephemeral resources and
# write-only arguments; this local is for illustration.
locals {
  smoke_test_token_name = ephemeral.influxdb3_enterprise_resource_token.smoke_test.name
}

variable "operator_token" {
  type      = string
  sensitive = true
}
