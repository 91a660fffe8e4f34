//! Acceptance: `influxdb3_self_hosted_table` with real Terraform CLIs (1.11.4
//! and 1.15.5) against the emulator in `--product core` and `--product
//! enterprise` mode: create, an empty plan, a table and then its database
//! deleted outside Terraform (reported deleted by a refresh-only plan, created
//! again), import by `DATABASE/TABLE`, destroy; on Enterprise the table's
//! retention period changed in place; on Core that attribute refused at plan.

use crate::support::acceptance::{assert_output_contains, string_attr, values};
use crate::support::self_hosted::V3Env;
use crate::support::terraform::TerraformCli;

const DATABASE: &str = "influxdb3_self_hosted_database.sensors";
const TABLE: &str = "influxdb3_self_hosted_table.cpu";

fn config(retention: &str) -> String {
    format!(
        "resource \"influxdb3_self_hosted_database\" \"sensors\" {{\n  name = \"sensors\"\n}}\n\n\
         resource \"influxdb3_self_hosted_table\" \"cpu\" {{\n  \
         database = influxdb3_self_hosted_database.sensors.name\n  \
         name     = \"cpu\"\n  tags     = [\"host\", \"region\"]\n  \
         fields   = {{ usage = \"float64\", cores = \"uint64\" }}\n{retention}}}\n"
    )
}

const CPU_COLUMNS: [(&str, &str); 5] = [
    ("host", "Dictionary(Int32, Utf8)"),
    ("region", "Dictionary(Int32, Utf8)"),
    ("cores", "UInt64"),
    ("usage", "Float64"),
    ("time", "Timestamp(Nanosecond, None)"),
];

fn assert_cpu_columns(env: &V3Env, cli: &TerraformCli) {
    let columns = env.columns("sensors", "cpu");
    let expected: Vec<(String, String)> = CPU_COLUMNS
        .iter()
        .map(|(name, ty)| ((*name).to_owned(), (*ty).to_owned()))
        .collect();
    assert_eq!(columns, expected, "{cli}");
}

/// Core: the table through its whole life.
#[test]
fn acc_self_hosted_table_core_lifecycle() {
    for cli in TerraformCli::all() {
        let env = V3Env::new(&cli, "core");
        env.write(&config(""));
        let apply = env.wd.apply();
        apply.assert_success();
        assert_output_contains(&apply, &["2 added, 0 changed, 0 destroyed"]);
        let out = env.plan();
        assert_eq!(out.code, 0, "{cli}: plan after apply is not empty:\n{out}");
        assert_cpu_columns(&env, &cli);
        let show = env.wd.state_json();
        let table = values(&show, TABLE);
        assert_eq!(string_attr(table, "id"), "sensors/cpu", "{cli}");
        assert!(table["retention_period"].is_null(), "{cli}: {table:#}");

        // The table deleted outside Terraform: gone, created again.
        env.delete_table("sensors", "cpu");
        env.assert_refresh_reports_deleted(&[TABLE]);
        let out = env.plan();
        assert_eq!(out.code, 2, "{cli}: {out}");
        assert_output_contains(&out, &["1 to add, 0 to change, 0 to destroy"]);
        env.wd.apply().assert_success();
        assert_cpu_columns(&env, &cli);

        // Its database deleted outside Terraform: both gone, both created again.
        env.delete_database("sensors");
        env.assert_refresh_reports_deleted(&[DATABASE, TABLE]);
        let out = env.plan();
        assert_output_contains(&out, &["2 to add, 0 to change, 0 to destroy"]);
        env.wd.apply().assert_success();
        assert_cpu_columns(&env, &cli);

        // Import by DATABASE/TABLE: tags and fields read from the columns.
        env.wd.run(&["state", "rm", TABLE]).assert_success();
        env.wd.import(TABLE, "sensors/cpu").assert_success();
        let imported = env.wd.state_json();
        let table = values(&imported, TABLE);
        assert_eq!(
            table["tags"],
            serde_json::json!(["host", "region"]),
            "{cli}"
        );
        assert_eq!(
            table["fields"],
            serde_json::json!({"usage": "float64", "cores": "uint64"}),
            "{cli}"
        );
        let out = env.plan();
        assert_eq!(out.code, 0, "{cli}: plan after import is not empty:\n{out}");
        let missing = env.wd.import(TABLE, "sensors/nothing");
        missing.assert_failure();

        // A changed tag list replaces the table.
        env.write(&config("").replace("[\"host\", \"region\"]", "[\"host\"]"));
        let out = env.plan();
        assert_output_contains(
            &out,
            &["must be replaced", "1 to add, 0 to change, 1 to destroy"],
        );

        // Destroying the table deletes it; the database stays until it goes too.
        env.wd
            .run(&["destroy", "-auto-approve", "-input=false", "-target", TABLE])
            .assert_success();
        assert!(env.columns("sensors", "cpu").is_empty(), "{cli}");
        env.wd.destroy().assert_success();
        assert_eq!(env.query("sensors", "SELECT 1"), None, "{cli}");
    }
}

