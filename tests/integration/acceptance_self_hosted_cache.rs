//! Acceptance: `influxdb3_self_hosted_last_cache` and
//! `influxdb3_self_hosted_distinct_cache` with real Terraform CLIs (1.11.4 and
//! 1.15.5) against the emulator in `--product core` mode: create (unset
//! arguments take the server's values), an empty plan, caches and then their
//! table deleted outside Terraform (reported deleted by a refresh-only plan,
//! created again), import by `DATABASE/TABLE/NAME`, a change that replaces,
//! destroy.

use serde_json::{Value, json};

use crate::support::acceptance::{assert_output_contains, values};
use crate::support::self_hosted::V3Env;
use crate::support::terraform::TerraformCli;

const LAST: &str = "influxdb3_self_hosted_last_cache.latest";
const DISTINCT: &str = "influxdb3_self_hosted_distinct_cache.hosts";
const TABLE: &str = "influxdb3_self_hosted_table.cpu";

fn config(ttl_seconds: u32) -> String {
    format!(
        "resource \"influxdb3_self_hosted_database\" \"sensors\" {{\n  name = \"sensors\"\n}}\n\n\
         resource \"influxdb3_self_hosted_table\" \"cpu\" {{\n  \
         database = influxdb3_self_hosted_database.sensors.name\n  \
         name     = \"cpu\"\n  tags     = [\"host\", \"region\"]\n  \
         fields   = {{ usage = \"float64\", cores = \"uint64\" }}\n}}\n\n\
         resource \"influxdb3_self_hosted_last_cache\" \"latest\" {{\n  \
         database    = influxdb3_self_hosted_table.cpu.database\n  \
         table       = influxdb3_self_hosted_table.cpu.name\n  \
         name        = \"cpu_latest\"\n  key_columns = [\"host\"]\n  \
         ttl_seconds = {ttl_seconds}\n}}\n\n\
         resource \"influxdb3_self_hosted_distinct_cache\" \"hosts\" {{\n  \
         database = influxdb3_self_hosted_table.cpu.database\n  \
         table    = influxdb3_self_hosted_table.cpu.name\n  \
         name     = \"cpu_hosts\"\n  columns  = [\"region\", \"host\"]\n}}\n"
    )
}

fn names(rows: Option<Vec<Value>>) -> Vec<String> {
    rows.unwrap_or_default()
        .iter()
        .filter_map(|row| row["name"].as_str().map(str::to_owned))
        .collect()
}

fn last_caches(env: &V3Env) -> Vec<String> {
    names(env.query("sensors", "SELECT * FROM system.last_caches"))
}

fn distinct_caches(env: &V3Env) -> Vec<String> {
    names(env.query("sensors", "SELECT * FROM system.distinct_caches"))
}

fn delete_cache(env: &V3Env, kind: &str, name: &str) {
    env.call(
        "DELETE",
        &format!("/api/v3/configure/{kind}?db=sensors&table=cpu&name={name}"),
        Some(json!({"db": "sensors", "table": "cpu", "name": name})),
        200,
    );
}

#[test]
fn acc_self_hosted_caches_lifecycle() {
    for cli in TerraformCli::all() {
        let env = V3Env::new(&cli, "core");
        env.write(&config(600));
        let apply = env.wd.apply();
        apply.assert_success();
        assert_output_contains(&apply, &["4 added, 0 changed, 0 destroyed"]);
        let out = env.plan();
        assert_eq!(out.code, 0, "{cli}: plan after apply is not empty:\n{out}");
        assert_eq!(last_caches(&env), vec!["cpu_latest"], "{cli}");
        assert_eq!(distinct_caches(&env), vec!["cpu_hosts"], "{cli}");
        // Unset arguments hold the server's values.
        let show = env.wd.state_json();
        let last = values(&show, LAST);
        assert_eq!(
            last["value_columns"],
            json!(["region", "cores", "usage"]),
            "{cli}"
        );
        assert_eq!(last["count_per_key"], json!(1), "{cli}");
        assert_eq!(last["id"], json!("sensors/cpu/cpu_latest"), "{cli}");
        let distinct = values(&show, DISTINCT);
        assert_eq!(distinct["max_cardinality"], json!(100000), "{cli}");
        assert_eq!(distinct["max_age_seconds"], json!(86400), "{cli}");

        // The caches deleted outside Terraform: gone, created again.
        delete_cache(&env, "last_cache", "cpu_latest");
        delete_cache(&env, "distinct_cache", "cpu_hosts");
        env.assert_refresh_reports_deleted(&[LAST, DISTINCT]);
        let out = env.plan();
        assert_output_contains(&out, &["2 to add, 0 to change, 0 to destroy"]);
        env.wd.apply().assert_success();
        assert_eq!(last_caches(&env), vec!["cpu_latest"], "{cli}");

        // Their table deleted outside Terraform: all three gone.
        env.delete_table("sensors", "cpu");
        env.assert_refresh_reports_deleted(&[TABLE, LAST, DISTINCT]);
        let out = env.plan();
        assert_output_contains(&out, &["3 to add, 0 to change, 0 to destroy"]);
        env.wd.apply().assert_success();
        assert_eq!(distinct_caches(&env), vec!["cpu_hosts"], "{cli}");

        // Import by DATABASE/TABLE/NAME: the arguments read from the system tables.
        env.wd
            .run(&["state", "rm", LAST, DISTINCT])
            .assert_success();
        env.wd
            .import(LAST, "sensors/cpu/cpu_latest")
            .assert_success();
        env.wd
            .import(DISTINCT, "sensors/cpu/cpu_hosts")
            .assert_success();
        let imported = env.wd.state_json();
        assert_eq!(values(&imported, LAST)["ttl_seconds"], json!(600), "{cli}");
        assert_eq!(
            values(&imported, DISTINCT)["columns"],
            json!(["region", "host"]),
            "{cli}"
        );
        let out = env.plan();
        assert_eq!(out.code, 0, "{cli}: plan after import is not empty:\n{out}");
        env.wd.import(LAST, "sensors/cpu/nothing").assert_failure();

        // A cache cannot change: a new TTL replaces it.
        env.write(&config(60));
        let apply = env.wd.apply();
        apply.assert_success();
        assert_output_contains(&apply, &["1 added, 0 changed, 1 destroyed"]);
        let rows = env.query("sensors", "SELECT * FROM system.last_caches");
        assert_eq!(rows.unwrap_or_default()[0]["ttl"], json!(60), "{cli}");

        // Destroying the caches deletes them; then everything goes.
        env.wd
            .run(&[
                "destroy",
                "-auto-approve",
                "-input=false",
                "-target",
                LAST,
                "-target",
                DISTINCT,
            ])
            .assert_success();
        assert!(last_caches(&env).is_empty(), "{cli}");
        assert!(distinct_caches(&env).is_empty(), "{cli}");
        env.wd.destroy().assert_success();
    }
}
