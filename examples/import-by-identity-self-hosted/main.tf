# Import a database and a named admin token of an InfluxDB 3 Core or
# Enterprise server by their resource identity (Terraform 1.12+): the name.
# `terraform query -generate-config-out` writes blocks like these.

terraform {
  required_version = ">= 1.12"

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

variable "operator_token" {
  type      = string
  sensitive = true
}

import {
  to = influxdb3_self_hosted_database.sensors
  identity = {
    name = "sensors"
  }
}

resource "influxdb3_self_hosted_database" "sensors" {
  name = "sensors"
  # The server does not list retention periods: set the one it has, and the
  # first apply after the import sets it again, in place.
  retention_period = "30d"
}

import {
  to = influxdb3_self_hosted_admin_token.ops
  identity = {
    name = "ops-automation"
  }
}

resource "influxdb3_self_hosted_admin_token" "ops" {
  # An imported token has no secret in state (`token` is null), and
  # expiry_secs is not known: leave it out, or the plan replaces the token.
  name = "ops-automation"
}
