# Revoke a management token Terraform does not manage (Terraform 1.14+):
#   terraform apply -invoke=action.influxdb3_revoke_management_token.leaked \
#     -var token_id=0f8fad5b-d9cb-469f-a165-70867728950e
# Invoking it again for the same token succeeds with a warning that it was
# already revoked.

terraform {
  required_version = ">= 1.14"

  required_providers {
    influxdb3 = {
      source = "influxdb3/influxdb3"
    }
  }
}

provider "influxdb3" {}

variable "token_id" {
  type        = string
  description = "The id (a UUID) of the management token to revoke."
}

action "influxdb3_revoke_management_token" "leaked" {
  config {
    token_id = var.token_id
  }
}
