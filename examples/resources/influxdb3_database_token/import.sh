# Import an existing database token by its id (a UUID), as listed by
# `influxctl token list`. An imported token has no access_token: the secret
# is only returned when a token is created.
terraform import influxdb3_database_token.signals 7f7fa77d-b77e-47ba-a777-77cd077d0f7c
