# A management token that never expires.
resource "influxdb3_management_token" "ci" {
  description = "CI pipeline (managed by Terraform)"
}

# A token with a fixed expiry. Changing any argument replaces the token;
# create_before_destroy mints the new one before the old one is revoked.
resource "influxdb3_management_token" "reporting" {
  description = "Monthly reporting job"
  expires_at  = "2030-01-01T00:00:00Z"

  lifecycle {
    create_before_destroy = true
  }
}

# The secret is only known to the resource that created the token.
output "ci_access_token" {
  value     = influxdb3_management_token.ci.access_token
  sensitive = true
}
