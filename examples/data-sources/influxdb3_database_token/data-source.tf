# One database token by id, revoked ones included (with revoked_at).
data "influxdb3_database_token" "signals" {
  id = "7f7fa77d-b77e-47ba-a777-77cd077d0f7c"
}

output "signals_token_permissions" {
  value = data.influxdb3_database_token.signals.permissions
}
