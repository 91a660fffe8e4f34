//! Acceptance: bad arguments of `influxdb3_database` and `influxdb3_table`
//! fail `terraform plan` with a diagnostic on the attribute (no API call),
//! and a Cloud Dedicated provider without a cluster id fails the plan naming
//! `cluster_id` and `INFLUXDB3_CLUSTER_ID`. Both CLIs. A provider configured
//! for InfluxDB 3 Core fails the plan of a database, a table and the
//! databases data source, naming `influxdb3_self_hosted_database`, and a
//! Cloud Dedicated one that of `influxdb3_self_hosted_database`, naming
//! `influxdb3_database` (1.15.5).

use crate::support::acceptance::{AccEnv, assert_output_contains};
use crate::support::emulator::EmulatorProcess;
use crate::support::terraform::{TerraformCli, TestWorkdir, required_providers_block};

/// One resource per bad input, with what its diagnostic must show: the
/// attribute's source line (Terraform quotes it for a top-level attribute)
/// or the nested attribute's path, and what is wrong.
const CASES: [(&str, &str, &str, &str); 10] = [
    (
        "influxdb3_database",
        "bad_name",
        r#"name = "my db""#,
        "must be a database name",
    ),
    (
        "influxdb3_database",
        "zero_tables",
        "max_tables = 0",
        "must be between 1 and",
    ),
    (
        "influxdb3_database",
        "negative_retention",
        r#"retention_period = "-1h""#,
        "must not be negative",
    ),
    (
        "influxdb3_database",
        "malformed_retention",
        r#"retention_period = "thirty days""#,
        "must be a duration",
    ),
    (
        "influxdb3_database",
        "two_time_parts",
        "partition_template = [",
        "at most one time part",
    ),
    (
        "influxdb3_database",
        "eight_tags",
        "partition_template = [",
        "at most 7 tag and bucket parts",
    ),
    (
        "influxdb3_database",
        "zero_buckets",
        "partition_template[0].number_of_buckets",
        "must be between 1 and 100000",
    ),
    (
        "influxdb3_database",
        "bad_type",
        "partition_template[0].type",
        "must be one of",
    ),
    (
        "influxdb3_table",
        "system_name",
        r#"name = "_system""#,
        "not starting with `_`",
    ),
    (
        "influxdb3_table",
        "bucket_without_count",
        "partition_template[0].number_of_buckets",
        "needs number_of_buckets",
    ),
];

