# Import an existing distinct value cache as DATABASE/TABLE/NAME. Every argument
# is read from the database's system.distinct_caches table.
terraform import influxdb3_self_hosted_distinct_cache.cpu_hosts sensors/cpu/cpu_hosts
