provider "influxdb3" {
  product = "core"
  host    = "http://127.0.0.1:8181"
  token   = var.admin_token
}

resource "influxdb3_self_hosted_database" "sensors" {
  name = "sensors"
}

resource "influxdb3_self_hosted_table" "cpu" {
  database = influxdb3_self_hosted_database.sensors.name
  name     = "cpu"
  tags     = ["host", "region"]
  fields = {
    usage_percent = "float64"
  }
}

# The last 5 values of usage_percent per host, for
# SELECT * FROM last_cache('cpu', 'cpu_latest').
resource "influxdb3_self_hosted_last_cache" "cpu_latest" {
  database      = influxdb3_self_hosted_table.cpu.database
  table         = influxdb3_self_hosted_table.cpu.name
  name          = "cpu_latest"
  key_columns   = ["host"]
  value_columns = ["usage_percent"]
  count_per_key = 5
  ttl_seconds   = 3600
}

variable "admin_token" {
  type      = string
  sensitive = true
}
