//! Acceptance: `influxdb3_database`, `influxdb3_table` and the
//! `influxdb3_database(s)` data sources, end to end, with both Terraform
//! CLIs against the emulator in both forms (Cloud Dedicated and
//! `--clustered`). One scenario per CLI and form, in few Terraform runs:
//! create, empty plan, another spelling of the retention period (no
//! change), in-place update, replacement, out-of-band delete seen and
//! repaired, import, destroy. Bad inputs, identity, query and moves from
//! the Go provider are in `acceptance_database_errors` and
//! `acceptance_database_newer`.

use influxdb3_provider::api::{CreateTableRequest, Database};
use influxdb3_provider::provider::client::ManagementApiClient;
use serde_json::Value;

use crate::client_databases::{cluster_client, database_request};
use crate::support::acceptance::{AccEnv, assert_output_contains, string_attr, values};
use crate::support::terraform::TerraformCli;

const DAY_NANOS: i64 = 86_400_000_000_000;

/// Runs `future` to its end on a runtime of its own.
pub(crate) fn block_on<T>(future: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(future)
}

/// The API's client for the env's emulator.
pub(crate) fn api(env: &AccEnv, clustered: bool) -> ManagementApiClient {
    cluster_client(&env.emulator, clustered)
}

/// The databases the API lists.
pub(crate) fn api_databases(env: &AccEnv, clustered: bool) -> Vec<Database> {
    block_on(api(env, clustered).list_databases()).expect("list databases")
}

#[track_caller]
fn api_database(env: &AccEnv, clustered: bool, name: &str) -> Database {
    let databases = api_databases(env, clustered);
    databases
        .iter()
        .find(|database| database.name == name)
        .cloned()
        .unwrap_or_else(|| panic!("the API does not list {name:?}: {databases:?}"))
}

fn operation_count(env: &AccEnv, operation: &str) -> u64 {
    env.emulator.stats()["by_operation"][operation]
        .as_u64()
        .unwrap_or(0)
}

fn config(retention: &str, max_tables: u32, plain_name: &str, extra: &str) -> String {
    format!(
        r#"resource "influxdb3_database" "metrics" {{
  name             = "metrics"
  retention_period = "{retention}"
  max_tables       = {max_tables}
  partition_template = [
    {{ type = "tag", value = "region" }},
    {{ type = "time", value = "%Y-%m-%d" }},
    {{ type = "bucket", value = "sensor_id", number_of_buckets = 100 }},
  ]
}}

resource "influxdb3_database" "plain" {{
  name = "{plain_name}"
}}

resource "influxdb3_table" "cpu" {{
  database_name = influxdb3_database.metrics.name
  name          = "cpu"
  partition_template = [
    {{ type = "tag", value = "host" }},
  ]
}}

data "influxdb3_database" "metrics" {{
  name = influxdb3_database.metrics.name
}}

data "influxdb3_databases" "all" {{
  depends_on = [influxdb3_database.metrics, influxdb3_database.plain]
}}
{extra}"#
    )
}

#[test]
fn acc_database_and_table_lifecycle() {
    for cli in TerraformCli::all() {
        for clustered in [false, true] {
            lifecycle(&cli, clustered);
        }
    }
}

