//! Acceptance: resource identity of `influxdb3_management_token` (Terraform
//! 1.12+, so 1.15.5 only; 1.11.4 ignores identities, which the other
//! acceptance tests cover). Create, refresh and import return the same
//! `{ id, account_id }`, stored next to the state; `import {}` blocks with
//! `identity = {...}` import a token made outside Terraform.

use serde_json::Value;

use crate::support::acceptance::{AccEnv, assert_output_contains, string_attr};
use crate::support::terraform::TerraformCli;

/// The stored identity of the root-module resource `type_name.name`, from
/// the state file (where Terraform keeps it with its schema version).
#[track_caller]
fn stored_identity(env: &AccEnv, type_name: &str, name: &str) -> Value {
    let text = std::fs::read_to_string(env.wd.path().join("terraform.tfstate")).unwrap();
    let state: Value = serde_json::from_str(&text).unwrap();
    let resource = state["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["type"] == type_name && r["name"] == name)
        .unwrap_or_else(|| panic!("no {type_name}.{name} in {text}"));
    let instance = &resource["instances"][0];
    assert_eq!(instance["identity_schema_version"], 0, "{instance:#}");
    instance["identity"].clone()
}

#[test]
fn acc_identity_is_returned_by_create_and_read_and_imports() {
    let cli = TerraformCli::get("1.15.5");
    let env = AccEnv::with_env(&cli);
    let account = env.emulator.account_id().to_string();

    env.write("resource \"influxdb3_management_token\" \"made\" {\n  description = \"made\"\n}\n");
    env.wd.apply().assert_success();
    let show = env.wd.state_json();
    let made_id = string_attr(
        crate::support::acceptance::values(&show, "influxdb3_management_token.made"),
        "id",
    )
    .to_string();
    let created = stored_identity(&env, "influxdb3_management_token", "made");
    assert_eq!(created["id"], made_id.as_str(), "{created:#}");
    assert_eq!(created["account_id"], account.as_str(), "{created:#}");

    // A refresh returns the same identity, and the plan stays empty.
    env.wd
        .run(&[
            "apply",
            "-refresh-only",
            "-auto-approve",
            "-input=false",
            "-no-color",
        ])
        .assert_success();
    assert_eq!(
        stored_identity(&env, "influxdb3_management_token", "made"),
        created
    );
    assert_eq!(env.wd.plan_detailed_exitcode(), 0);

    // Import by identity a token made outside Terraform.
    let outside = env.emulator.create("made outside");
    env.write(&format!(
        "resource \"influxdb3_management_token\" \"made\" {{\n  description = \"made\"\n}}\n\
         import {{\n  to       = influxdb3_management_token.outside\n  identity = {{\n    id         = \"{}\"\n    account_id = \"{account}\"\n  }}\n}}\n\
         resource \"influxdb3_management_token\" \"outside\" {{\n  description = \"made outside\"\n}}\n",
        outside.id
    ));
    let import = env.wd.apply();
    import.assert_success();
    assert_output_contains(&import, &["1 imported, 0 added, 0 changed, 0 destroyed"]);
    let imported = stored_identity(&env, "influxdb3_management_token", "outside");
    assert_eq!(imported["id"], outside.id.to_string().as_str());
    assert_eq!(imported["account_id"], account.as_str());
    assert_eq!(
        env.wd.plan_detailed_exitcode(),
        0,
        "plan after import is not empty"
    );
    assert_eq!(env.api_token(outside.id).revoked_at, None);
    env.finish("acc_identity_is_returned_by_create_and_read_and_imports");
}

#[test]
fn acc_identity_import_errors_point_at_the_identity() {
    let cli = TerraformCli::get("1.15.5");
    let env = AccEnv::with_env(&cli);
    env.write(
        "import {\n  to       = influxdb3_management_token.x\n  identity = {\n    id = \"not-a-uuid\"\n  }\n}\n\
         resource \"influxdb3_management_token\" \"x\" {\n  description = \"x\"\n}\n",
    );
    let plan = env.wd.plan();
    plan.assert_failure();
    assert_output_contains(
        &plan,
        &["Invalid Import Identity", "is not a management token id"],
    );

    env.write(&format!(
        "import {{\n  to       = influxdb3_management_token.x\n  identity = {{\n    id = \"{}\"\n  }}\n}}\n\
         resource \"influxdb3_management_token\" \"x\" {{\n  description = \"x\"\n}}\n",
        uuid::Uuid::new_v4()
    ));
    let missing = env.wd.plan();
    missing.assert_failure();
    assert_output_contains(&missing, &["Cannot Import Non-Existent Management Token"]);
    env.finish("acc_identity_import_errors_point_at_the_identity");
}
