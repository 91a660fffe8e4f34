# Every token of the Core or Enterprise server (no secrets).
data "influxdb3_self_hosted_tokens" "all" {}

output "admin_token_names" {
  value = [for t in data.influxdb3_self_hosted_tokens.all.tokens : t.name if t.admin]
}

output "expiring_tokens" {
  value = [for t in data.influxdb3_self_hosted_tokens.all.tokens : t.name if t.expires_at != null]
}
