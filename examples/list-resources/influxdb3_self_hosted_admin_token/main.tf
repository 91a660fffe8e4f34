# `terraform query` (Terraform 1.14+) lists the server's named admin tokens
# (never the operator token _admin) with the list block in admin_tokens.tfquery.hcl:
#   terraform query
#   terraform query -generate-config-out=generated.tf   # import and resource blocks
#   terraform apply                                      # imports them

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

variable "operator_token" {
  type      = string
  sensitive = true
}
