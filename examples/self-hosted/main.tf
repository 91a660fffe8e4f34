# One configuration, two self-hosted servers: an InfluxDB 3 Core node at the
# edge and an InfluxDB 3 Enterprise cluster in the data centre, one provider
# alias each. Run it against two local emulators (after `cargo build --bins`,
# with a Terraform CLI configuration whose dev_overrides name target/debug; see
# docs/guides/self-hosted.md, "Trying it locally"):
#
#   target/debug/influxdb3-emulator --product core --listen 127.0.0.1:8181 --token core-operator
#   target/debug/influxdb3-emulator --product enterprise --listen 127.0.0.1:8182 --token ent-operator
#   terraform apply -var core_token=core-operator -var enterprise_token=ent-operator
terraform {
  required_providers {
    influxdb3 = {
      source = "influxdb3/influxdb3"
    }
  }
}

provider "influxdb3" {
  alias   = "edge"
  product = "core"
  host    = var.core_url
  token   = var.core_token
}

provider "influxdb3" {
  alias   = "central"
  product = "enterprise"
  host    = var.enterprise_url
  token   = var.enterprise_token
}

resource "influxdb3_self_hosted_database" "edge_sensors" {
  provider         = influxdb3.edge
  name             = "sensors"
  retention_period = "7d"
}

resource "influxdb3_self_hosted_admin_token" "edge_ops" {
  provider = influxdb3.edge
  name     = "ops"
}

resource "influxdb3_self_hosted_database" "central_sensors" {
  provider         = influxdb3.central
  name             = "sensors"
  retention_period = "365d"
}

resource "influxdb3_enterprise_resource_token" "edge_forwarder" {
  provider    = influxdb3.central
  name        = "edge-forwarder"
  permissions = ["db:${influxdb3_self_hosted_database.central_sensors.name}:write"]
}

output "edge_ops_token" {
  value     = influxdb3_self_hosted_admin_token.edge_ops.token
  sensitive = true
}

output "edge_forwarder_token" {
  value     = influxdb3_enterprise_resource_token.edge_forwarder.token
  sensitive = true
}

variable "core_url" {
  type    = string
  default = "http://127.0.0.1:8181"
}

variable "enterprise_url" {
  type    = string
  default = "http://127.0.0.1:8182"
}

variable "core_token" {
  type      = string
  sensitive = true
}

variable "enterprise_token" {
  type      = string
  sensitive = true
}
