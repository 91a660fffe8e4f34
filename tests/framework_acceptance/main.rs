//! Framework acceptance test: nested attributes, semantic equality, defaults,
//! validators, in-place updates, replacements, `moved` blocks across
//! resource types and state upgrades, through the real Terraform CLIs.
//!
//! A framework feature needs a resource that uses it, and a test-only
//! resource has no place in the real provider binary. So this test binary
//! (`harness = false`) is also a provider: when Terraform launches it (the
//! go-plugin magic cookie is in the environment) it serves the `fwtest`
//! provider of `provider.rs`; otherwise it runs the scenarios, pointing
//! Terraform's `dev_overrides` at a directory holding a
//! `terraform-provider-fwtest` symlink to itself.
//!
//! Run: `cargo test --test framework_acceptance` (part of `make test`); a
//! name filter (`-- moved`) runs only the scenarios whose names contain it.

mod provider;
#[allow(dead_code)]
#[path = "../integration/support/terraform.rs"]
mod terraform;

use std::process::ExitCode;

use influxdb3_provider::framework::FrameworkServer;
use influxdb3_provider::plugin::{self, PluginIdentity};

use terraform::{TerraformCli, TestWorkdir};

const PROVIDER_ADDRESS: &str = "registry.terraform.io/test/fwtest";

fn main() -> ExitCode {
    if std::env::var_os("TF_PLUGIN_MAGIC_COOKIE").is_some() {
        let identity = PluginIdentity {
            binary: "terraform-provider-fwtest",
            version: "0.0.0",
            provider_address: PROVIDER_ADDRESS,
        };
        return plugin::run(identity, || FrameworkServer::new(provider::FwTestProvider));
    }
    let filters = name_filters(std::env::args().skip(1));
    let selected: Vec<&(&str, Scenario)> = SCENARIOS
        .iter()
        .filter(|(name, _)| filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str())))
        .collect();
    if std::env::args().any(|arg| arg == "--list") {
        for (name, _) in &selected {
            println!("{name}: test");
        }
        return ExitCode::SUCCESS;
    }
    let mut failed = Vec::new();
    if selected.is_empty() {
        println!("framework_acceptance: no scenario matches {filters:?}");
        return ExitCode::SUCCESS;
    }
    for cli in TerraformCli::all() {
        for (name, scenario) in &selected {
            let started = std::time::Instant::now();
            let outcome = std::panic::catch_unwind(|| scenario(&cli));
            let status = if outcome.is_ok() { "ok" } else { "FAILED" };
            println!(
                "test {name} (Terraform {}) ... {status} ({:.1} s)",
                cli.version,
                started.elapsed().as_secs_f64()
            );
            if outcome.is_err() {
                failed.push(format!("{name} (Terraform {})", cli.version));
            }
        }
    }
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        eprintln!("failed: {}", failed.join(", "));
        ExitCode::FAILURE
    }
}

/// The test-name filters among libtest-style arguments (`cargo test --
/// moved`): arguments that are neither options nor an option's value. A
/// scenario runs when its name contains one of them (all run without any).
fn name_filters(args: impl Iterator<Item = String>) -> Vec<String> {
    const TAKES_VALUE: [&str; 6] = [
        "--test-threads",
        "--skip",
        "--format",
        "--color",
        "--logfile",
        "-Z",
    ];
    let mut filters = Vec::new();
    let mut skip_value = false;
    for arg in args {
        if std::mem::take(&mut skip_value) {
            continue;
        }
        if TAKES_VALUE.contains(&arg.as_str()) {
            skip_value = true;
        } else if !arg.starts_with('-') {
            filters.push(arg);
        }
    }
    filters
}

type Scenario = fn(&TerraformCli);

const SCENARIOS: [(&str, Scenario); 3] = [
    (
        "nested_attributes_plan_update_and_replace",
        nested_attributes_plan_update_and_replace,
    ),
    (
        "moved_block_across_resource_types",
        moved_block_across_resource_types,
    ),
    (
        "state_upgrade_to_a_new_schema_version",
        state_upgrade_to_a_new_schema_version,
    ),
];

/// A workdir whose CLI config sends `test/fwtest` to this binary.
fn workdir(cli: &TerraformCli) -> TestWorkdir {
    let wd = TestWorkdir::new(cli);
    let plugins = wd
        .path()
        .parent()
        .expect("workdir has a parent")
        .join("plugins");
    std::fs::create_dir_all(&plugins).expect("create plugin dir");
    let me = std::env::current_exe().expect("current executable");
    std::os::unix::fs::symlink(me, plugins.join("terraform-provider-fwtest"))
        .expect("symlink the provider");
    wd.write_cli_config(&format!(
        "provider_installation {{\n  dev_overrides {{\n    \"{PROVIDER_ADDRESS}\" = \"{}\"\n  }}\n  direct {{}}\n}}\n",
        plugins.display()
    ));
    wd
}

fn database_config(
    retention: &str,
    max_tables: Option<u32>,
    buckets: u32,
    bucket_type: &str,
) -> String {
    let max_tables = max_tables.map_or(String::new(), |n| format!("max_tables = {n}"));
    format!(
        r#"terraform {{
  required_providers {{
    fwtest = {{ source = "test/fwtest" }}
  }}
}}

resource "fwtest_database" "db" {{
  name             = "metrics"
  retention_period = "{retention}"
  {max_tables}
  partition_template = [
    {{ type = "tag", value = "region" }},
    {{ type = "{bucket_type}", value = "sensor_id", number_of_buckets = {buckets} }},
  ]
  tags = [
    {{ key = "team", value = "a" }},
    {{ key = "env" }},
  ]
}}
"#
    )
}

