# A provider for an InfluxDB 3 Core (or Enterprise) server. host and token can
# come from INFLUXDB3_HOST_URL and INFLUXDB3_TOKEN instead.
provider "influxdb3" {
  product = "core"
  host    = "https://influxdb.example.com:8181"
  token   = var.operator_token
}

# A named admin token that never expires.
resource "influxdb3_self_hosted_admin_token" "ops" {
  name = "ops-automation"
}

# One that expires 30 days after it is created. Changing any argument
# replaces the token; create_before_destroy mints the new one first.
resource "influxdb3_self_hosted_admin_token" "migration" {
  name        = "migration-2026"
  expiry_secs = 30 * 24 * 3600

  lifecycle {
    create_before_destroy = true
  }
}

output "ops_token" {
  value     = influxdb3_self_hosted_admin_token.ops.token
  sensitive = true
}

variable "operator_token" {
  type      = string
  sensitive = true
}
