# Import an existing management token by its resource identity (Terraform
# 1.12+). `terraform query -generate-config-out` writes blocks like these.
#   terraform apply -var token_id=0f8fad5b-d9cb-469f-a165-70867728950e

terraform {
  required_version = ">= 1.12"

  required_providers {
    influxdb3 = {
      source = "influxdb3/influxdb3"
    }
  }
}

provider "influxdb3" {}

variable "token_id" {
  type        = string
  description = "The id (a UUID) of the management token to import."
}

import {
  to = influxdb3_management_token.legacy
  identity = {
    id = var.token_id
    # account_id is optional; when given it must be the provider's account.
  }
}

resource "influxdb3_management_token" "legacy" {
  # Must match the existing token's description, or Terraform plans a
  # replacement.
  description = "Token created by hand before Terraform"
}
