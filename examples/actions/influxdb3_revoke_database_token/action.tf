# Revoke a database token Terraform does not manage (Terraform 1.14+):
#   terraform apply -invoke=action.influxdb3_revoke_database_token.leaked \
#     -var token_id=7f7fa77d-b77e-47ba-a777-77cd077d0f7c
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
  description = "The id (a UUID) of the database token to revoke."
}

action "influxdb3_revoke_database_token" "leaked" {
  config {
    token_id = var.token_id
  }
}
