output "database_name" {
  description = "The database name."
  value       = influxdb3_database.this.name
}

output "read_token" {
  description = "The secret of the token that reads the database."
  value       = influxdb3_database_token.read.access_token
  sensitive   = true
}

output "write_token" {
  description = "The secret of the token that writes the database."
  value       = influxdb3_database_token.write.access_token
  sensitive   = true
}
