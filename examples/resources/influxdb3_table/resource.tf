resource "influxdb3_database" "sensors" {
  name             = "sensors"
  retention_period = "30d"
}

# A table with its own partition template (without one, it uses the
# database's). Every argument forces a replacement.
resource "influxdb3_table" "readings" {
  database_name = influxdb3_database.sensors.name
  name          = "readings"

  partition_template = [
    { type = "tag", value = "line" },
    { type = "bucket", value = "sensor_id", number_of_buckets = 50 },
  ]
}
