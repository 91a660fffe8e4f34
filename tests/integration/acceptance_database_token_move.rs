//! Acceptance: moving database tokens from the Go provider
//! `thulasirajkomminar/influxdb3` (`influxdb3_cloud_token` on Cloud Dedicated,
//! `influxdb3_token` on Clustered), with both CLIs, from a state written by
//! hand in that provider's documented schema.
//!
//! Terraform plans a cross-provider `moved` block only with the source
//! provider installed ("Missing required provider"), which needs the network.
//! What works without it: `terraform state replace-provider` to this
//! provider's address, then the same `moved` block; the secret is kept.

use serde_json::json;
use uuid::Uuid;

use crate::support::acceptance::{AccEnv, assert_output_contains, string_attr, uuid_attr, values};
use crate::support::terraform::TerraformCli;

const GO_PROVIDER: &str = "registry.terraform.io/thulasirajkomminar/influxdb3";
const OUR_PROVIDER: &str = "registry.terraform.io/influxdb3/influxdb3";

#[test]
fn acc_database_token_moves_from_the_go_provider() {
    for cli in TerraformCli::all() {
        for clustered in [false, true] {
            let source_type = if clustered {
                "influxdb3_token"
            } else {
                "influxdb3_cloud_token"
            };
            let env = AccEnv::for_cluster(&cli, clustered);
            let created = env.emulator.create_database_token(json!({
                "description": "signals",
                "permissions": [{"action": "read", "resource": "signals"}]
            }));
            let id = created["id"].as_str().unwrap_or_default().to_owned();
            let secret = created["accessToken"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            let (account, cluster) = if clustered {
                (String::new(), String::new())
            } else {
                (
                    env.emulator.account_id().to_string(),
                    env.emulator.cluster_id().to_string(),
                )
            };
            let state = json!({
                "version": 4,
                "terraform_version": "1.9.8",
                "serial": 1,
                "lineage": Uuid::new_v4().to_string(),
                "outputs": {},
                "resources": [{
                    "mode": "managed",
                    "type": source_type,
                    "name": "signals",
                    "provider": format!("provider[\"{GO_PROVIDER}\"]"),
                    "instances": [{
                        "schema_version": 0,
                        "attributes": {
                            "access_token": secret,
                            "account_id": account,
                            "cluster_id": cluster,
                            "created_at": created["createdAt"],
                            "description": "signals",
                            "expires_at": "",
                            "id": id,
                            "permissions": [{"action": "read", "resource": "signals"}],
                            "revoked_at": ""
                        },
                        "sensitive_attributes": []
                    }]
                }],
                "check_results": null
            });
            env.wd.write_file(
                "terraform.tfstate",
                &serde_json::to_string_pretty(&state).unwrap(),
            );
            env.write(&format!(
                "moved {{\n  from = {source_type}.signals\n  to   = influxdb3_database_token.signals\n}}\n\n\
                 resource \"influxdb3_database_token\" \"signals\" {{\n  description = \"signals\"\n  \
                 permissions = [{{ action = \"read\", resource = \"signals\" }}]\n}}\n"
            ));

            // Without the Go provider installed, Terraform cannot plan the move.
            let plan = env.wd.plan();
            plan.assert_failure();
            assert_output_contains(&plan, &["Missing required provider", GO_PROVIDER]);

            env.wd
                .run(&[
                    "state",
                    "replace-provider",
                    "-auto-approve",
                    GO_PROVIDER,
                    OUR_PROVIDER,
                ])
                .assert_success();
            let plan = env.plan_detailed();
            assert_output_contains(
                &plan,
                &[
                    &format!("{source_type}.signals has moved to influxdb3_database_token.signals"),
                    "Plan: 0 to add, 0 to change, 0 to destroy.",
                ],
            );
            env.wd.apply().assert_success();
            let show = env.wd.state_json();
            let moved = values(&show, "influxdb3_database_token.signals");
            assert_eq!(uuid_attr(moved, "id").to_string(), id);
            assert_eq!(
                string_attr(moved, "access_token"),
                secret,
                "{cli}: the secret was not kept"
            );
            assert!(moved.get("revoked_at").is_none(), "{moved:#}");
            assert_eq!(
                env.wd.plan_detailed_exitcode(),
                0,
                "{cli}: the plan after the move is not empty"
            );
            env.finish("acc_database_token_moves_from_the_go_provider");
        }
    }
}
