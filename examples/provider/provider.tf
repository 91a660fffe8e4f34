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
