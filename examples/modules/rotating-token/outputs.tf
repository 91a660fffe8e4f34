output "token_id" {
  description = "The id of the current token."
  value       = influxdb3_management_token.this.id
}

output "access_token" {
  description = "The secret of the current token."
  value       = influxdb3_management_token.this.access_token
  sensitive   = true
}
