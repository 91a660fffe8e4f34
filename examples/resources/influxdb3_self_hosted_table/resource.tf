provider "influxdb3" {
  product = "enterprise"
  host    = "http://127.0.0.1:8181"
  token   = var.admin_token
}

resource "influxdb3_self_hosted_database" "sensors" {
  name = "sensors"
}

# Tags in series-key order (most queried first) and typed fields, fixed before
# the first write. Changing any of them replaces the table.
resource "influxdb3_self_hosted_table" "cpu" {
  database = influxdb3_self_hosted_database.sensors.name
  name     = "cpu"
  tags     = ["host", "region"]
  fields = {
    usage_percent = "float64"
    cores         = "uint64"
    healthy       = "bool"
  }

  # InfluxDB 3 Enterprise only; changed in place.
  retention_period = "30d"
}

variable "admin_token" {
  type      = string
  sensitive = true
}
