//! Acceptance: the identity of `influxdb3_database` (Terraform 1.12+) and
//! `list "influxdb3_database"` with `terraform query` (1.14+), so 1.15.5
//! only: create and refresh store `{ account_id, cluster_id, name }`, an
//! `import {}` block with `identity` imports a database, and the query's
//! generated configuration imports the listed databases. Cloud Dedicated
//! and Clustered.

use serde_json::Value;

use crate::acceptance_database::{api, block_on};
use crate::client_databases::database_request;
use crate::support::acceptance::{AccEnv, assert_output_contains, generate_config_keeping};
use crate::support::terraform::TerraformCli;

#[track_caller]
fn stored_identity(env: &AccEnv, name: &str) -> Value {
    let text = std::fs::read_to_string(env.wd.path().join("terraform.tfstate")).unwrap();
    let state: Value = serde_json::from_str(&text).unwrap();
    let resource = state["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["type"] == "influxdb3_database" && r["name"] == name)
        .unwrap_or_else(|| panic!("no influxdb3_database.{name} in {text}"));
    resource["instances"][0]["identity"].clone()
}

#[test]
fn acc_database_identity_and_query() {
    let cli = TerraformCli::get("1.15.5");
    for clustered in [false, true] {
        let env = AccEnv::for_cluster(&cli, clustered);
        let (account, cluster) = if clustered {
            (Value::Null, Value::Null)
        } else {
            (
                Value::from(env.emulator.account_id().to_string()),
                Value::from(env.emulator.cluster_id().to_string()),
            )
        };
        env.write("resource \"influxdb3_database\" \"made\" {\n  name = \"made\"\n}\n");
        env.wd.apply().assert_success();
        let created = stored_identity(&env, "made");
        assert_eq!(created["name"], "made", "{created:#}");
        assert_eq!(created["account_id"], account, "{created:#}");
        assert_eq!(created["cluster_id"], cluster, "{created:#}");

        // Made outside Terraform: one imported by identity, two by the query.
        let client = api(&env, clustered);
        for name in ["by_identity", "queried_1", "queried_2"] {
            block_on(client.create_database(&database_request(name))).expect("create");
        }
        let identity = if clustered {
            "name = \"by_identity\"".to_string()
        } else {
            format!(
                "name = \"by_identity\"\n    account_id = \"{}\"\n    cluster_id = \"{}\"",
                env.emulator.account_id(),
                env.emulator.cluster_id()
            )
        };
        env.write(&format!(
            "resource \"influxdb3_database\" \"made\" {{\n  name = \"made\"\n}}\n\
             import {{\n  to = influxdb3_database.by_identity\n  identity = {{\n    {identity}\n  }}\n}}\n\
             resource \"influxdb3_database\" \"by_identity\" {{\n  name = \"by_identity\"\n}}\n"
        ));
        let import = env.wd.apply();
        import.assert_success();
        assert_output_contains(&import, &["1 imported, 0 added, 0 changed, 0 destroyed"]);
        assert_eq!(stored_identity(&env, "by_identity")["name"], "by_identity");
        assert_eq!(env.wd.plan_detailed_exitcode(), 0, "plan after import");

        env.wd.write_file(
            "all.tfquery.hcl",
            "list \"influxdb3_database\" \"all\" {\n  provider = influxdb3\n  include_resource = true\n}\n",
        );
        let query = env.wd.run(&["query", "-no-color"]);
        query.assert_success();
        assert_output_contains(&query, &["queried_1", "queried_2", "by_identity", "made"]);
        // Generate configuration for the two not managed yet.
        // Keep only the blocks of the databases Terraform does not manage yet.
        let generated = generate_config_keeping(&env.wd, "queried_");
        assert!(
            generated.contains("queried_1") && generated.contains("identity"),
            "{generated}"
        );
        let apply = env.wd.apply();
        apply.assert_success();
        assert_output_contains(&apply, &["2 imported, 0 added, 0 changed, 0 destroyed"]);
        assert_eq!(
            env.wd.plan_detailed_exitcode(),
            0,
            "the plan after importing the generated configuration is not empty"
        );
        env.finish("acc_database_identity_and_query");
    }
}
