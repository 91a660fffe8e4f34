# The active databases of the Core or Enterprise server, `_internal` included.
data "influxdb3_self_hosted_databases" "all" {}

output "user_databases" {
  value = [for name in data.influxdb3_self_hosted_databases.all.names : name if name != "_internal"]
}
