//! Acceptance: switching from the Go provider `thulasirajkomminar/influxdb3`
//! (see `docs/guides/switching-from-thulasirajkomminar.md`). A state written
//! by hand in that provider's documented schema, for its
//! `influxdb3_database`, `influxdb3_cloud_database`, `influxdb3_table` and
//! `influxdb3_cloud_table`, is taken over without touching the API:
//! Terraform cannot plan with a state of a provider it cannot install (so a
//! `moved` from that provider cannot be planned here), `terraform state
//! replace-provider` hands the state to this provider, and `moved` blocks
//! move the `influxdb3_cloud_*` instances to this provider's types. Both
//! CLIs, Cloud Dedicated.

use influxdb3_provider::api::{
    CreateDatabaseRequest, CreateTableRequest, PartitionBucket, PartitionTemplatePart,
};
use serde_json::{Value, json};

use crate::acceptance_database::{api, api_databases, block_on};
use crate::support::acceptance::{AccEnv, assert_output_contains};
use crate::support::terraform::TerraformCli;

const GO_PROVIDER: &str = "registry.terraform.io/thulasirajkomminar/influxdb3";

fn instance(type_name: &str, name: &str, attributes: Value) -> Value {
    json!({
        "mode": "managed",
        "type": type_name,
        "name": name,
        "provider": format!("provider[\"{GO_PROVIDER}\"]"),
        "instances": [{
            "schema_version": 0,
            "attributes": attributes,
            "sensitive_attributes": [],
        }],
    })
}

/// A state of the Go provider, as its documentation describes its attributes.
fn go_provider_state(account: &str, cluster: &str) -> Value {
    let bucket =
        json!({"type": "bucket", "value": "{\"tagName\":\"temperature\",\"numberOfBuckets\":10}"});
    json!({
        "version": 4,
        "terraform_version": "1.9.8",
        "serial": 3,
        "lineage": "0f6c1d56-3c55-4a8e-9d0b-0a3c2a1f5e77",
        "outputs": {},
        "resources": [
            instance("influxdb3_database", "a", json!({
                "account_id": account, "cluster_id": cluster, "name": "a",
                "max_tables": 500, "max_columns_per_table": 200,
                "retention_period": 604_800_000_000_000_i64, "partition_template": null,
            })),
            instance("influxdb3_cloud_database", "b", json!({
                "account_id": account, "cluster_id": cluster, "name": "b",
                "max_tables": 10, "max_columns_per_table": 200, "retention_period": 0,
                "partition_template": [{"type": "tag", "value": "line"}, bucket],
            })),
            instance("influxdb3_table", "t", json!({
                "account_id": account, "cluster_id": cluster, "database_name": "a",
                "name": "t", "partition_template": [bucket],
            })),
            instance("influxdb3_cloud_table", "u", json!({
                "account_id": account, "cluster_id": cluster, "database_name": "b",
                "name": "u", "partition_template": null,
            })),
        ],
    })
}

const OUR_CONFIG: &str = r#"
resource "influxdb3_database" "a" {
  name             = "a"
  retention_period = "7d"
}

moved {
  from = influxdb3_cloud_database.b
  to   = influxdb3_database.b
}

resource "influxdb3_database" "b" {
  name       = "b"
  max_tables = 10
  partition_template = [
    { type = "tag", value = "line" },
    { type = "bucket", value = "temperature", number_of_buckets = 10 },
  ]
}

resource "influxdb3_table" "t" {
  database_name = influxdb3_database.a.name
  name          = "t"
  partition_template = [
    { type = "bucket", value = "temperature", number_of_buckets = 10 },
  ]
}

moved {
  from = influxdb3_cloud_table.u
  to   = influxdb3_table.u
}

resource "influxdb3_table" "u" {
  database_name = influxdb3_database.b.name
  name          = "u"
}
"#;

fn make_api_objects(env: &AccEnv) {
    let client = api(env, false);
    let bucket = PartitionTemplatePart::Bucket(PartitionBucket {
        tag_name: "temperature".into(),
        number_of_buckets: 10,
    });
    let databases = [
        CreateDatabaseRequest {
            name: "a".into(),
            max_tables: None,
            max_columns_per_table: None,
            retention_period: Some(604_800_000_000_000),
            partition_template: None,
        },
        CreateDatabaseRequest {
            name: "b".into(),
            max_tables: Some(10),
            max_columns_per_table: None,
            retention_period: None,
            partition_template: Some(vec![
                PartitionTemplatePart::Tag("line".into()),
                bucket.clone(),
            ]),
        },
    ];
    for database in &databases {
        block_on(client.create_database(database)).expect("create database");
    }
    let t = CreateTableRequest {
        name: "t".into(),
        partition_template: Some(vec![bucket]),
    };
    block_on(client.create_table("a", &t)).expect("create table t");
    let u = CreateTableRequest {
        name: "u".into(),
        partition_template: None,
    };
    block_on(client.create_table("b", &u)).expect("create table u");
}

#[test]
fn acc_database_switch_from_the_go_provider() {
    for cli in TerraformCli::all() {
        let env = AccEnv::for_cluster(&cli, false);
        make_api_objects(&env);
        let state = go_provider_state(
            &env.emulator.account_id().to_string(),
            &env.emulator.cluster_id().to_string(),
        );
        env.wd.write_file("terraform.tfstate", &state.to_string());
        env.write(OUR_CONFIG);

        // Terraform wants the Go provider installed for its state, even to
        // plan a `moved` away from it; it cannot be installed here.
        let plan = env.plan_detailed();
        assert_eq!(plan.code, 1, "{cli}:\n{plan}");
        assert_output_contains(&plan, &["Missing required provider", GO_PROVIDER]);

        // Hand the state to this provider; the moves and reads do the rest.
        env.wd
            .run(&[
                "state",
                "replace-provider",
                "-auto-approve",
                GO_PROVIDER,
                "registry.terraform.io/influxdb3/influxdb3",
            ])
            .assert_success();
        env.emulator.reset_stats();
        let plan = env.plan_detailed();
        assert_output_contains(
            &plan,
            &[
                "influxdb3_cloud_database.b has moved to influxdb3_database.b",
                "influxdb3_cloud_table.u has moved to influxdb3_table.u",
            ],
        );
        assert!(
            plan.stdout
                .contains("Plan: 0 to add, 0 to change, 0 to destroy.")
                || plan.stdout.contains("No changes."),
            "{cli}: the switch plans changes:\n{plan}"
        );
        let apply = env.wd.apply();
        apply.assert_success();
        assert_output_contains(&apply, &["0 added, 0 changed, 0 destroyed"]);
        assert_eq!(
            env.wd.plan_detailed_exitcode(),
            0,
            "{cli}: plan after the switch is not empty"
        );
        let stats = env.emulator.stats();
        for operation in [
            "create_database",
            "update_database",
            "delete_database",
            "create_table",
            "delete_table",
        ] {
            assert_eq!(
                stats["by_operation"][operation].as_u64().unwrap_or(0),
                0,
                "{cli}: the switch called {operation}: {stats:#}"
            );
        }
        assert_eq!(api_databases(&env, false).len(), 2);
        env.finish("acc_database_switch_from_the_go_provider");
    }
}
