# A database that keeps data for 30 days, with the API's default limits.
resource "influxdb3_database" "metrics" {
  name             = "metrics"
  retention_period = "30d"
}

# A database with its own limits and partition template. max_tables,
# max_columns_per_table and retention_period change in place; a new name or
# partition_template replaces the database (and deletes its data).
resource "influxdb3_database" "sensors" {
  name                  = "sensors"
  retention_period      = "720h" # the same as "30d": no change is planned
  max_tables            = 100
  max_columns_per_table = 250

  partition_template = [
    { type = "tag", value = "region" },
    { type = "time", value = "%Y-%m-%d" },
    { type = "bucket", value = "sensor_id", number_of_buckets = 100 },
  ]
}
