# One rotating management token per team, from the rotating-token module.
#
#   terraform apply                              # first tokens, rotation "2026-11"
#   terraform apply -var rotation_key=2026-12    # new tokens first, then the old ones revoked

terraform {
  required_version = ">= 1.5"

  required_providers {
    influxdb3 = {
      source = "influxdb3/influxdb3"
    }
  }
}

provider "influxdb3" {}

variable "rotation_key" {
  type        = string
  description = "The current rotation period; change it to rotate every team's token."
  default     = "2026-11"
}

variable "teams" {
  type        = map(string)
  description = "Team name => what its token is for."
  default = {
    analytics = "Analytics dashboards"
    ingest    = "Ingest pipeline"
  }
}

module "team_token" {
  source   = "../rotating-token"
  for_each = var.teams

  description  = "${each.key}: ${each.value}"
  rotation_key = var.rotation_key
}

output "token_ids" {
  description = "Team name => id of its current token."
  value       = { for team, token in module.team_token : team => token.token_id }
}

output "access_tokens" {
  description = "Team name => secret of its current token (read with `terraform output -json access_tokens`)."
  value       = { for team, token in module.team_token : team => token.access_token }
  sensitive   = true
}
