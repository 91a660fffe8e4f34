# Every active database token of the cluster; no secrets.
data "influxdb3_database_tokens" "active" {}

# Revoked tokens too.
data "influxdb3_database_tokens" "all" {
  include_revoked = true
}

output "active_database_token_descriptions" {
  value = [for token in data.influxdb3_database_tokens.active.tokens : token.description]
}
