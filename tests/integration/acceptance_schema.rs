//! Acceptance: real Terraform CLIs (1.11.4 and 1.15.5) launch the provider
//! and read its schema over the plugin protocol (tfplugin6, with mTLS: the
//! tests never set `TF_DISABLE_PLUGIN_TLS`).

use crate::support::terraform::{
    PROVIDER_SOURCE, TerraformCli, TestWorkdir, required_providers_block,
};

/// The harness itself: each CLI runs in a workdir and reports its version.
#[test]
fn harness_runs_both_terraform_versions() {
    for cli in TerraformCli::all() {
        let wd = TestWorkdir::new(&cli);
        let out = wd.run(&["version"]);
        out.assert_success();
        let first = out.stdout.lines().next().unwrap_or_default();
        assert_eq!(
            first,
            format!("Terraform v{}", cli.version),
            "unexpected `terraform version` output from {cli}:\n{out}"
        );
        // The workdir's own CLI config is in use: no complaint about a
        // missing ~/.terraformrc or a leaked TF_CLI_CONFIG_FILE.
        assert!(
            !out.stderr.contains("CLI configuration"),
            "{cli} had CLI configuration problems:\n{out}"
        );
    }
}

/// The harness: `-json` version output is parseable and names the version.
#[test]
fn harness_version_json() {
    for cli in TerraformCli::all() {
        let wd = TestWorkdir::new(&cli);
        let v = wd.run(&["version", "-json"]).assert_success().json();
        assert_eq!(v["terraform_version"], cli.version, "{cli}: {v}");
    }
}

#[test]
fn providers_schema_json_lists_provider_and_resources() {
    for cli in TerraformCli::all() {
        let wd = TestWorkdir::new(&cli);
        wd.write_config(&required_providers_block());
        let out = wd.run(&["providers", "schema", "-json"]);
        assert!(
            out.success(),
            "`terraform providers schema -json` failed with {cli}: the provider binary \
             must speak tfplugin6 over mTLS (Terraform launched it through dev_overrides).\n{out}"
        );
        let schema = out.json();
        let provider = &schema["provider_schemas"][PROVIDER_SOURCE];
        assert!(
            provider.is_object(),
            "{cli}: provider_schemas has no {PROVIDER_SOURCE}:\n{schema:#}"
        );
        assert!(
            provider["provider"]["block"].is_object(),
            "{cli}: {PROVIDER_SOURCE} has no provider schema block:\n{provider:#}"
        );
        assert!(
            provider["resource_schemas"]["influxdb3_management_token"]["block"].is_object(),
            "{cli}: {PROVIDER_SOURCE} has no resource schema influxdb3_management_token:\n{provider:#}"
        );
    }
}
