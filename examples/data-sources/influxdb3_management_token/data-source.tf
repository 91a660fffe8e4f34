# Look up a management token by id, e.g. to check whether it was revoked.
data "influxdb3_management_token" "ci" {
  id = "0f8fad5b-d9cb-469f-a165-70867728950e"
}

output "ci_token_revoked" {
  value = data.influxdb3_management_token.ci.revoked_at != null
}
