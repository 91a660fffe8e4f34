# Resource tokens exist on InfluxDB 3 Enterprise only.
provider "influxdb3" {
  product = "enterprise"
  host    = "https://influxdb.example.com:8181"
  token   = var.admin_token
}

resource "influxdb3_self_hosted_database" "sensors" {
  name = "sensors"
}

# Read and write one database, read the system endpoints.
resource "influxdb3_enterprise_resource_token" "collector" {
  name = "collector"
  permissions = [
    "db:${influxdb3_self_hosted_database.sensors.name}:read,write",
    "system:*:read",
  ]
}

# Read every database, for 90 days.
resource "influxdb3_enterprise_resource_token" "dashboards" {
  name        = "dashboards"
  permissions = ["db:*:read"]
  expiry_secs = 90 * 24 * 3600
}

output "collector_token" {
  value     = influxdb3_enterprise_resource_token.collector.token
  sensitive = true
}

variable "admin_token" {
  type      = string
  sensitive = true
}
