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
  tags     = ["region", "host"]
}

# The distinct regions and their hosts, for
# SELECT * FROM distinct_cache('cpu', 'cpu_hosts').
resource "influxdb3_self_hosted_distinct_cache" "cpu_hosts" {
  database        = influxdb3_self_hosted_table.cpu.database
  table           = influxdb3_self_hosted_table.cpu.name
  name            = "cpu_hosts"
  columns         = ["region", "host"]
  max_cardinality = 10000
  # max_age_seconds left unset: the server's default (1 day).
}

variable "admin_token" {
  type      = string
  sensitive = true
}
