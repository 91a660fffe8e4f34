# Delete a token of an InfluxDB 3 Core or Enterprise server that Terraform
# does not manage (Terraform 1.14+), by its name:
#   terraform apply -invoke=action.influxdb3_delete_self_hosted_token.leaked \
#     -var token_name=ci-2025
# The token stops working at once. A name the server does not know fails.

terraform {
  required_version = ">= 1.14"

  required_providers {
    influxdb3 = {
      source = "influxdb3/influxdb3"
    }
  }
}

provider "influxdb3" {
  product = "core"
  host    = "https://influxdb.example.com:8181"
  token   = var.operator_token
}

variable "token_name" {
  type        = string
  description = "The name of the token to delete, as `influxdb3 show tokens` lists it."
}

variable "operator_token" {
  type      = string
  sensitive = true
}

action "influxdb3_delete_self_hosted_token" "leaked" {
  config {
    token_name = var.token_name
  }
}
