# Import an existing admin token by its name, as `influxdb3 show tokens` lists
# it. An imported token has no `token`: the secret is only returned at creation.
terraform import influxdb3_self_hosted_admin_token.ops ops-automation
