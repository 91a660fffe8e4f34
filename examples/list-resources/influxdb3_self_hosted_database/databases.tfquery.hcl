list "influxdb3_self_hosted_database" "all" {
  provider = influxdb3
  # Include each database's attributes (needed for -generate-config-out).
  include_resource = true
}
