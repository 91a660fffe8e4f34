# Import an existing resource token by its name. Its permissions are read from
# the server; `token` (the secret) and `expiry_secs` are not known after an
# import, so leave `expiry_secs` out of the configuration of an imported token.
terraform import influxdb3_enterprise_resource_token.collector collector