fn lifecycle(cli: &TerraformCli, clustered: bool) {
    let form = if clustered {
        "Clustered"
    } else {
        "Cloud Dedicated"
    };
    let env = AccEnv::for_cluster(cli, clustered);

    // Create: two databases, a table, data sources.
    env.write(&config("30d", 100, "plain", ""));
    let apply = env.wd.apply();
    apply.assert_success();
    assert_output_contains(&apply, &["3 added, 0 changed, 0 destroyed"]);
    let show = env.wd.state_json();
    let metrics = values(&show, "influxdb3_database.metrics");
    assert_eq!(string_attr(metrics, "retention_period"), "30d");
    assert_eq!(metrics["max_tables"], 100, "{cli} {form}: {metrics:#}");
    assert_eq!(
        metrics["max_columns_per_table"], 200,
        "{cli} {form}: API default"
    );
    assert_eq!(string_attr(metrics, "id"), "metrics");
    assert_eq!(metrics["partition_template"][2]["number_of_buckets"], 100);
    let plain = values(&show, "influxdb3_database.plain");
    assert_eq!(string_attr(plain, "retention_period"), "0s");
    assert_eq!(plain["max_tables"], 500);
    let cluster = if clustered {
        Value::Null
    } else {
        Value::from(env.emulator.cluster_id().to_string())
    };
    assert_eq!(metrics["cluster_id"], cluster, "{cli} {form}");
    let table = values(&show, "influxdb3_table.cpu");
    assert_eq!(string_attr(table, "id"), "metrics:cpu");
    assert_eq!(table["cluster_id"], cluster, "{cli} {form}");
    let read = values(&show, "data.influxdb3_database.metrics");
    assert_eq!(string_attr(read, "retention_period"), "30d");
    assert_eq!(read["partition_template"][0]["value"], "region");
    let listed = values(&show, "data.influxdb3_databases.all")["databases"]
        .as_array()
        .expect("databases")
        .iter()
        .map(|database| database["name"].as_str().unwrap_or_default().to_owned())
        .collect::<Vec<_>>();
    assert_eq!(listed, ["metrics", "plain"], "{cli} {form}");
    let api_metrics = api_database(&env, clustered, "metrics");
    assert_eq!(api_metrics.retention_period, 30 * DAY_NANOS);
    assert_eq!(api_metrics.max_tables, 100);
    assert_eq!(
        env.wd.plan_detailed_exitcode(),
        0,
        "{cli} {form}: plan after apply is not empty"
    );

    // Another spelling of the same retention period plans nothing.
    env.write(&config("720h", 100, "plain", ""));
    assert_eq!(
        env.wd.plan_detailed_exitcode(),
        0,
        "{cli} {form}: \"720h\" after \"30d\" is not an empty plan"
    );

    // In place: one PATCH with the limit and the retention period.
    env.emulator.reset_stats();
    env.write(&config("7d", 200, "plain", ""));
    let plan = env.plan_detailed();
    assert_eq!(plan.code, 2, "{cli} {form}:\n{plan}");
    assert_output_contains(
        &plan,
        &[
            "influxdb3_database.metrics will be updated in-place",
            "Plan: 0 to add, 1 to change, 0 to destroy.",
        ],
    );
    env.wd.apply().assert_success();
    assert_eq!(operation_count(&env, "update_database"), 1, "{cli} {form}");
    assert_eq!(operation_count(&env, "create_database"), 0, "{cli} {form}");
    let api_metrics = api_database(&env, clustered, "metrics");
    assert_eq!(api_metrics.retention_period, 7 * DAY_NANOS);
    assert_eq!(api_metrics.max_tables, 200);
    let metrics = values(&env.wd.state_json(), "influxdb3_database.metrics").clone();
    assert_eq!(string_attr(&metrics, "id"), "metrics");
    assert_eq!(string_attr(&metrics, "retention_period"), "7d");

    // A new name replaces the database.
    env.write(&config("7d", 200, "plain2", ""));
    let plan = env.plan_detailed();
    assert_output_contains(
        &plan,
        &[
            "influxdb3_database.plain must be replaced",
            "# forces replacement",
            "Plan: 1 to add, 0 to change, 1 to destroy.",
        ],
    );
    env.wd.apply().assert_success();
    let names: Vec<String> = api_databases(&env, clustered)
        .into_iter()
        .map(|database| database.name)
        .collect();
    assert_eq!(names, ["metrics", "plain2"], "{cli} {form}");

    // A new partition template replaces the table, and the database (plan only).
    let retemplated = config("7d", 200, "plain2", "")
        .replace(r#"value = "host""#, r#"value = "rack""#)
        .replace(r#"value = "region""#, r#"value = "zone""#);
    env.write(&retemplated);
    let plan = env.plan_detailed();
    assert_output_contains(
        &plan,
        &[
            "influxdb3_database.metrics must be replaced",
            "influxdb3_table.cpu must be replaced",
            "# forces replacement",
        ],
    );
    env.write(&config("7d", 200, "plain2", ""));

    // Deleted outside Terraform: the database and its table are gone, and
    // apply makes them again.
    let deleted = block_on(api(&env, clustered).delete_database("metrics"));
    assert!(deleted.is_ok(), "{cli} {form}: {deleted:?}");
    env.assert_refresh_reports_deleted("influxdb3_database.metrics");
    env.assert_refresh_reports_deleted("influxdb3_table.cpu");
    let apply = env.wd.apply();
    apply.assert_success();
    assert_output_contains(&apply, &["2 added, 0 changed, 0 destroyed"]);
    assert_eq!(api_database(&env, clustered, "metrics").max_tables, 200);
    assert_eq!(env.wd.plan_detailed_exitcode(), 0, "{cli} {form}");

    // Import a database and a table made outside Terraform.
    let client = api(&env, clustered);
    let mut request = database_request("outside");
    request.retention_period = Some(DAY_NANOS);
    block_on(client.create_database(&request)).expect("create outside");
    let events = CreateTableRequest {
        name: "events".into(),
        partition_template: None,
    };
    block_on(client.create_table("outside", &events)).expect("create table");
    let imports = r#"
import {
  to = influxdb3_database.outside
  id = "outside"
}

resource "influxdb3_database" "outside" {
  name             = "outside"
  retention_period = "24h"
}

import {
  to = influxdb3_table.events
  id = "outside:events"
}

resource "influxdb3_table" "events" {
  database_name = influxdb3_database.outside.name
  name          = "events"
}
"#;
    env.write(&config("7d", 200, "plain2", imports));
    let apply = env.wd.apply();
    apply.assert_success();
    assert_output_contains(&apply, &["2 imported, 0 added, 0 changed, 0 destroyed"]);
    // The import reads the API's spelling ("1d"); the configuration's "24h"
    // is the same duration, so the plan is empty.
    let show = env.wd.state_json();
    assert_eq!(
        string_attr(
            values(&show, "influxdb3_database.outside"),
            "retention_period"
        ),
        "1d",
        "{cli} {form}"
    );
    assert_eq!(
        env.wd.plan_detailed_exitcode(),
        0,
        "{cli} {form}: plan after import is not empty"
    );

    // Destroy deletes everything.
    let destroy = env.wd.destroy();
    destroy.assert_success();
    assert_output_contains(&destroy, &["5 destroyed"]);
    assert!(
        api_databases(&env, clustered).is_empty(),
        "{cli} {form}: databases left after destroy"
    );
    env.finish(&format!("acc_database_and_table_lifecycle ({form})"));
}

/// Creating many databases lists them a bounded number of times, not once
/// per database: Terraform plans every resource again right before applying
/// it, and each create invalidates the cached list, so a plan-time check that
/// listed every time would list O(N) times, each list O(N) long.
#[test]
fn acc_database_creates_list_a_bounded_number_of_times() {
    for cli in TerraformCli::all() {
        creates_list_a_bounded_number_of_times(&cli);
    }
}

fn creates_list_a_bounded_number_of_times(cli: &TerraformCli) {
    let env = AccEnv::for_cluster(cli, false);
    env.write(
        r#"resource "influxdb3_database" "many" {
  count = 30
  name  = "many-${count.index}"
}
"#,
    );
    env.emulator.reset_stats();
    env.wd.apply().assert_success();
    assert_eq!(operation_count(&env, "create_database"), 30, "{cli}");
    let lists = operation_count(&env, "list_databases");
    assert!(
        lists <= 3,
        "{cli}: {lists} database lists for 30 creates (one per provider process expected)"
    );
}
