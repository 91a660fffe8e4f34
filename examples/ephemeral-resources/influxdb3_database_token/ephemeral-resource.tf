# A database token for one Terraform run: minted when the run needs it,
# revoked when the run is done, never written to the state or a saved plan.
# Here it is handed to a check that could query the database during the run.
# Needs Terraform 1.10 or later.

terraform {
  required_version = ">= 1.10"

  required_providers {
    influxdb3 = {
      source = "influxdb3/influxdb3"
    }
  }
}

provider "influxdb3" {}

ephemeral "influxdb3_database_token" "smoke_test" {
  description = "smoke test of this run"
  # Revoked when the run ends; expires on its own after 15 minutes otherwise.
  expires_in  = "15m"
  permissions = [{ action = "read", resource = "signals" }]
}

# Ephemeral values may go to provider blocks, other ephemeral resources and
# write-only arguments; this local is for illustration.
locals {
  smoke_test_token_id = ephemeral.influxdb3_database_token.smoke_test.id
}
