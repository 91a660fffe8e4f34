provider "influxdb3" {
  product = "core"
  host    = "http://127.0.0.1:8181"
  token   = var.admin_token
}

# Data older than 30 days is dropped; change the period in place.
resource "influxdb3_self_hosted_database" "sensors" {
  name             = "sensors"
  retention_period = "30d"
}

# No retention period: data is kept forever.
resource "influxdb3_self_hosted_database" "archive" {
  name = "archive"
}

variable "admin_token" {
  type      = string
  sensitive = true
}
