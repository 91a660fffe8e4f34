# Import an existing last value cache as DATABASE/TABLE/NAME. Every argument is
# read from the database's system.last_caches table.
terraform import influxdb3_self_hosted_last_cache.cpu_latest sensors/cpu/cpu_latest
