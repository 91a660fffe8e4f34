# Import an existing database by its name. The server's list of databases does
# not show retention periods: the first apply after an import sets the one in
# the configuration.
terraform import influxdb3_self_hosted_database.sensors sensors