/// Core has no table retention period: the plan fails on the attribute,
/// before any request creates something.
#[test]
fn acc_self_hosted_table_core_refuses_a_retention_period() {
    for cli in TerraformCli::all() {
        let env = V3Env::new(&cli, "core");
        env.write(&config("  retention_period = \"30d\"\n"));
        let out = env.wd.plan();
        out.assert_failure();
        assert_output_contains(&out, &["Enterprise-Only Attribute", "retention_period"]);
        let out = env.wd.apply();
        out.assert_failure();
        assert_eq!(
            env.query("sensors", "SELECT 1"),
            None,
            "{cli}: something was created"
        );
    }
}

/// Enterprise: a table retention period, changed in place.
#[test]
fn acc_self_hosted_table_enterprise_retention_in_place() {
    for cli in TerraformCli::all() {
        let env = V3Env::new(&cli, "enterprise");
        env.write(&config("  retention_period = \"30d\"\n"));
        env.wd.apply().assert_success();
        let out = env.plan();
        assert_eq!(out.code, 0, "{cli}: plan after apply is not empty:\n{out}");
        assert_cpu_columns(&env, &cli);

        env.write(&config("  retention_period = \"7d\"\n"));
        let apply = env.wd.apply();
        apply.assert_success();
        assert_output_contains(&apply, &["0 added, 1 changed, 0 destroyed"]);
        env.write(&config(""));
        let apply = env.wd.apply();
        apply.assert_success();
        assert_output_contains(&apply, &["0 added, 1 changed, 0 destroyed"]);
        let out = env.plan();
        assert_eq!(out.code, 0, "{cli}: {out}");
        env.wd.destroy().assert_success();
    }
}

/// Bad arguments of a table and of the caches fail the plan on their
/// attributes, and nothing is created.
#[test]
fn acc_self_hosted_table_and_caches_refuse_bad_arguments() {
    for cli in TerraformCli::all() {
        let env = V3Env::new(&cli, "core");
        env.write(
            "resource \"influxdb3_self_hosted_table\" \"bad\" {\n  database = \"my_db\"\n  \
             name     = \"cpu\"\n  tags     = []\n  fields   = { usage = \"double\" }\n}\n\n\
             resource \"influxdb3_self_hosted_table\" \"clash\" {\n  database = \"sensors\"\n  \
             name     = \"cpu\"\n  tags     = [\"host\", \"host\"]\n  fields   = { host = \"bool\" }\n}\n\n\
             resource \"influxdb3_self_hosted_last_cache\" \"bad\" {\n  database      = \"sensors\"\n  \
             table         = \"cpu\"\n  name          = \"a/b\"\n  count_per_key = 11\n}\n\n\
             resource \"influxdb3_self_hosted_distinct_cache\" \"bad\" {\n  database = \"sensors\"\n  \
             table    = \"cpu\"\n  name     = \"hosts\"\n  columns  = []\n}\n",
        );
        let out = env.wd.plan();
        out.assert_failure();
        assert_output_contains(
            &out,
            &[
                "Invalid Database Name",
                "must list at least one tag",
                "gives field \"usage\" an unknown type",
                "is repeated",
                "both a tag and a field",
                "Invalid Cache Name",
                "must be between 1 and 10",
                "needs at least one column",
            ],
        );
        assert_eq!(
            env.query("sensors", "SELECT 1"),
            None,
            "{cli}: something was created"
        );
    }
}