fn database_state(wd: &TestWorkdir) -> serde_json::Value {
    let state = wd.state_json();
    state["values"]["root_module"]["resources"]
        .as_array()
        .and_then(|resources| resources.iter().find(|r| r["type"] == "fwtest_database"))
        .map(|resource| resource["values"].clone())
        .unwrap_or_else(|| panic!("no fwtest_database in {state:#}"))
}

fn nested_attributes_plan_update_and_replace(cli: &TerraformCli) {
    let wd = workdir(cli);

    // A validator inside a list element, with its path.
    wd.write_config(&database_config("30d", None, 100, "time"));
    let invalid = wd.run(&["validate"]);
    invalid.assert_failure();
    let text = invalid.combined();
    assert!(
        text.contains(r#"Attribute partition_template[1].type must be one of: "tag", "bucket""#),
        "{text}"
    );

    wd.write_config(&database_config("30d", None, 100, "bucket"));
    wd.apply().assert_success();
    let state = database_state(&wd);
    assert_eq!(
        state["retention_period"], "30d",
        "configured spelling kept: {state:#}"
    );
    assert_eq!(state["max_tables"], 500);
    assert_eq!(state["mode"], "standard", "default filled");
    assert_eq!(state["updated_at"], "created");
    let mut tag_ids: Vec<&str> = state["tags"]
        .as_array()
        .expect("tags")
        .iter()
        .map(|tag| tag["id"].as_str().expect("tag id known"))
        .collect();
    tag_ids.sort();
    assert_eq!(tag_ids, ["tag-env", "tag-team"]);
    assert_eq!(state["partition_template"][1]["number_of_buckets"], 100);
    assert!(state["partition_template"][0]["number_of_buckets"].is_null());

    // The refresh answers "720h": no drift. The other spelling: no change.
    assert_eq!(wd.plan_detailed_exitcode(), 0, "empty plan after apply");
    wd.write_config(&database_config("720h", None, 100, "bucket"));
    assert_eq!(wd.plan_detailed_exitcode(), 0, "720h is 30d");

    // An updatable attribute: an in-place update.
    wd.write_config(&database_config("30d", Some(1000), 100, "bucket"));
    let plan = wd.plan();
    plan.assert_success();
    let text = plan.combined();
    assert!(text.contains("will be updated in-place"), "{text}");
    assert!(text.contains("1 to change, 0 to destroy"), "{text}");
    assert!(!text.contains("must be replaced"), "{text}");
    wd.apply().assert_success();
    let state = database_state(&wd);
    assert_eq!(state["max_tables"], 1000);
    assert_eq!(state["updated_at"], "updated");
    assert_eq!(state["id"], "db-1");
    assert_eq!(wd.plan_detailed_exitcode(), 0, "empty plan after update");

    // A nested value under requires-replace: a replacement.
    wd.write_config(&database_config("30d", Some(1000), 200, "bucket"));
    let plan = wd.plan();
    plan.assert_success();
    let text = plan.combined();
    assert!(text.contains("must be replaced"), "{text}");
    assert!(text.contains("forces replacement"), "{text}");
    wd.apply().assert_success();
    assert_eq!(
        database_state(&wd)["partition_template"][1]["number_of_buckets"],
        200
    );

    wd.destroy().assert_success();
}

fn moved_block_across_resource_types(cli: &TerraformCli) {
    let wd = workdir(cli);
    let header =
        "terraform {\n  required_providers {\n    fwtest = { source = \"test/fwtest\" }\n  }\n}\n";
    wd.write_config(&format!(
        "{header}resource \"fwtest_legacy_database\" \"db\" {{\n  title = \"old\"\n}}\n"
    ));
    wd.apply().assert_success();

    wd.write_config(&format!(
        "{header}moved {{\n  from = fwtest_legacy_database.db\n  to   = fwtest_database.db\n}}\n\
         resource \"fwtest_database\" \"db\" {{\n  name = \"old\"\n}}\n"
    ));
    let applied = wd.apply();
    applied.assert_success();
    let text = applied.combined();
    assert!(text.contains("0 added, 0 changed, 0 destroyed"), "{text}");
    let state = database_state(&wd);
    assert_eq!(state["id"], "legacy-1", "{state:#}");
    assert_eq!(state["updated_at"], "moved");
    assert_eq!(wd.plan_detailed_exitcode(), 0, "empty plan after the move");
    wd.destroy().assert_success();
}

fn state_upgrade_to_a_new_schema_version(cli: &TerraformCli) {
    let mut wd = workdir(cli);
    let header =
        "terraform {\n  required_providers {\n    fwtest = { source = \"test/fwtest\" }\n  }\n}\n";
    wd.write_config(&format!(
        "{header}resource \"fwtest_versioned\" \"v\" {{\n  title  = \"a\"\n  colour = \"red\"\n}}\n"
    ));
    wd.apply().assert_success();

    // The provider now has schema version 1: the stored version-0 state is
    // upgraded (renamed attribute, dropped attribute) and matches the new
    // configuration.
    wd.env("FWTEST_VERSIONED_SCHEMA", "1");
    wd.write_config(&format!(
        "{header}resource \"fwtest_versioned\" \"v\" {{\n  label = \"a\"\n}}\n"
    ));
    assert_eq!(
        wd.plan_detailed_exitcode(),
        0,
        "the upgraded state needs no change"
    );
    wd.apply().assert_success();
    let state = wd.state_json();
    let values = &state["values"]["root_module"]["resources"][0]["values"];
    assert_eq!(values["label"], "a", "{state:#}");
    assert_eq!(values["id"], "v-1");
    assert!(values.get("colour").is_none(), "{state:#}");
    wd.destroy().assert_success();
}
