# A long-lived bootstrap token configures the default provider; it only mints
# short-lived tokens. Each Terraform run mints one (during plan and again
# during apply), uses it through an aliased provider for the run's work, and
# revokes it when the run is done. Nothing of it reaches the state or a saved
# plan. Needs Terraform 1.10 or later.
#   INFLUXDB3_TOKEN=<bootstrap token> terraform apply

terraform {
  required_version = ">= 1.10"

  required_providers {
    influxdb3 = {
      source = "influxdb3/influxdb3"
    }
  }
}

variable "account_id" {
  type        = string
  description = "The Cloud Dedicated account id."
}

# Token from INFLUXDB3_TOKEN: the bootstrap token.
provider "influxdb3" {
  account_id = var.account_id
}

ephemeral "influxdb3_management_token" "run" {
  description = "terraform run"
  # Revoked when the run ends; expires on its own after 30 minutes otherwise.
  expires_in = "30m"
}

provider "influxdb3" {
  alias      = "run"
  account_id = var.account_id
  token      = ephemeral.influxdb3_management_token.run.access_token
}

# The run's work, done with the short-lived token.
resource "influxdb3_management_token" "ci" {
  provider    = influxdb3.run
  description = "CI pipeline"
}
