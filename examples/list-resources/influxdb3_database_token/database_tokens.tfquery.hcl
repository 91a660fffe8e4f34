list "influxdb3_database_token" "all" {
  provider = influxdb3
  # Include each token's attributes (needed for -generate-config-out).
  include_resource = true

  config {
    # Revoked and expired tokens are left out unless this is true.
    include_revoked = false
  }
}
