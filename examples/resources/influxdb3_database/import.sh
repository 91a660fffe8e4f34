# A database is imported by its name.
terraform import influxdb3_database.metrics metrics
