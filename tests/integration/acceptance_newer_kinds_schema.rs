//! Acceptance: what `terraform providers schema -json` shows of the kinds
//! added in Terraform 1.10-1.14. Terraform 1.15.5 sees the ephemeral
//! resource, the identity schema, the list resource and the action;
//! Terraform 1.11.4 sees the ephemeral resource and is not disturbed by what
//! it does not know.

use crate::support::terraform::{
    PROVIDER_SOURCE, TerraformCli, TestWorkdir, required_providers_block,
};

#[test]
fn acc_schema_advertises_each_kind_to_the_cli_that_knows_it() {
    for cli in TerraformCli::all() {
        let wd = TestWorkdir::new(&cli);
        wd.write_config(&required_providers_block());
        let schema = wd.providers_schema_json();
        let provider = &schema["provider_schemas"][PROVIDER_SOURCE];
        let ephemeral = &provider["ephemeral_resource_schemas"]["influxdb3_management_token"];
        assert_eq!(
            ephemeral["block"]["attributes"]["access_token"]["sensitive"], true,
            "{cli}: {provider:#}"
        );
        if cli.version == "1.11.4" {
            continue;
        }
        let identity = &provider["resource_identity_schemas"]["influxdb3_management_token"];
        assert_eq!(
            identity["attributes"]["id"]["required_for_import"], true,
            "{identity:#}"
        );
        assert_eq!(
            identity["attributes"]["account_id"]["optional_for_import"], true,
            "{identity:#}"
        );
        let list = &provider["list_resource_schemas"]["influxdb3_management_token"];
        assert!(
            list["block"]["attributes"]["include_revoked"].is_object(),
            "{list:#}"
        );
        let action = &provider["action_schemas"]["influxdb3_revoke_management_token"];
        assert_eq!(
            action["block"]["attributes"]["token_id"]["required"], true,
            "{action:#}"
        );
    }
}
