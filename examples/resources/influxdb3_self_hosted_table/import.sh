# Import an existing table as DATABASE/TABLE. Its tags and fields are read from
# the table's columns; retention_period is not read back (the next apply sets
# the configured one).
terraform import influxdb3_self_hosted_table.cpu sensors/cpu
