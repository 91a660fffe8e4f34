# `terraform query` (Terraform 1.14+) lists the cluster's database tokens
# with the list block in database_tokens.tfquery.hcl:
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

provider "influxdb3" {}
