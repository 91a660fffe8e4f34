# A management token that is rotated on a schedule you choose.
#
# Change `rotation_key` (e.g. from "2026-11" to "2026-12") to rotate: the key
# is part of the token's description, so a new key means a new token.
# create_before_destroy mints the new token first, so everything that reads
# `access_token` is updated before the old token is revoked.

terraform {
  required_version = ">= 1.5"

  required_providers {
    influxdb3 = {
      source = "influxdb3/influxdb3"
    }
  }
}

resource "influxdb3_management_token" "this" {
  description = "${var.description} (rotation ${var.rotation_key})"
  expires_at  = var.expires_at

  lifecycle {
    create_before_destroy = true
  }
}
