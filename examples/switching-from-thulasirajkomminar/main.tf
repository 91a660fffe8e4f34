# After `terraform state replace-provider registry.terraform.io/thulasirajkomminar/influxdb3
# registry.terraform.io/influxdb3/influxdb3` (see the guide "Switching from
# thulasirajkomminar/influxdb3"): the instances of influxdb3_database and
# influxdb3_table keep their addresses; those of the Cloud types move.

terraform {
  required_version = ">= 1.8"

  required_providers {
    influxdb3 = {
      source = "influxdb3/influxdb3"
    }
  }
}

moved {
  from = influxdb3_cloud_database.signals
  to   = influxdb3_database.signals
}

resource "influxdb3_database" "signals" {
  name             = "signals"
  retention_period = "7d" # was 604800000000000 (nanoseconds)

  partition_template = [
    { type = "tag", value = "line" },
    # was value = jsonencode({ "tagName" : "temperature", "numberOfBuckets" : 10 })
    { type = "bucket", value = "temperature", number_of_buckets = 10 },
  ]
}

moved {
  from = influxdb3_cloud_table.sensors
  to   = influxdb3_table.sensors
}

resource "influxdb3_table" "sensors" {
  database_name = influxdb3_database.signals.name
  name          = "sensors"
}
