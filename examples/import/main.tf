# Bring an existing management token under Terraform with an import block
# (Terraform 1.6+, which lets the id come from a variable):
#   terraform apply -var token_id=0f8fad5b-d9cb-469f-a165-70867728950e
# `terraform plan -generate-config-out=generated.tf` can write the resource
# block for you instead.

terraform {
  required_version = ">= 1.6"

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
  id = var.token_id
}

resource "influxdb3_management_token" "legacy" {
  # Must match the existing token's description, or Terraform plans a
  # replacement (a new token, the imported one revoked).
  description = "Token created by hand before Terraform"
}
