list "influxdb3_enterprise_resource_token" "all" {
  provider = influxdb3
  # Include each token's attributes (needed for -generate-config-out).
  include_resource = true

  config {
    # Expired tokens are left out unless asked for.
    include_expired = false
  }
}
