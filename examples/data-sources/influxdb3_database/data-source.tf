# A database managed elsewhere, by name.
data "influxdb3_database" "shared" {
  name = "shared"
}

output "shared_retention" {
  value = data.influxdb3_database.shared.retention_period
}
