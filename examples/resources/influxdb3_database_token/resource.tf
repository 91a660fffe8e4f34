# A token that queries the "signals" database and writes to every database.
# Changing description or permissions updates the token in place (same id,
# same secret).
resource "influxdb3_database_token" "signals" {
  description = "Signals dashboard (managed by Terraform)"

  permissions = [
    { action = "read", resource = "signals" },
    { action = "write", resource = "*" },
  ]
}

# A token with a fixed expiry. Changing expires_at replaces the token;
# create_before_destroy mints the new one before the old one is revoked.
resource "influxdb3_database_token" "ingest" {
  description = "Ingest job"
  permissions = [{ action = "write", resource = "signals" }]
  expires_at  = "2030-01-01T00:00:00Z"

  lifecycle {
    create_before_destroy = true
  }
}

# The secret is only known to the resource that created the token.
output "signals_access_token" {
  value     = influxdb3_database_token.signals.access_token
  sensitive = true
}
