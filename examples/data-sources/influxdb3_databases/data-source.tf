# Every database of the cluster.
data "influxdb3_databases" "all" {}

# Databases that keep their data forever.
output "databases_without_retention" {
  value = [
    for database in data.influxdb3_databases.all.databases : database.name
    if database.retention_period == "0s"
  ]
}
