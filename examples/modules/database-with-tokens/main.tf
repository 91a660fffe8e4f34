# A database with a read token and a write token for it.

terraform {
  required_providers {
    influxdb3 = {
      source = "influxdb3/influxdb3"
    }
  }
}

resource "influxdb3_database" "this" {
  name             = var.name
  retention_period = var.retention_period
}

resource "influxdb3_database_token" "read" {
  description = "Read ${influxdb3_database.this.name} (managed by Terraform)"
  permissions = [{ action = "read", resource = influxdb3_database.this.name }]
}

resource "influxdb3_database_token" "write" {
  description = "Write ${influxdb3_database.this.name} (managed by Terraform)"
  permissions = [{ action = "write", resource = influxdb3_database.this.name }]
}
