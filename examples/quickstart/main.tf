# Quickstart: two management tokens, both data sources, and outputs.
#
# No secrets here: the provider reads its settings from the environment.
#   Cloud Dedicated: INFLUXDB3_ACCOUNT_ID and INFLUXDB3_TOKEN (INFLUXDB3_URL unset)
#   Clustered:       INFLUXDB3_URL and INFLUXDB3_TOKEN
#   Local emulator:  `make demo` sets all three for you.

terraform {
  required_version = ">= 1.5"

  required_providers {
    influxdb3 = {
      source = "influxdb3/influxdb3"
    }
  }
}

provider "influxdb3" {}

# A token that never expires.
resource "influxdb3_management_token" "ci" {
  description = "CI pipeline (managed by Terraform)"
}

# A token that expires 30 days after it is created. plantimestamp() changes
# on every plan, so ignore_changes keeps the expiry chosen at creation instead
# of replacing the token each time.
resource "influxdb3_management_token" "temporary" {
  description = "Temporary access for a data migration"
  expires_at  = timeadd(plantimestamp(), "720h")

  lifecycle {
    ignore_changes = [expires_at]
  }
}

# One token by id: the data source also sees revoked and expired tokens.
data "influxdb3_management_token" "ci" {
  id = influxdb3_management_token.ci.id
}

# Every active token of the account.
data "influxdb3_management_tokens" "active" {
  depends_on = [influxdb3_management_token.ci, influxdb3_management_token.temporary]
}

output "ci_token_id" {
  description = "The id of the CI token: use it with influxctl or terraform import."
  value       = influxdb3_management_token.ci.id
}

output "ci_token_prefix" {
  description = "The first characters of the CI token's secret, safe to show."
  value       = data.influxdb3_management_token.ci.token_prefix
}

output "temporary_token_expires_at" {
  value = influxdb3_management_token.temporary.expires_at
}

output "active_token_descriptions" {
  description = "Descriptions of every active token of the account, oldest first."
  value       = [for token in data.influxdb3_management_tokens.active.tokens : token.description]
}

# The secret itself. Terraform hides it in plans and outputs; read it with
#   terraform output -raw ci_access_token
output "ci_access_token" {
  value     = influxdb3_management_token.ci.access_token
  sensitive = true
}
