# Import an existing management token by its id (a UUID), as listed by
# `influxctl management list`. An imported token has no access_token:
# the secret is only returned when a token is created.
terraform import influxdb3_management_token.ci 0f8fad5b-d9cb-469f-a165-70867728950e
