terraform {
  required_providers {
    influxdb3 = {
      source = "influxdb3/influxdb3"
    }
  }
}

# InfluxDB 3 Cloud Dedicated. Every argument can come from the environment
# instead (INFLUXDB3_ACCOUNT_ID, INFLUXDB3_TOKEN, ...): `provider "influxdb3" {}`.
provider "influxdb3" {
  account_id = var.account_id
  token      = var.management_token
}

# InfluxDB 3 Clustered: the cluster's URL and no account id. An alias lets one
# configuration manage both.
provider "influxdb3" {
  alias          = "clustered"
  url            = "https://influxdb.example.com"
  token          = var.clustered_management_token
  ca_certificate = file("${path.module}/ca.pem")
}

# InfluxDB 3 Core or Enterprise (self-hosted): the server's host and an admin
# token (INFLUXDB3_PRODUCT, INFLUXDB3_HOST_URL and INFLUXDB3_TOKEN also work).
provider "influxdb3" {
  alias   = "enterprise"
  product = "enterprise"
  host    = "https://influxdb3.example.com:8181"
  token   = var.enterprise_admin_token
}

variable "account_id" {
  type        = string
  description = "Cloud Dedicated account id (a UUID)."
}

variable "management_token" {
  type      = string
  sensitive = true
}

variable "clustered_management_token" {
  type      = string
  sensitive = true
}

variable "enterprise_admin_token" {
  type      = string
  sensitive = true
}