fn bad_config() -> String {
    let eight_tags = (0..8)
        .map(|n| format!("{{ type = \"tag\", value = \"t{n}\" }}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        r#"resource "influxdb3_database" "bad_name" {{
  name = "my db"
}}
resource "influxdb3_database" "zero_tables" {{
  name       = "a"
  max_tables = 0
}}
resource "influxdb3_database" "negative_retention" {{
  name             = "b"
  retention_period = "-1h"
}}
resource "influxdb3_database" "malformed_retention" {{
  name             = "c"
  retention_period = "thirty days"
}}
resource "influxdb3_database" "two_time_parts" {{
  name = "d"
  partition_template = [
    {{ type = "time", value = "%Y" }}, {{ type = "time", value = "%m" }},
  ]
}}
resource "influxdb3_database" "eight_tags" {{
  name = "e"
  partition_template = [
    {eight_tags},
  ]
}}
resource "influxdb3_database" "zero_buckets" {{
  name = "f"
  partition_template = [
    {{ type = "bucket", value = "b", number_of_buckets = 0 }},
  ]
}}
resource "influxdb3_database" "bad_type" {{
  name = "g"
  partition_template = [
    {{ type = "hash", value = "b" }},
  ]
}}
resource "influxdb3_table" "system_name" {{
  database_name = "h"
  name = "_system"
}}
resource "influxdb3_table" "bucket_without_count" {{
  database_name = "h"
  name          = "cpu"
  partition_template = [
    {{ type = "bucket", value = "host" }},
  ]
}}
"#
    )
}

#[test]
fn acc_database_bad_inputs_fail_plan_on_the_attribute() {
    for cli in TerraformCli::all() {
        let env = AccEnv::for_cluster(&cli, false);
        env.write(&bad_config());
        env.emulator.reset_stats();
        let plan = env.plan_detailed();
        assert_eq!(plan.code, 1, "{cli}: expected a failed plan:\n{plan}");
        let stderr = plan.stderr.clone();
        for (type_name, name, line, message) in CASES {
            // Each diagnostic names its resource and the attribute.
            let at = stderr
                .find(&format!("with {type_name}.{name},"))
                .unwrap_or_else(|| panic!("{cli}: no diagnostic for {type_name}.{name}:\n{plan}"));
            let block = &stderr[at..];
            let block = &block[..block[1..].find("Error:").map_or(block.len(), |end| end + 1)];
            let squashed = block.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(
                squashed.contains(line) && squashed.contains(message),
                "{cli}: the diagnostic of {type_name}.{name} does not show {line:?} and say \
                 {message:?}:\n{block}"
            );
        }
        assert_eq!(
            env.emulator.stats()["requests_total"],
            0,
            "{cli}: bad configuration reached the API"
        );
        env.finish("acc_database_bad_inputs_fail_plan_on_the_attribute");
    }
}

#[test]
fn acc_database_without_cluster_id_fails_plan() {
    for cli in TerraformCli::all() {
        let env = AccEnv::with_env(&cli);
        env.write("resource \"influxdb3_database\" \"db\" {\n  name = \"db\"\n}\n");
        let plan = env.plan_detailed();
        assert_eq!(plan.code, 1, "{cli}: expected a failed plan:\n{plan}");
        assert_output_contains(
            &plan,
            &[
                "Error Creating Database",
                "`cluster_id`",
                "INFLUXDB3_CLUSTER_ID",
            ],
        );
        env.finish("acc_database_without_cluster_id_fails_plan");
    }
}

/// The Cloud database and table, and the databases data source, with a
/// provider configured for Core: the plan fails with the product-mismatch
/// diagnostic naming the self-hosted counterpart, before any request.
#[test]
fn acc_database_under_core_names_the_self_hosted_database() {
    let cli = TerraformCli::get("1.15.5");
    let emulator = EmulatorProcess::start_with(&["--product", "core"]);
    let wd = TestWorkdir::new(&cli);
    wd.write_config(&format!(
        "{}\nprovider \"influxdb3\" {{\n  product = \"core\"\n  host    = \"{}\"\n  \
         token   = \"{}\"\n}}\n\n\
         resource \"influxdb3_database\" \"db\" {{\n  name = \"sensors\"\n}}\n\n\
         resource \"influxdb3_table\" \"t\" {{\n  database_name = \"sensors\"\n  name = \"cpu\"\n}}\n\n\
         data \"influxdb3_databases\" \"all\" {{}}\n",
        required_providers_block(),
        emulator.url(),
        emulator.token()
    ));
    let plan = wd.plan();
    plan.assert_failure();
    assert_output_contains(
        &plan,
        &[
            "Error: Resource Not Available For This Product",
            "with influxdb3_database.db,",
            "The resource `influxdb3_database` belongs to InfluxDB 3 Cloud Dedicated and \
             Clustered; this provider is configured for InfluxDB 3 Core. Use \
             `influxdb3_self_hosted_database` with it",
            "with influxdb3_table.t,",
            "The resource `influxdb3_table` belongs to",
            "with data.influxdb3_databases.all,",
            "Use `influxdb3_self_hosted_databases` with it",
        ],
    );
    assert!(
        !plan.combined().contains("Provider Not Configured"),
        "{cli}: {plan}"
    );

    // The mirror: the self-hosted database with a Cloud Dedicated provider.
    let cloud = EmulatorProcess::start();
    wd.write_config(&format!(
        "{}\nprovider \"influxdb3\" {{\n  url        = \"{}\"\n  account_id = \"{}\"\n  \
         cluster_id = \"{}\"\n  token      = \"{}\"\n}}\n\n\
         resource \"influxdb3_self_hosted_database\" \"db\" {{\n  name = \"sensors\"\n}}\n",
        required_providers_block(),
        cloud.url(),
        cloud.account_id(),
        cloud.cluster_id(),
        cloud.token()
    ));
    let plan = wd.plan();
    plan.assert_failure();
    assert_output_contains(
        &plan,
        &[
            "Error: Resource Not Available For This Product",
            "The resource `influxdb3_self_hosted_database` manages InfluxDB 3 Core or \
             Enterprise (self-hosted) servers",
            "Use `influxdb3_database` with it",
        ],
    );
}
