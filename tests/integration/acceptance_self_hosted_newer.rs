//! Acceptance: the Terraform 1.10+ kinds of the self-hosted products
//! (InfluxDB 3 Core and Enterprise) against `influxdb3-emulator --product
//! core|enterprise`: the ephemeral admin and resource tokens (both CLIs), the
//! identities, `terraform query` and the delete action (Terraform 1.15.5 only:
//! 1.11.4 has no identity, query or actions; it is shown the ephemeral
//! resources only, which the schema test checks).

use serde_json::{Value, json};

use crate::support::acceptance::{
    assert_output_contains, generate_config_keeping, invoke_action, string_attr, values,
};
use crate::support::self_hosted::V3Env;
use crate::support::terraform::{
    PROVIDER_SOURCE, TerraformCli, TestWorkdir, TfOutput, required_providers_block,
};

/// The stored identity of the root-module resource `TYPE.NAME`.
#[track_caller]
fn stored_identity(wd: &TestWorkdir, address: &str) -> Value {
    let (ty, name) = address.split_once('.').unwrap();
    let text = std::fs::read_to_string(wd.path().join("terraform.tfstate")).unwrap();
    let state: Value = serde_json::from_str(&text).unwrap();
    let resource = state["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["type"] == ty && r["name"] == name)
        .unwrap_or_else(|| panic!("no {address} in {text}"));
    let instance = &resource["instances"][0];
    assert_eq!(instance["identity_schema_version"], 0, "{instance:#}");
    instance["identity"].clone()
}

const MANAGED: &str = "resource \"influxdb3_self_hosted_admin_token\" \"ops\" {\n  name = \"ops\"\n}\n\n\
     resource \"influxdb3_enterprise_resource_token\" \"reader\" {\n  name        = \"reader\"\n  \
     permissions = [\"db:sensors:read\"]\n}\n\n\
     resource \"influxdb3_self_hosted_database\" \"sensors\" {\n  name = \"sensors\"\n}\n";

const QUERY: &str = "list \"influxdb3_self_hosted_admin_token\" \"admins\" {\n  provider = influxdb3\n  \
     include_resource = true\n}\n\n\
     list \"influxdb3_enterprise_resource_token\" \"resources\" {\n  provider = influxdb3\n  \
     include_resource = true\n}\n\n\
     list \"influxdb3_self_hosted_database\" \"databases\" {\n  provider = influxdb3\n  \
     include_resource = true\n}\n";

fn invoke(env: &V3Env, token_name: &str) -> TfOutput {
    env.write(&format!(
        "{MANAGED}\naction \"influxdb3_delete_self_hosted_token\" \"x\" {{\n  config {{\n    \
         token_name = \"{token_name}\"\n  }}\n}}\n"
    ));
    invoke_action(&env.wd, "influxdb3_delete_self_hosted_token.x")
}

/// Enterprise, Terraform 1.15.5: identities from create, refresh and import by
/// identity; `terraform query` of the three types; the delete action.
#[test]
fn acc_self_hosted_identity_query_and_action() {
    let cli = TerraformCli::get("1.15.5");
    let env = V3Env::new(&cli, "enterprise");
    env.write(MANAGED);
    env.wd.apply().assert_success();
    for (address, name) in [
        ("influxdb3_self_hosted_admin_token.ops", "ops"),
        ("influxdb3_enterprise_resource_token.reader", "reader"),
        ("influxdb3_self_hosted_database.sensors", "sensors"),
    ] {
        assert_eq!(
            stored_identity(&env.wd, address),
            json!({ "name": name }),
            "{address}"
        );
    }
    env.wd
        .run(&["apply", "-refresh-only", "-auto-approve", "-input=false"])
        .assert_success();
    assert_eq!(
        stored_identity(&env.wd, "influxdb3_self_hosted_admin_token.ops"),
        json!({ "name": "ops" })
    );

    // terraform query: every kind, without the operator token or `_internal`.
    env.outside_admin_token("outside-admin");
    env.outside_admin_token("leaked");
    env.outside_database("outside-db");
    env.wd.write_file("all.tfquery.hcl", QUERY);
    let query = env.wd.run(&["query"]);
    query.assert_success();
    assert_output_contains(
        &query,
        &[
            "list.influxdb3_self_hosted_admin_token.admins",
            "outside-admin",
            "leaked",
            "ops",
            "list.influxdb3_enterprise_resource_token.resources",
            "reader",
            "list.influxdb3_self_hosted_database.databases",
            "outside-db",
            "sensors",
        ],
    );
    for hidden in ["name=_admin", "name=_internal"] {
        assert!(
            !query.stdout.contains(hidden),
            "{hidden} was listed:\n{query}"
        );
    }
    // -generate-config-out writes resource and import blocks (by identity);
    // those of the objects not managed yet import them.
    env.outside_admin_token("generated-admin");
    env.outside_database("generated-db");
    let text = generate_config_keeping(&env.wd, "\"generated-");
    assert!(
        text.contains("identity")
            && text.contains("\"generated-db\"")
            && text.contains("\"db:sensors:read\""),
        "{text}"
    );
    std::fs::remove_file(env.wd.path().join("all.tfquery.hcl")).unwrap();
    let apply = env.wd.apply();
    apply.assert_success();
    assert_output_contains(&apply, &["2 imported, 0 added, 0 changed, 0 destroyed"]);
    assert_eq!(
        env.wd.plan_detailed_exitcode(),
        0,
        "the plan after importing the generated configuration is not empty"
    );
    std::fs::remove_file(env.wd.path().join("generated.tf")).unwrap();
    let managed = ["ops", "reader", "sensors"];
    let generated_addresses: Vec<String> = env
        .wd
        .run(&["state", "list"])
        .stdout
        .lines()
        .filter(|line| !managed.contains(&line.split('.').nth(1).unwrap_or("")))
        .map(str::to_owned)
        .collect();
    assert_eq!(generated_addresses.len(), 2, "{generated_addresses:?}");
    let mut state_rm = vec!["state", "rm"];
    state_rm.extend(generated_addresses.iter().map(String::as_str));
    env.wd.run(&state_rm).assert_success();

    // Import by identity, then an empty plan.
    env.write(&format!(
        "{MANAGED}\nimport {{\n  to       = influxdb3_self_hosted_admin_token.outside\n  \
         identity = {{\n    name = \"outside-admin\"\n  }}\n}}\n\n\
         resource \"influxdb3_self_hosted_admin_token\" \"outside\" {{\n  name = \"outside-admin\"\n}}\n\n\
         import {{\n  to       = influxdb3_self_hosted_database.outside\n  identity = {{\n    \
         name = \"outside-db\"\n  }}\n}}\n\n\
         resource \"influxdb3_self_hosted_database\" \"outside\" {{\n  name = \"outside-db\"\n}}\n"
    ));
    let import = env.wd.apply();
    import.assert_success();
    assert_output_contains(&import, &["2 imported, 0 added, 0 changed, 0 destroyed"]);
    assert_eq!(
        stored_identity(&env.wd, "influxdb3_self_hosted_database.outside"),
        json!({ "name": "outside-db" })
    );
    let show = env.wd.state_json();
    assert_eq!(
        string_attr(
            values(&show, "influxdb3_self_hosted_admin_token.outside"),
            "name"
        ),
        "outside-admin"
    );
    assert_eq!(env.wd.plan_detailed_exitcode(), 0, "plan after import");
    env.wd
        .run(&[
            "state",
            "rm",
            "influxdb3_self_hosted_admin_token.outside",
            "influxdb3_self_hosted_database.outside",
        ])
        .assert_success();

    // The action: deletes, then the name is unknown; the operator token is refused.
    let first = invoke(&env, "leaked");
    first.assert_success();
    assert_output_contains(&first, &["Deleting token \"leaked\""]);
    let names = env.token_names();
    assert!(
        !names.contains(&"leaked".to_owned()),
        "not deleted:\n{first}"
    );
    assert!(
        names.contains(&"outside-admin".to_owned()),
        "a bystander was deleted"
    );
    let again = invoke(&env, "leaked");
    again.assert_failure();
    assert_output_contains(&again, &["Token Not Found", "leaked"]);
    let operator = invoke(&env, "_admin");
    operator.assert_failure();
    assert_output_contains(&operator, &["Operator Token Not Deleted"]);
    assert!(env.token_names().contains(&"_admin".to_owned()));

    env.write(MANAGED);
    env.wd.destroy().assert_success();
}

fn ephemeral_config(resource_token: bool) -> String {
    let mut config = "ephemeral \"influxdb3_self_hosted_admin_token\" \"run\" {\n  \
         name_prefix = \"tf-run\"\n  expires_in  = \"15m\"\n}\n\n\
         provider \"influxdb3\" {\n  alias   = \"run\"\n  product = \"PRODUCT\"\n  host    = \"HOST\"\n  \
         token   = ephemeral.influxdb3_self_hosted_admin_token.run.token\n}\n\n\
         resource \"influxdb3_self_hosted_database\" \"by_run\" {\n  provider = influxdb3.run\n  \
         name     = \"made-by-run\"\n}\n"
        .to_owned();
    if resource_token {
        config.push_str(
            "\nephemeral \"influxdb3_enterprise_resource_token\" \"reader\" {\n  \
             name_prefix = \"tf-reader\"\n  permissions = [\"db:made-by-run:read\"]\n}\n",
        );
    }
    config
}

/// The ephemeral tokens, both CLIs: an admin token (Core and Enterprise)
/// configures an aliased provider that makes a database; a resource token is
/// minted on Enterprise and refused on Core; every token is deleted when the
/// run is done, and neither secret nor name is in the state.
#[test]
fn acc_self_hosted_ephemeral_tokens() {
    for cli in TerraformCli::all() {
        for product in ["core", "enterprise"] {
            let env = V3Env::new(&cli, product);
            let config = ephemeral_config(product == "enterprise")
                .replace("PRODUCT", product)
                .replace("HOST", env.emulator.url());
            env.write(&config);
            let apply = env.wd.apply();
            apply.assert_success();
            assert!(
                env.database_names().contains(&"made-by-run".to_owned()),
                "{cli} {product}: the ephemeral token did not work:\n{apply}"
            );
            let left: Vec<String> = env
                .token_names()
                .into_iter()
                .filter(|name| name.starts_with("tf-"))
                .collect();
            assert!(
                left.is_empty(),
                "{cli} {product}: ephemeral tokens left: {left:?}"
            );
            assert!(env.served("create_admin_token") >= 1, "{cli} {product}");
            assert!(env.served("delete_token") >= 1, "{cli} {product}");
            if product == "enterprise" {
                assert!(env.served("create_resource_token") >= 1, "{cli}");
            }
            let state = std::fs::read_to_string(env.wd.path().join("terraform.tfstate")).unwrap();
            assert!(!state.contains("tf-run"), "{cli} {product}: {state}");
            assert!(!state.contains("apiv3_"), "{cli} {product}: {state}");
            assert!(!apply.combined().contains("apiv3_"), "{cli} {product}");
            env.wd.destroy().assert_success();
            assert!(
                env.token_names()
                    .iter()
                    .all(|name| !name.starts_with("tf-")),
                "{cli} {product}: destroy left an ephemeral token"
            );
        }
        // Core has no resource tokens: opening one fails with the diagnostic.
        let env = V3Env::new(&cli, "core");
        env.write(
            "ephemeral \"influxdb3_enterprise_resource_token\" \"reader\" {\n  \
             permissions = [\"db:*:read\"]\n}\n",
        );
        let plan = env.wd.plan();
        plan.assert_failure();
        assert_output_contains(&plan, &["Enterprise-Only Resource", "product = \"core\""]);
        assert_eq!(env.token_names(), vec!["_admin".to_owned()], "{cli}");
    }
}

/// What each CLI is shown: 1.11.4 the ephemeral types, 1.15.5 also the
/// identities, list resources and the action.
#[test]
fn acc_self_hosted_newer_kinds_in_the_schema() {
    for cli in TerraformCli::all() {
        let wd = TestWorkdir::new(&cli);
        wd.write_config(&required_providers_block());
        let schema = wd.providers_schema_json();
        let provider = &schema["provider_schemas"][PROVIDER_SOURCE];
        for ty in [
            "influxdb3_self_hosted_admin_token",
            "influxdb3_enterprise_resource_token",
        ] {
            let ephemeral = &provider["ephemeral_resource_schemas"][ty];
            assert_eq!(
                ephemeral["block"]["attributes"]["token"]["sensitive"], true,
                "{cli}: {ty}: {provider:#}"
            );
        }
        if cli.version == "1.11.4" {
            continue;
        }
        for ty in [
            "influxdb3_self_hosted_admin_token",
            "influxdb3_enterprise_resource_token",
            "influxdb3_self_hosted_database",
        ] {
            let identity = &provider["resource_identity_schemas"][ty];
            assert_eq!(
                identity["attributes"]["name"]["required_for_import"], true,
                "{ty}: {identity:#}"
            );
            assert!(
                provider["list_resource_schemas"][ty].is_object(),
                "{ty}: no list resource"
            );
        }
        let action = &provider["action_schemas"]["influxdb3_delete_self_hosted_token"];
        assert_eq!(
            action["block"]["attributes"]["token_name"]["required"], true,
            "{action:#}"
        );
    }
}

/// With a trace log, no line the provider writes carries a token secret (the
/// emulator's secrets start with `apiv3_`): the ephemeral tokens' included.
#[test]
fn acc_self_hosted_ephemeral_trace_log_keeps_secrets() {
    for cli in TerraformCli::all() {
        let mut env = V3Env::new(&cli, "enterprise");
        env.wd.env("TF_LOG", "trace").env("TF_LOG_PATH", "");
        let config = ephemeral_config(true)
            .replace("PRODUCT", "enterprise")
            .replace("HOST", env.emulator.url());
        env.write(&config);
        let apply = env.wd.apply();
        apply.assert_success();
        let destroy = env.wd.destroy();
        destroy.assert_success();
        for out in [&apply, &destroy] {
            assert!(out.stderr.contains("[TRACE]"), "{cli}: no trace log");
            let provider_lines: Vec<&str> = out
                .stderr
                .lines()
                .filter(|line| line.contains("terraform-provider-influxdb3"))
                .collect();
            assert!(
                provider_lines
                    .iter()
                    .any(|line| line.contains("opened ephemeral")),
                "{cli}: the provider's log lines are not in the trace log"
            );
            for line in provider_lines {
                assert!(
                    !line.contains("apiv3_"),
                    "{cli}: a provider log line carries a secret: {line}"
                );
            }
        }
    }
}
