# Every management token of the account, revoked ones included.
data "influxdb3_management_tokens" "all" {
  include_revoked = true
}

# Active tokens that never expire: candidates for rotation.
output "tokens_without_expiry" {
  value = [
    for token in data.influxdb3_management_tokens.all.tokens : token.id
    if token.revoked_at == null && token.expires_at == null
  ]
}
